// Container output as text. Without a TTY the engine multiplexes stdout and stderr in frames of an
// 8-byte header (stream type, 3 zero bytes, big-endian payload length) + payload; with a TTY it is raw.
import {PassThrough, type Readable} from 'node:stream'
import type Dockerode from 'dockerode'
import type {LogQuery} from '../runtime.js'

const HEADER = 8

/** Concatenates the payloads of a multiplexed log buffer in order (stdout and stderr interleaved). */
export function demultiplex(buffer: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  while (offset + HEADER <= buffer.length) {
    const length = buffer.readUInt32BE(offset + 4)
    parts.push(buffer.subarray(offset + HEADER, offset + HEADER + length))
    offset += HEADER + length
  }
  return Buffer.concat(parts)
}

/** The engine's own per-line times (RFC 3339 with nanoseconds, as the kubelet prints them) and its `since` filter. */
function engineQuery(query: LogQuery): {timestamps: boolean; since?: string} {
  // The engine takes `since` as seconds.nanoseconds since the epoch.
  const since = query.since && `${Math.floor(query.since.getTime() / 1000)}.${String((query.since.getTime() % 1000) * 1_000_000).padStart(9, '0')}`
  return {timestamps: query.timestamps ?? false, ...(since && {since})}
}

/** The whole output so far. */
export async function containerLogs(docker: Dockerode, id: string, query: LogQuery = {}): Promise<string> {
  const container = docker.getContainer(id)
  const {Config} = await container.inspect()
  const raw = (await container.logs({stdout: true, stderr: true, follow: false, ...engineQuery(query)} as {follow: false})) as unknown as Buffer
  return (Config.Tty ? raw : demultiplex(raw)).toString('utf8')
}

export interface FollowLogsOptions extends LogQuery {
  /** Only the last N lines of what is there already. */
  tail?: number
  signal?: AbortSignal
}

/** Output so far, then new output as it comes, until the container stops or the signal aborts. */
export async function followLogs(docker: Dockerode, id: string, options: FollowLogsOptions = {}): Promise<Readable> {
  const container = docker.getContainer(id)
  const {Config} = await container.inspect()
  const source = (await container.logs({stdout: true, stderr: true, follow: true, tail: options.tail ?? 'all', ...engineQuery(options)} as {follow: true})) as Readable
  const output = new PassThrough()
  if (Config.Tty) source.pipe(output)
  else {
    docker.modem.demuxStream(source, output, output)
    source.on('end', () => output.end())
  }
  source.on('error', (error) => output.destroy(error))
  const stop = () => {
    source.destroy()
    output.end()
  }
  if (options.signal?.aborted) stop()
  else options.signal?.addEventListener('abort', stop, {once: true})
  output.on('close', () => options.signal?.removeEventListener('abort', stop))
  return output
}
