// V8 collects old-space garbage only under allocation pressure, so after a burst (say 5,000 pod
// creates) an idle control plane can sit on hundreds of MB of garbage: 435 MB RSS with a 26 MB live
// heap was measured here. When the cluster has been quiet for a while (no API request, and the event
// loop mostly idle: controllers and simulated kubelets work without requests) and the heap has grown
// well past its last live size, run one full GC: the pause happens when nobody is waiting on us.
//
// A full GC frees objects but keeps every page that still holds one live object, so after a load
// of short-lived requests V8 can keep 250 MB of pages for a 34 MB live heap. When the GC leaves that
// much committed but unused, a second, compacting GC moves the survivors together and returns the
// pages. Compaction copies every live object, so it needs up to the live size again in fresh pages:
// it is done only while the live heap is small, and only when idle (a compacting GC during the
// 10,000-pod run, whose controllers write without any API request, raised its peak RSS by 300 MB).
import {performance, type EventLoopUtilization} from 'node:perf_hooks'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import {logger} from '../log.js'

export interface IdleMemoryTrimOptions {
  /** How often to look (ms). */
  intervalMs?: number
  /** How long without requests or writes counts as idle (ms). */
  quietMs?: number
  /** Heap growth over the last live size that is worth a collection (bytes). */
  slackBytes?: number
  /** Committed but unused heap after a collection that is worth compacting (bytes). */
  compactSlackBytes?: number
  /** Largest live heap that may be compacted (bytes): compaction needs about as much again. */
  compactMaxLiveBytes?: number
  /** Event-loop utilisation (0-1) over the last interval above which the process is busy, not idle. */
  busyUtilization?: number
}

export interface ActivityTracker {
  /** Call on every request. */
  touch(): void
}

export interface IdleMemoryTrim extends ActivityTracker {
  stop(): void
  trims(): number
  compactions(): number
}

const MiB = 1024 * 1024

export function startIdleMemoryTrim(opts: IdleMemoryTrimOptions = {}): IdleMemoryTrim {
  const log = logger('memory')
  setFlagsFromString('--expose-gc')
  const gc = runInNewContext('gc') as () => void
  const quietMs = opts.quietMs ?? 10_000
  const slack = opts.slackBytes ?? 48 * MiB
  const compactSlack = opts.compactSlackBytes ?? 64 * MiB
  const compactMaxLive = opts.compactMaxLiveBytes ?? 192 * MiB
  const busyUtilization = opts.busyUtilization ?? 0.2
  let lastActive = Date.now()
  let loopSince: EventLoopUtilization = performance.eventLoopUtilization()
  let liveAfterGc = process.memoryUsage().heapUsed
  let trims = 0
  let compactions = 0
  const timer = setInterval(() => {
    const loop = performance.eventLoopUtilization()
    if (performance.eventLoopUtilization(loop, loopSince).utilization > busyUtilization) lastActive = Date.now()
    loopSince = loop
    const {heapUsed} = process.memoryUsage()
    if (Date.now() - lastActive < quietMs || heapUsed < liveAfterGc + slack) return
    const started = Date.now()
    gc()
    let after = process.memoryUsage()
    let compacted = false
    if (after.heapTotal - after.heapUsed > compactSlack && after.heapUsed < compactMaxLive) {
      compactingGc(gc)
      after = process.memoryUsage()
      compacted = true
      compactions++
    }
    liveAfterGc = after.heapUsed
    trims++
    log.info({heapBeforeMiB: mib(heapUsed), heapAfterMiB: mib(after.heapUsed), heapTotalMiB: mib(after.heapTotal), rssMiB: mib(after.rss), compacted, pauseMs: Date.now() - started}, 'idle heap trimmed')
  }, opts.intervalMs ?? 5_000)
  timer.unref()
  return {
    touch: () => {
      lastActive = Date.now()
    },
    stop: () => clearInterval(timer),
    trims: () => trims,
    compactions: () => compactions,
  }
}

/** One full GC that evacuates every page; the flag is V8's own and is turned off again at once. */
function compactingGc(gc: () => void): void {
  setFlagsFromString('--compact-on-every-full-gc')
  try {
    gc()
  } finally {
    setFlagsFromString('--no-compact-on-every-full-gc')
  }
}

function mib(bytes: number): number {
  return Math.round(bytes / MiB)
}
