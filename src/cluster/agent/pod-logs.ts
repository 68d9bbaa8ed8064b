// The node side of `kubectl logs`: find the pod's container in the runtime and return its output,
// shaped by tailLines/limitBytes. Streaming (follow) arrives with the Docker runtime's log streams.
import type {Readable} from 'node:stream'
import type {KubeObject} from '../api/types.js'
import type {ContainerRuntime} from '../runtime/runtime.js'

export interface LogOptions {
  previous: boolean
  tailLines?: number
  limitBytes?: number
  timestamps: boolean
}

export class PodLogReader {
  constructor(private readonly runtime: ContainerRuntime) {}

  /** A live stream of the container's output, where the runtime has one (Docker); undefined otherwise. */
  async follow(pod: KubeObject, containerId: string, opts: {tailLines?: number; signal: AbortSignal}): Promise<Readable | undefined> {
    if (!this.runtime.followLogs) return undefined
    const target = (await this.runtime.list({podUid: pod.metadata.uid})).find((c) => c.id === containerId)
    if (!target) return undefined
    return this.runtime.followLogs(target.id, {tail: opts.tailLines, signal: opts.signal})
  }

  /**
   * The output of one container instance of the pod (the caller picks it from the pod status, as the
   * kubelet does); undefined when the runtime no longer holds it.
   */
  async read(pod: KubeObject, containerId: string, opts: LogOptions): Promise<string | undefined> {
    const target = (await this.runtime.list({podUid: pod.metadata.uid})).find((c) => c.id === containerId)
    if (!target) return undefined
    let text = await this.runtime.logs(target.id)
    if (opts.timestamps) {
      const stamp = target.state.state === 'running' ? target.state.startedAt.toISOString().replace('Z', '000000Z') : new Date().toISOString()
      text = text.split('\n').map((line, i, all) => (i === all.length - 1 && line === '' ? line : `${stamp} ${line}`)).join('\n')
    }
    if (opts.tailLines !== undefined) {
      const lines = text.split('\n')
      const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined
      text = lines.slice(Math.max(0, lines.length - opts.tailLines)).join('\n') + (trailing !== undefined && lines.length > 0 ? '\n' : '')
    }
    if (opts.limitBytes !== undefined) text = Buffer.from(text).subarray(0, opts.limitBytes).toString()
    return text
  }
}
