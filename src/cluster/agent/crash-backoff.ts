// The kubelet's crash-loop back-off (client-go flowcontrol.Backoff, 10 s initial, 5 min cap): the
// first failure restarts at once and opens a 10 s window; each restart after a window doubles it. A
// container that ran for more than twice the cap (10 min) after its last restart before failing
// starts over at 10 s. Kept in memory, as the kubelet keeps it: a restarted agent forgets the
// windows, not the restart counts.

export const INITIAL_BACKOFF_MS = 10_000
export const MAX_BACKOFF_MS = 300_000

interface Entry {
  backoffMs: number
  lastUpdate: number
}

export class CrashBackoff {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly initialMs = INITIAL_BACKOFF_MS,
    private readonly maxMs = MAX_BACKOFF_MS,
  ) {}

  /** Whether a restart must still wait: less than the current window has passed since the failure at `eventTime`. */
  inBackOffSince(key: string, eventTime: number, now: number): boolean {
    const entry = this.entries.get(key)
    if (!entry || this.expired(entry, eventTime)) return false
    return now - eventTime < entry.backoffMs
  }

  /** Records a restart (at `now`) after the failure at `eventTime`: the window opens at 10 s, then doubles up to the cap. */
  next(key: string, eventTime: number, now: number): void {
    const entry = this.entries.get(key)
    if (!entry || this.expired(entry, eventTime)) this.entries.set(key, {backoffMs: this.initialMs, lastUpdate: now})
    else this.entries.set(key, {backoffMs: Math.min(entry.backoffMs * 2, this.maxMs), lastUpdate: now})
  }

  /** The current window, for the CrashLoopBackOff message. */
  windowMs(key: string): number {
    return this.entries.get(key)?.backoffMs ?? this.initialMs
  }

  forget(keyPrefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(keyPrefix)) this.entries.delete(key)
  }

  /** The failure came more than twice the cap after the last restart: the container had been stable. */
  private expired(entry: Entry, eventTime: number): boolean {
    return eventTime - entry.lastUpdate > 2 * this.maxMs
  }
}

/** RestartPolicy as the kubelet applies it to a container that exited with `exitCode`. */
export function shouldRestart(restartPolicy: string | undefined, exitCode: number): boolean {
  if (restartPolicy === 'Never') return false
  if (restartPolicy === 'OnFailure') return exitCode !== 0
  return true
}

/** Go's time.Duration String for whole seconds and minutes: 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 60) return `${seconds}s`
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`
}
