// The exec probe's "run in container" over the streaming runtime (the same exec kubectl exec uses):
// stdout and stderr collected together, as the kubelet's ExecSync returns them, up to 10 KiB; the
// process is killed when the probe times out or its worker stops.
import type {StreamRuntime} from '../../apiserver/streams/stream-runtime.js'
import type {ProbeManagerOptions, ProbeTarget} from './probe-manager.js'

const MAX_OUTPUT_BYTES = 10 * 1024

export function execViaStreams(streams: Pick<StreamRuntime, 'exec'>): ProbeManagerOptions['exec'] {
  return async (target: ProbeTarget, command: string[], _timeoutMs: number, signal?: AbortSignal) => {
    const process = await streams.exec({
      namespace: target.namespace,
      pod: target.podName,
      podUid: target.podUid,
      container: target.container.name,
      command,
      stdin: false,
      stdout: true,
      stderr: true,
      tty: false,
    })
    const chunks: Buffer[] = []
    let size = 0
    const collect = (chunk: Buffer) => {
      if (size < MAX_OUTPUT_BYTES) chunks.push(chunk.subarray(0, MAX_OUTPUT_BYTES - size))
      size += chunk.length
    }
    process.stdout?.on('data', collect)
    process.stderr?.on('data', collect)
    const onAbort = () => process.kill()
    if (signal?.aborted) onAbort()
    signal?.addEventListener('abort', onAbort, {once: true})
    try {
      const exitCode = await process.exit
      // Output can trail the exit notice by a tick; let the pipes drain.
      await Promise.all([ended(process.stdout), ended(process.stderr)])
      return {exitCode, output: Buffer.concat(chunks).toString('utf8')}
    } finally {
      signal?.removeEventListener('abort', onAbort)
    }
  }
}

function ended(stream: NodeJS.ReadableStream | undefined): Promise<void> {
  if (!stream || (stream as {readableEnded?: boolean}).readableEnded) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 1000)
    stream.once('end', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
