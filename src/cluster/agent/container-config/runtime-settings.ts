// The container settings that need no lookups: resource limits (memory in bytes, cpu in millicores,
// both rounded up as Quantity.Value/MilliValue do), the user from runAsUser/runAsGroup (the container's
// securityContext over the pod's), working directory and terminal flags.
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {parseQuantity, toMilli} from '../../apiserver/strategies/quantity.js'
import type {ContainerSpec} from '../../runtime/runtime.js'
import {configError} from './config-error.js'

type Settings = Pick<ContainerSpec, 'memoryLimitBytes' | 'cpuLimitMillicores' | 'user' | 'workingDir' | 'tty' | 'stdin' | 'stdinOnce' | 'privileged' | 'readOnlyRootFilesystem' | 'capabilities'>

export function runtimeSettings(pod: Pod, container: Container): Settings {
  const settings: Settings = {...limitsOf(container), ...userOf(pod, container)}
  if (container.workingDir) settings.workingDir = container.workingDir
  if (container.tty) settings.tty = true
  if (container.stdin) settings.stdin = true
  if (container.stdinOnce) settings.stdinOnce = true
  const sc = container.securityContext
  if (sc?.privileged) settings.privileged = true
  if (sc?.readOnlyRootFilesystem) settings.readOnlyRootFilesystem = true
  // Kubernetes accepts names with or without the CAP_ prefix; Docker wants them without.
  const caps = (names?: string[]) => names?.map((n) => n.replace(/^CAP_/, ''))
  if (sc?.capabilities?.add?.length || sc?.capabilities?.drop?.length) settings.capabilities = {add: caps(sc.capabilities.add), drop: caps(sc.capabilities.drop)}
  return settings
}

export function limitsOf(container: Container): Pick<ContainerSpec, 'memoryLimitBytes' | 'cpuLimitMillicores'> {
  const limits = container.resources?.limits ?? {}
  const out: Pick<ContainerSpec, 'memoryLimitBytes' | 'cpuLimitMillicores'> = {}
  try {
    if (limits.memory !== undefined) {
      const nano = parseQuantity(String(limits.memory)).nano
      out.memoryLimitBytes = Number(nano / 1_000_000_000n + (nano % 1_000_000_000n > 0n ? 1n : 0n))
    }
    if (limits.cpu !== undefined) out.cpuLimitMillicores = Number(toMilli(parseQuantity(String(limits.cpu))))
  } catch (error) {
    throw configError(`invalid resource limit in container ${container.name}: ${(error as Error).message}`, error)
  }
  return out
}

/**
 * `uid` or `uid:gid`. runAsNonRoot with an explicit runAsUser 0 fails the start as in the kubelet; with
 * no runAsUser the image's user would have to be inspected, which is not done here.
 */
export function userOf(pod: Pod, container: Container): Pick<ContainerSpec, 'user'> {
  const podSc = pod.spec?.securityContext
  const sc = container.securityContext
  const uid = sc?.runAsUser ?? podSc?.runAsUser
  const gid = sc?.runAsGroup ?? podSc?.runAsGroup
  const nonRoot = sc?.runAsNonRoot ?? podSc?.runAsNonRoot
  if (nonRoot && uid === 0) {
    const podRef = `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`
    throw configError(`container's runAsUser breaks non-root policy (pod: "${podRef}", container: ${container.name})`)
  }
  if (uid === undefined) return {}
  return {user: gid === undefined ? String(uid) : `${uid}:${gid}`}
}
