// The events a kubelet records about a pod's containers, with kubelet 1.32's reasons and messages
// (pkg/kubelet/kuberuntime and images): Pulling, Pulled, Created, Started, Killing. Events carry the
// node as their source host, so there is one recorder per node.
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Clock} from '../clock.js'
import {EventRecorder} from '../events/recorder.js'
import type {ImageResult, PullProgress} from '../runtime/runtime.js'

export class KubeletEvents {
  private readonly recorders = new Map<string, EventRecorder>()

  constructor(private readonly deps: {registry: ObjectRegistry; clock: Clock}) {}

  pulling(pod: Pod, node: string, container: string, image: string): void {
    this.record(pod, node, container, 'Pulling', `Pulling image "${image}"`)
  }

  /** Not one of the kubelet's: a slow pull's progress, so `kubectl describe pod` shows it moving. */
  pullProgress(pod: Pod, node: string, container: string, image: string, progress: PullProgress): void {
    const bytes = progress.totalBytes > 0 ? `, ${megabytes(progress.downloadedBytes)} of ${megabytes(progress.totalBytes)}` : ''
    this.record(pod, node, container, 'Pulling', `Pulling image "${image}": ${progress.layersDone} of ${progress.layers} layers done${bytes}`)
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

  killing(pod: Pod, node: string, container: string): void {
    this.record(pod, node, container, 'Killing', `Stopping container ${container}`)
  }

  async flush(): Promise<void> {
    await Promise.all([...this.recorders.values()].map((r) => r.flush()))
  }

  private record(pod: Pod, node: string, container: string, reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    let recorder = this.recorders.get(node)
    if (!recorder) {
      recorder = new EventRecorder({registry: this.deps.registry, clock: this.deps.clock, component: 'kubelet', host: node})
      this.recorders.set(node, recorder)
    }
    recorder.event(pod as unknown as KubeObject, type, reason, message, {fieldPath: `spec.containers{${container}}`})
  }
}

/** Go's Duration.String() for the durations a pull takes, e.g. 1.234s or 850ms. */
function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`
}
