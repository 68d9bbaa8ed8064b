// A container's termination message, as the kubelet collects it: an empty file on the host is mounted
// at terminationMessagePath (default /dev/termination-log) for each container instance; after the
// container exits, what it wrote there (at most 4 KiB) becomes state.terminated.message. With
// terminationMessagePolicy FallbackToLogsOnError, a failed container that wrote nothing gets the
// tail of its output instead (80 lines, 2 KiB), as kubelet's kuberuntime does.
import {chmod, mkdir, open, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {Container} from 'kubernetes-types/core/v1.js'
import type {ContainerMount} from '../../runtime/runtime.js'
import {podDir} from './volumes.js'

export const DEFAULT_TERMINATION_MESSAGE_PATH = '/dev/termination-log'
export const MAX_TERMINATION_MESSAGE_BYTES = 4 * 1024
export const MAX_FALLBACK_LOG_BYTES = 2 * 1024
export const MAX_FALLBACK_LOG_LINES = 80

export function terminationLogFile(podsDir: string, podUid: string, containerName: string, restartCount: number): string {
  return path.join(podDir(podsDir, podUid), 'containers', containerName, `termination-log-${restartCount}`)
}

/** Creates the instance's empty file (writable by any user the container runs as) and the mount for it. */
export async function terminationLogMount(podsDir: string, podUid: string, container: Container, restartCount: number): Promise<ContainerMount> {
  const file = terminationLogFile(podsDir, podUid, container.name, restartCount)
  await mkdir(path.dirname(file), {recursive: true})
  await writeFile(file, '')
  await chmod(file, 0o666)
  return {hostPath: file, containerPath: container.terminationMessagePath || DEFAULT_TERMINATION_MESSAGE_PATH, readOnly: false}
}

/**
 * The message for an exited instance: the file's first 4 KiB; else, under FallbackToLogsOnError and a
 * non-zero exit, the tail of `logs()`. Undefined when there is nothing to say.
 */
export async function terminationMessage(
  podsDir: string,
  podUid: string,
  container: Container,
  instance: {restartCount: number; exitCode: number},
  logs: () => Promise<string>,
): Promise<string | undefined> {
  const written = await readHead(terminationLogFile(podsDir, podUid, container.name, instance.restartCount), MAX_TERMINATION_MESSAGE_BYTES)
  if (written) return written
  if (container.terminationMessagePolicy !== 'FallbackToLogsOnError' || instance.exitCode === 0) return undefined
  return logTail(await logs().catch(() => '')) || undefined
}

/** The last 80 lines of `text`, cut to its last 2 KiB. */
export function logTail(text: string): string {
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  const tail = lines.slice(-MAX_FALLBACK_LOG_LINES).join('\n') + (lines.length > 0 && text.endsWith('\n') ? '\n' : '')
  const bytes = Buffer.from(tail)
  return bytes.length <= MAX_FALLBACK_LOG_BYTES ? tail : bytes.subarray(bytes.length - MAX_FALLBACK_LOG_BYTES).toString()
}

async function readHead(file: string, max: number): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined)
  if (!handle) return ''
  try {
    const buffer = Buffer.alloc(max)
    const {bytesRead} = await handle.read(buffer, 0, max, 0)
    return buffer.subarray(0, bytesRead).toString()
  } finally {
    await handle.close()
  }
}
