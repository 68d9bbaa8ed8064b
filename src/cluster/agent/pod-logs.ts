// The node side of `kubectl logs`: find the pod's container in the runtime and return its output,
// shaped as the kubelet shapes it: only what came since a time, stamped if asked, then the last
// tailLines lines, then at most limitBytes bytes.
import type {Readable} from 'node:stream'
import type {KubeObject} from '../api/types.js'
import type {ContainerRuntime, LogQuery} from '../runtime/runtime.js'

export interface LogOptions extends LogQuery {
  previous: boolean
  tailLines?: number
  limitBytes?: number
}

export interface FollowOptions extends LogQuery {
  tailLines?: number
  signal: AbortSignal
}

export class PodLogReader {
  constructor(private readonly runtime: ContainerRuntime) {}

  /** A live stream of the container's output, where the runtime has one (Docker); undefined otherwise. */
  async follow(pod: KubeObject, containerId: string, opts: FollowOptions): Promise<Readable | undefined> {
    if (!this.runtime.followLogs) return undefined
    const target = (await this.runtime.list({podUid: pod.metadata.uid})).find((c) => c.id === containerId)
    if (!target) return undefined
    return this.runtime.followLogs(target.id, {tail: opts.tailLines, signal: opts.signal, timestamps: opts.timestamps, since: opts.since})
  }

  /**
   * The output of one container instance of the pod (the caller picks it from the pod status, as the
   * kubelet does); undefined when the runtime no longer holds it.
   */
  async read(pod: KubeObject, containerId: string, opts: LogOptions): Promise<string | undefined> {
    const target = (await this.runtime.list({podUid: pod.metadata.uid})).find((c) => c.id === containerId)
    if (!target) return undefined
    let text = await this.runtime.logs(target.id, {timestamps: opts.timestamps, since: opts.since})
    if (opts.tailLines !== undefined) {
      const lines = text.split('\n')
      const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined
      text = lines.slice(Math.max(0, lines.length - opts.tailLines)).join('\n') + (trailing !== undefined && lines.length > 0 ? '\n' : '')
    }
    if (opts.limitBytes !== undefined) text = Buffer.from(text).subarray(0, opts.limitBytes).toString()
    return text
  }
}
