// Which pod and container a streaming request is about, with the real server's refusals: the API
// server's 404 / 400 Status, and the kubelet's plain-text answer for a container that is not
// running, which kubectl prints as `unable to upgrade connection: container not found ("x")`.
import type {Pod} from 'kubernetes-types/core/v1.js'
import {badRequest} from '../../api/errors.js'
import {resourceOfKind} from '../../api/resources.js'
import type {ObjectRegistry} from '../registry/object-registry.js'

/** A refusal the kubelet would send as plain text rather than a Status. */
export class KubeletRefusal extends Error {
  override name = 'KubeletRefusal'
  readonly code = 'KUBELET_REFUSAL'
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message)
  }
}

export interface PodTarget {
  namespace: string
  pod: string
  podUid: string
}

export async function resolvePod(registry: Pick<ObjectRegistry, 'get'>, namespace: string, name: string): Promise<Pod> {
  const pod = (await registry.get(resourceOfKind('Pod'), namespace, name)) as unknown as Pod
  if (!pod.spec?.nodeName) throw badRequest(`pod ${name} does not have a host assigned`)
  return pod
}

export function podTarget(pod: Pod): PodTarget {
  return {namespace: pod.metadata?.namespace ?? 'default', pod: pod.metadata?.name ?? '', podUid: pod.metadata?.uid ?? ''}
}

/** `?container=`, else the default-container annotation, else the first container. */
export function resolveContainer(pod: Pod, requested: string | null): string {
  const name = pod.metadata?.name ?? ''
  const containers = pod.spec?.containers ?? []
  const all = [...containers, ...(pod.spec?.initContainers ?? []), ...(pod.spec?.ephemeralContainers ?? [])]
  const container = requested || pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] || containers[0]?.name
  if (!container) throw badRequest(`a container name must be specified for pod ${name}`)
  if (!all.some((c) => c.name === container)) throw badRequest(`container ${container} is not valid for pod ${name}`)
  return container
}

/** The kubelet only execs into, or attaches to, a running container. */
export function requireRunning(pod: Pod, container: string): void {
  const statuses = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])]
  const status = statuses.find((s) => s.name === container)
  if (!status?.state?.running) throw new KubeletRefusal(500, `container not found (${JSON.stringify(container)})`)
}
