// The translation from a Pod's container to what the runtime needs beyond image and identity: the
// environment (envFrom, env, downward API), expanded command/args, volumes set up on the host and
// mounted, limits, user and terminal flags. The agent calls containerConfig before each start,
// refreshVolumes on its periodic sync (the kubelet re-projects configMap/secret/downward volumes),
// and removePodVolumes when the pod is gone.
import {availableParallelism, totalmem} from 'node:os'
import {rm} from 'node:fs/promises'
import type {Container, Node, Pod, Service} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../../api/resources.js'
import type {ObjectRegistry} from '../../apiserver/registry/object-registry.js'
import {logger} from '../../log.js'
import type {ContainerSpec} from '../../runtime/runtime.js'
import type {DownwardContext} from './downward-api.js'
import {EnvSources} from './env-sources.js'
import {expandCommand, resolveEnv} from './resolve-env.js'
import {runtimeSettings} from './runtime-settings.js'
import {serviceEnvVarMap} from '../../network/service-env.js'
import {resolvConfMount, type ClusterDns} from './pod-dns.js'
import type {ProjectedTokenSource} from './projected-tokens.js'
import {isProjectedKind, volumePayload} from './volume-payloads.js'
import {hasPayload, writeAtomically} from './volume-writer.js'
import {containerMounts, podDir, setUpVolume, volumeDir, type VolumeHandle} from './volumes.js'

export {ContainerConfigError} from './config-error.js'

const NODES = resourceOfKind('Node')
const log = logger('agent')

export interface ContainerConfigDeps {
  registry: Pick<ObjectRegistry, 'tryGet'>
  /** Root for per-pod volume dirs, e.g. <stateDir>/pods. */
  podsDir: string
  /** The node's IP for status.hostIP; default: the pod's status.hostIP. */
  hostIP?: string
  /**
   * The Services of a namespace and default/kubernetes, for the `<SVC>_SERVICE_HOST`-style variables of
   * the Services that exist when a container starts; without it a container gets none.
   */
  services?: (namespace: string) => Promise<Service[]>
  /** The cluster DNS the pods' resolv.conf points at (dnsPolicy ClusterFirst); without it containers keep the runtime's resolver. */
  dns?: ClusterDns
  /** Pod-bound tokens for serviceAccountToken projections; without it those projections give no file. */
  tokens?: ProjectedTokenSource
  /** Events the kubelet records while configuring (InvalidEnvironmentVariableNames, Warning). */
  onWarning?: (pod: Pod, container: Container, reason: string, message: string) => void
}

/**
 * Everything the runtime needs beyond image/identity: env (ordered, $(VAR) expanded as the kubelet does),
 * command/args expanded over that env, mounts (volume dirs materialised on the host), tmpfs, workingDir,
 * limits, user, tty/stdin. Throws a ContainerConfigError: reason CreateContainerConfigError with the
 * kubelet's message when an env source is missing (`configmap "x" not found`, `couldn't find key k in
 * ConfigMap ns/x`, `secret "s" not found`) or a mount is wrong; reason FailedMount when a volume cannot
 * be set up. Optional sources are skipped.
 */
export async function containerConfig(deps: ContainerConfigDeps, pod: Pod, container: Container, podIP: string | undefined): Promise<Partial<ContainerSpec>> {
  const sources = new EnvSources(deps.registry, pod.metadata?.namespace ?? '', deps.tokens)
  const ctx = await downwardContext(deps, pod, podIP)
  // The kubelet mounts every volume of the pod before starting any container.
  const volumes = new Map<string, VolumeHandle>()
  for (const v of pod.spec?.volumes ?? []) volumes.set(v.name, await setUpVolume(deps.podsDir, pod.metadata!.uid!, v, sources, ctx))
  const namespace = pod.metadata?.namespace ?? ''
  const serviceEnv = deps.services ? serviceEnvVarMap(await deps.services(namespace), {namespace, enableServiceLinks: pod.spec?.enableServiceLinks}) : undefined
  const {env, warnings} = await resolveEnv(container, sources, ctx, serviceEnv)
  for (const w of warnings) deps.onWarning?.(pod, container, w.reason, w.message)
  const {mounts, tmpfs} = await containerMounts(container, volumes, env)
  const resolvConf = deps.dns && (await resolvConfMount(deps.podsDir, pod, deps.dns))
  if (resolvConf) mounts.push(resolvConf)
  const command = expandCommand(container.command, env)
  const args = expandCommand(container.args, env)
  return {
    ...runtimeSettings(pod, container),
    env: Object.fromEntries(env),
    ...(command && {command}),
    ...(args && {args}),
    ...(mounts.length > 0 && {mounts}),
    ...(tmpfs.length > 0 && {tmpfs}),
  }
}

/**
 * Re-writes the configMap/secret/downwardAPI/projected volumes of a running pod whose sources changed
 * (atomically, through `..data`). A volume whose source cannot be read keeps its files, as in the
 * kubelet; volumes never set up are left alone. Resolves true when any file changed.
 */
export async function refreshVolumes(deps: ContainerConfigDeps, pod: Pod): Promise<boolean> {
  const uid = pod.metadata?.uid
  if (!uid) return false
  const sources = new EnvSources(deps.registry, pod.metadata?.namespace ?? '', deps.tokens)
  const ctx = await downwardContext(deps, pod, pod.status?.podIP)
  let changed = false
  for (const v of pod.spec?.volumes ?? []) {
    if (!isProjectedKind(v)) continue
    const dir = volumeDir(deps.podsDir, uid, v)!
    if (!(await hasPayload(dir))) continue
    try {
      if (await writeAtomically(dir, await volumePayload(v, sources, ctx))) changed = true
    } catch (error) {
      log.warn({err: error, pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, volume: v.name}, 'volume refresh failed')
    }
  }
  return changed
}

/** Removes a pod's volume dirs (pod deleted). hostPath volumes are never touched. */
export async function removePodVolumes(deps: ContainerConfigDeps, podUid: string): Promise<void> {
  await rm(podDir(deps.podsDir, podUid), {recursive: true, force: true})
}

async function downwardContext(deps: ContainerConfigDeps, pod: Pod, podIP: string | undefined): Promise<DownwardContext> {
  const nodeName = pod.spec?.nodeName
  const node = nodeName ? ((await deps.registry.tryGet(NODES, undefined, nodeName)) as Node | undefined) : undefined
  // Without a Node object (tests, a node not registered yet) the machine's own size is what limits a container.
  const allocatable = node?.status?.allocatable ?? {cpu: String(availableParallelism()), memory: String(totalmem())}
  return {pod, podIP, hostIP: deps.hostIP, allocatable}
}
