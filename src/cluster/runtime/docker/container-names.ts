// Docker names, in the dockershim style `k8s_<container>_<pod>_<namespace>_<uid8>_<attempt>`, so
// `docker ps` reads like `kubectl get pods`. Unique per restart attempt; labels, not names, are what
// the runtime trusts (a name is only checked when Docker refuses a duplicate).
import type {ContainerSpec} from '../runtime.js'
import {SANDBOX_CONTAINER} from './labels.js'

type PodIdentity = Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>

export function appContainerName(spec: ContainerSpec): string {
  return dockerName(spec.containerName, spec, spec.restartCount)
}

export function sandboxContainerName(pod: PodIdentity): string {
  return dockerName(SANDBOX_CONTAINER, pod, 0)
}

/** Docker allows `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; Kubernetes names already fit, anything else is replaced. */
function dockerName(container: string, pod: PodIdentity, attempt: number): string {
  const uid8 = pod.podUid.replace(/-/g, '').slice(0, 8)
  return ['k8s', container, pod.podName, pod.namespace, uid8, String(attempt)].map((part) => part.replace(/[^a-zA-Z0-9.-]/g, '-')).join('_')
}

/** Hostnames are DNS labels of at most 63 characters; Kubernetes truncates the pod name the same way. */
export function podHostname(podName: string): string {
  return podName.slice(0, 63).replace(/[.-]+$/, '') || 'pod'
}
