// Durations as k8s.io/apimachinery/pkg/util/duration prints them. Server-side Tables print every
// age with HumanDuration (printers.go translateTimestampSince), so kubectl shows exactly these strings.

const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE

/** Go's int(d / unit): integer division truncating toward zero. */
function whole(ms: number, unit: number): number {
  return Math.trunc(ms / unit)
}

/**
 * HumanDuration: ~2-3 significant figures, e.g. `45s`, `3m20s`, `25m`, `5h10m`, `20h`, `3d4h`, `200d`, `3y20d`.
 * Up to 2s in the future reads `0s` (clock skew); further in the future reads `<invalid>`.
 */
export function humanDuration(ms: number): string {
  const seconds = whole(ms, SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60 * 2) return `${seconds}s`
  const minutes = whole(ms, MINUTE)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 60 * 3) return `${minutes}m`
  const hours = whole(ms, HOUR)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    const days = Math.trunc(hours / 24)
    return h === 0 ? `${days}d` : `${days}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  const years = Math.trunc(hours / 24 / 365)
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365
    return dy === 0 ? `${years}y` : `${years}y${dy}d`
  }
  return `${years}y`
}

/** ShortHumanDuration: one unit only, e.g. `45s`, `3m`, `5h`, `12d`, `2y`. */
export function shortHumanDuration(ms: number): string {
  const seconds = whole(ms, SECOND)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 60) return `${seconds}s`
  const minutes = whole(ms, MINUTE)
  if (minutes < 60) return `${minutes}m`
  const hours = whole(ms, HOUR)
  if (hours < 24) return `${hours}h`
  if (hours < 24 * 365) return `${Math.trunc(hours / 24)}d`
  return `${Math.trunc(ms / HOUR / 24 / 365)}y`
}
