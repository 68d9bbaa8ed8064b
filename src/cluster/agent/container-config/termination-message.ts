// A container's termination message, as the kubelet collects it: an empty file on the host is mounted
// at terminationMessagePath (default /dev/termination-log) for each container instance; after the
// container exits, what it wrote there (at most 4 KiB) becomes state.terminated.message. With
// terminationMessagePolicy FallbackToLogsOnError, a failed container that wrote nothing gets the
// tail of its output instead (80 lines, 2 KiB), as kubelet's kuberuntime does.
import {chmod, mkdir, open, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import type {ContainerMount, ContainerRuntime, RuntimeContainer} from '../../runtime/runtime.js'
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

/** Each exited instance's message, read once (an exited instance never changes) and kept until its pod goes. */
export class TerminationMessages {
  /** `<pod uid>/<container id>` → the message (undefined: it left none). */
  private readonly read = new Map<string, string | undefined>()

  constructor(private readonly deps: {podsDir: string; runtime: Pick<ContainerRuntime, 'logs'>}) {}

  /** The pod's containers, exited ones with their message in state.message. */
  async withMessages(pod: Pod, containers: RuntimeContainer[]): Promise<RuntimeContainer[]> {
    const uid = pod.metadata!.uid!
    return Promise.all(
      containers.map(async (rc) => {
        if (rc.state.state !== 'exited') return rc
        const key = `${uid}/${rc.id}`
        if (!this.read.has(key)) {
          const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === rc.spec.containerName)
          const instance = {restartCount: rc.spec.restartCount, exitCode: rc.state.exitCode}
          this.read.set(key, spec && (await terminationMessage(this.deps.podsDir, uid, spec, instance, () => this.deps.runtime.logs(rc.id))))
        }
        const message = this.read.get(key)
        return message ? {...rc, state: {...rc.state, message}} : rc
      }),
    )
  }

  forgetPod(uid: string): void {
    for (const key of this.read.keys()) if (key.startsWith(`${uid}/`)) this.read.delete(key)
  }
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
