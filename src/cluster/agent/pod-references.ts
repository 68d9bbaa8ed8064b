// Which pods use a ConfigMap or Secret, so that a change to one wakes them: their configMap, secret and
// projected volume files are rewritten at once (the kubelet gets there on its ~1 min sync; waking on
// the watch makes `kubectl apply` of a ConfigMap visible in the files within a second), and pods
// waiting for a missing source try again.
import type {Container, Pod, Volume} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../api/types.js'

export type SourceKind = 'ConfigMap' | 'Secret'

export function podReferences(pod: Pod, kind: SourceKind, name: string): boolean {
  const spec = pod.spec
  if (!spec) return false
  if ((spec.volumes ?? []).some((v) => volumeReferences(v, kind, name))) return true
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])]
  return containers.some((c) => containerReferences(c, kind, name))
}

function volumeReferences(v: Volume, kind: SourceKind, name: string): boolean {
  if (kind === 'ConfigMap') {
    if (v.configMap?.name === name) return true
    return (v.projected?.sources ?? []).some((s) => s.configMap?.name === name)
  }
  if (v.secret?.secretName === name) return true
  return (v.projected?.sources ?? []).some((s) => s.secret?.name === name)
}

function containerReferences(c: Container, kind: SourceKind, name: string): boolean {
  if (kind === 'ConfigMap') {
    return (c.envFrom ?? []).some((e) => e.configMapRef?.name === name) || (c.env ?? []).some((e) => e.valueFrom?.configMapKeyRef?.name === name)
  }
  return (c.envFrom ?? []).some((e) => e.secretRef?.name === name) || (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef?.name === name)
}

/** The keys of the pods in `source`'s namespace that use it, from a namespace-indexed pod list. */
export function podKeysReferencing(source: KubeObject, kind: SourceKind, podsInNamespace: (namespace: string) => readonly KubeObject[]): Array<{namespace: string; name: string}> {
  const namespace = source.metadata.namespace
  if (!namespace) return []
  return podsInNamespace(namespace)
    .filter((pod) => podReferences(pod as unknown as Pod, kind, source.metadata.name!))
    .map((pod) => ({namespace, name: pod.metadata.name!}))
}
