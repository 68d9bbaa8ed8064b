// Every container kcluster creates carries these labels; they are the only record of which pod a
// container belongs to, so a fresh runtime (after a control-plane restart) rediscovers everything from Docker.
import type {ContainerSpec} from '../runtime.js'

export const LABEL = {
  cluster: 'kcluster.io/cluster',
  namespace: 'kcluster.io/namespace',
  podName: 'kcluster.io/pod-name',
  podUid: 'kcluster.io/pod-uid',
  container: 'kcluster.io/container',
  restartCount: 'kcluster.io/restart-count',
  role: 'kcluster.io/role',
  /** JSON of the spec's optional fields (command, args, env...), which Docker merges with image defaults. */
  spec: 'kcluster.io/spec',
} as const

/** A pod's sandbox, a pod's app container, or the cluster's kcluster-net. */
export type ContainerRole = 'sandbox' | 'app' | 'net'

/** The kcluster.io/container value of a pod's sandbox; never a valid container name (DNS labels are lowercase). */
export const SANDBOX_CONTAINER = 'POD'

type PodIdentity = Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>

type OptionalFields = Omit<ContainerSpec, 'namespace' | 'podName' | 'podUid' | 'containerName' | 'image' | 'restartCount'>

export function sandboxLabels(cluster: string, pod: PodIdentity): Record<string, string> {
  return {
    [LABEL.cluster]: cluster,
    [LABEL.namespace]: pod.namespace,
    [LABEL.podName]: pod.podName,
    [LABEL.podUid]: pod.podUid,
    [LABEL.container]: SANDBOX_CONTAINER,
    [LABEL.restartCount]: '0',
    [LABEL.role]: 'sandbox',
  }
}

export function appLabels(cluster: string, spec: ContainerSpec): Record<string, string> {
  const {namespace, podName, podUid, containerName, image, restartCount, ...optional} = spec
  void image
  const labels: Record<string, string> = {
    ...sandboxLabels(cluster, {namespace, podName, podUid}),
    [LABEL.container]: containerName,
    [LABEL.restartCount]: String(restartCount),
    [LABEL.role]: 'app',
  }
  const defined = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined))
  if (Object.keys(defined).length > 0) labels[LABEL.spec] = JSON.stringify(defined)
  return labels
}

/** The spec an app container was started from, or undefined when its labels are not kcluster's. */
export function specFromLabels(labels: Record<string, string> | undefined, image: string): ContainerSpec | undefined {
  if (!labels || labels[LABEL.role] !== 'app') return undefined
  const namespace = labels[LABEL.namespace]
  const podName = labels[LABEL.podName]
  const podUid = labels[LABEL.podUid]
  const containerName = labels[LABEL.container]
  if (!namespace || !podName || !podUid || !containerName) return undefined
  const restartCount = Number.parseInt(labels[LABEL.restartCount] ?? '0', 10)
  let optional: OptionalFields = {}
  try {
    if (labels[LABEL.spec]) optional = JSON.parse(labels[LABEL.spec]) as OptionalFields
  } catch {
    // A label edited by hand: the identity above is still enough to manage the container.
  }
  return {...optional, namespace, podName, podUid, containerName, image, restartCount: Number.isFinite(restartCount) ? restartCount : 0}
}

/** Engine API `filters.label` entries: the cluster, an optional role, then any extra label=value pairs. */
export function labelFilter(cluster: string | undefined, role?: ContainerRole, extra: Record<string, string | undefined> = {}): string[] {
  const pairs: string[] = cluster === undefined ? [LABEL.cluster] : [`${LABEL.cluster}=${cluster}`]
  if (role) pairs.push(`${LABEL.role}=${role}`)
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) pairs.push(`${key}=${value}`)
  return pairs
}
