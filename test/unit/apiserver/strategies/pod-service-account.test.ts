import type {Pod} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {podStrategy} from '../../../../src/cluster/apiserver/strategies/pod-strategy.js'
import {clone, fakeContext, messages, object} from './fixtures.js'

const MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'

async function created(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): Promise<Pod> {
  const p = object('Pod', 'v1', {metadata, spec})
  podStrategy.applyDefaults(p)
  await podStrategy.prepareForCreate(p, fakeContext())
  expect(messages(podStrategy.validate(p))).toEqual([])
  return p as unknown as Pod
}

describe('ServiceAccount admission of a new pod', () => {
  it('adds the kube-api-access projected volume exactly as upstream and mounts it read-only in every container', async () => {
    const pod = await created({
      initContainers: [{name: 'init', image: 'busybox'}],
      containers: [{name: 'web', image: 'nginx', volumeMounts: [{name: 'data', mountPath: '/data'}]}, {name: 'side', image: 'busybox'}],
      volumes: [{name: 'data', emptyDir: {}}],
    })
    const volumes = pod.spec!.volumes!
    expect(volumes).toHaveLength(2)
    const name = volumes[1]!.name
    expect(name).toMatch(/^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    expect(volumes[1]).toEqual({
      name,
      projected: {
        defaultMode: 420,
        sources: [
          {serviceAccountToken: {expirationSeconds: 3607, path: 'token'}},
          {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
          {downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
        ],
      },
    })
    const mount = {name, readOnly: true, mountPath: MOUNT_PATH}
    expect(pod.spec!.initContainers![0]!.volumeMounts).toEqual([mount])
    expect(pod.spec!.containers[0]!.volumeMounts).toEqual([{name: 'data', mountPath: '/data'}, mount])
    expect(pod.spec!.containers[1]!.volumeMounts).toEqual([mount])
  })

  it('adds nothing when the pod opts out with automountServiceAccountToken: false', async () => {
    const pod = await created({automountServiceAccountToken: false, containers: [{name: 'web', image: 'nginx'}]})
    expect(pod.spec!.volumes).toBeUndefined()
    expect(pod.spec!.containers[0]!.volumeMounts).toBeUndefined()
  })

  it('leaves containers that already mount something at the path alone, and adds no volume when none needs it', async () => {
    const pod = await created({
      containers: [{name: 'web', image: 'nginx', volumeMounts: [{name: 'own', mountPath: MOUNT_PATH}]}],
      volumes: [{name: 'own', secret: {secretName: 'token'}}],
    })
    expect(pod.spec!.volumes!.map((v) => v.name)).toEqual(['own'])
    expect(pod.spec!.containers[0]!.volumeMounts).toEqual([{name: 'own', mountPath: MOUNT_PATH}])
  })

  it('reuses a kube-api-access volume the pod already carries (a re-created copy of a pod)', async () => {
    const first = await created({containers: [{name: 'web', image: 'nginx'}]})
    const copy = clone(first) as unknown as KubeObject & Pod
    copy.spec!.containers.push({name: 'late', image: 'busybox'})
    const again = await created(copy.spec as unknown as Record<string, unknown>)
    expect(again.spec!.volumes!.map((v) => v.name)).toEqual([first.spec!.volumes![0]!.name])
    expect(again.spec!.containers[1]!.volumeMounts).toEqual([{name: first.spec!.volumes![0]!.name, readOnly: true, mountPath: MOUNT_PATH}])
  })

  it('does not touch mirror pods', async () => {
    const pod = await created({containers: [{name: 'web', image: 'nginx'}]}, {annotations: {'kubernetes.io/config.mirror': 'x'}})
    expect(pod.spec!.volumes).toBeUndefined()
  })

  it('runs on create only: an update keeps the volumes the pod was created with', async () => {
    const old = (await created({containers: [{name: 'web', image: 'nginx'}]})) as unknown as KubeObject
    old.metadata.resourceVersion = '3'
    const next = clone(old)
    ;(next.spec as Pod['spec'])!.containers[0]!.image = 'nginx:2'
    podStrategy.applyDefaults(next)
    await podStrategy.prepareForUpdate(next, old, fakeContext())
    expect(messages(podStrategy.validateUpdate(next, old))).toEqual([])
    expect((next.spec as Pod['spec'])!.volumes).toEqual((old.spec as Pod['spec'])!.volumes)
  })
})
