// The events a kubelet records about a pod's containers, with kubelet 1.32's reasons and messages
// (pkg/kubelet/kuberuntime and images): Pulling, Pulled, Created, Started, Killing. Events carry the
// node as their source host, so there is one recorder per node.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import {EventRecorder} from '../events/recorder.js'
import type {ImageResult, PullObserver, PullProgress} from '../runtime/runtime.js'

/** How often a running pull reports its progress as an event (the kubelet reports none; a slow pull should not look stuck). */
const PULL_PROGRESS_EVENT_MS = 5_000

export class KubeletEvents {
  private readonly recorders = new Map<string, EventRecorder>()

  constructor(private readonly deps: {registry: ObjectRegistry; clock: Clock}) {}

  pulling(pod: Pod, node: string, container: string, image: string): void {
    this.record(pod, node, container, 'Pulling', `Pulling image "${image}"`)
  }

  /**
   * Pulling when a pull really starts, then, not one of the kubelet's, the pull's progress at most
   * every PULL_PROGRESS_EVENT_MS, so that `kubectl describe pod` shows a slow pull moving.
   */
  pullObserver(pod: Pod, node: string, container: string, image: string): PullObserver {
    const {clock} = this.deps
    let lastReport = 0
    return {
      pullStarted: () => {
        lastReport = clock.now().getTime()
        this.pulling(pod, node, container, image)
      },
      progress: (progress: PullProgress) => {
        const now = clock.now().getTime()
        if (now - lastReport < PULL_PROGRESS_EVENT_MS || progress.layers === 0) return
        lastReport = now
        const bytes = progress.totalBytes > 0 ? `, ${megabytes(progress.downloadedBytes)} of ${megabytes(progress.totalBytes)}` : ''
        this.record(pod, node, container, 'Pulling', `Pulling image "${image}": ${progress.layersDone} of ${progress.layers} layers done${bytes}`)
      },
    }
  }

  pulled(pod: Pod, node: string, container: string, image: string, result: ImageResult, elapsedMs: number): void {
    const message = result.pulled
      ? `Successfully pulled image "${image}" in ${seconds(elapsedMs)} (${seconds(elapsedMs)} including waiting).${result.size === undefined ? '' : ` Image size: ${result.size} bytes.`}`
      : `Container image "${image}" already present on machine`
    this.record(pod, node, container, 'Pulled', message)
  }

  created(pod: Pod, node: string, container: string): void {
    this.record(pod, node, container, 'Created', `Created container: ${container}`)
  }

  started(pod: Pod, node: string, container: string): void {
    this.record(pod, node, container, 'Started', `Started container ${container}`)
  }

  backOff(pod: Pod, node: string, container: string, message: string): void {
    this.record(pod, node, container, 'BackOff', message, 'Warning')
  }

  warning(pod: Pod, node: string, container: string, reason: string, message: string): void {
    this.record(pod, node, container, reason, message, 'Warning')
  }

  normal(pod: Pod, node: string, container: string, reason: string, message: string): void {
    this.record(pod, node, container, reason, message)
  }

  /** An event about the whole pod (no container field path), such as SandboxChanged. */
  pod(pod: Pod, node: string, reason: string, message: string): void {
    this.record(pod, node, undefined, reason, message)
  }

  killing(pod: Pod, node: string, container: string): void {
    this.record(pod, node, container, 'Killing', `Stopping container ${container}`)
  }

  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.flush()))
  }

  private record(pod: Pod, node: string, container: string | undefined, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    let recorder = this.recorders.get(node)
    if (!recorder) {
      recorder = new EventRecorder({registry: this.deps.registry, clock: this.deps.clock, component: 'kubelet', host: node})
      this.recorders.set(node, recorder)
    }
    recorder.event(pod as unknown as KubeObject, type, reason, message, container === undefined ? {} : {fieldPath: `spec.containers{${container}}`})
  }
}

/** Go's Duration.String() for the durations a pull takes, e.g. 1.234s or 850ms. */
function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}
