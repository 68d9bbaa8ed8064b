// Go-style durations for flags (`--wait 90s`, `2m`, `1m30s`, `500ms`), as kubectl and minikube take them.
import {ClusterError} from './cluster-error.js'

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000}

export function parseDuration(text: string): number {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)]
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== trimmed) {
    throw new ClusterError('InvalidInput', `invalid duration "${text}"`, {fix: 'use a number with a unit, e.g. 30s, 2m or 1m30s'})
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]!]!, 0))
}

/** A node monitor grace period: at least 2 s, since the kubelets renew their leases 4 times per period. */
export function parseGracePeriod(text: string): number {
  const ms = parseDuration(text)
  if (ms < 2000) {
    throw new ClusterError('InvalidInput', `--node-monitor-grace-period ${text} is too short`, {
      why: 'node leases are renewed four times per grace period; shorter periods make healthy nodes flap',
      fix: 'use at least 2s (the default is 40s)',
    })
  }
  return ms
}
