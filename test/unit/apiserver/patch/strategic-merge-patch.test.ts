// The strategic merge patches real kubectl 1.32 sent (kubectl-wire captures, compat doc section 6), applied to
// realistic live objects.
import {describe, expect, it} from 'vitest'
import {applyStrategicMergePatch} from '../../../../src/cluster/apiserver/patch/strategic-merge-patch.js'
import {liveDeployment, liveNode, livePod, liveService} from './live-objects.js'

const DEPLOYMENT = {group: 'apps', kind: 'Deployment'}

const LAST_APPLIED_V2 =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"}],"image":"nginx:1.26","name":"nginx","ports":[{"containerPort":80}]}]}}}}\n'

// Request bodies exactly as captured (apply_change.reqs, set_image.reqs, patch_smp.reqs, rollout_restart.reqs, edit.reqs).
const APPLY_CHANGE_BODY = JSON.stringify({
  metadata: {annotations: {'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED_V2}},
  spec: {template: {spec: {
    '$setElementOrder/containers': [{name: 'nginx'}],
    containers: [{
      '$setElementOrder/env': [{name: 'A'}],
      '$setElementOrder/ports': [{containerPort: 80}],
      env: [{$patch: 'delete', name: 'B'}],
      image: 'nginx:1.26',
      name: 'nginx',
      ports: [{$patch: 'delete', containerPort: 443}],
    }],
  }}},
})
const SET_IMAGE_BODY = '{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}'
const PATCH_SMP_BODY = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}'
const ROLLOUT_RESTART_BODY = '{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T08:05:08Z"}}}}}'
const EDIT_BODY = '{"spec":{"replicas":6},"status":{"replicas":6}}'
const CORDON_BODY = '{"spec":{"unschedulable":true}}'

function patchDeployment(body: string) {
  return applyStrategicMergePatch(liveDeployment(), JSON.parse(body), DEPLOYMENT) as ReturnType<typeof liveDeployment>
}

describe('strategic merge patch: payloads captured from kubectl', () => {
  it('client-side apply of a changed manifest updates the image and removes port 443 and env B, leaving server defaults', () => {
    const expected = liveDeployment()
    expected.metadata!.annotations!['kubectl.kubernetes.io/last-applied-configuration'] = LAST_APPLIED_V2
    const container = expected.spec!.template.spec!.containers[0]!
    container.image = 'nginx:1.26'
    container.ports = [{containerPort: 80, protocol: 'TCP'}]
    container.env = [{name: 'A', value: '1'}]

    expect(patchDeployment(APPLY_CHANGE_BODY)).toEqual(expected)
  })

  it.each([
    ['kubectl set image', SET_IMAGE_BODY, 'nginx:1.28'],
    ['kubectl patch (default strategic)', PATCH_SMP_BODY, 'nginx:1.27'],
  ])('%s changes only the image of the container matched by name', (_, body, image) => {
    const expected = liveDeployment()
    expected.spec!.template.spec!.containers[0]!.image = image

    expect(patchDeployment(body)).toEqual(expected)
  })

  it('rollout restart adds the restartedAt annotation to the pod template and keeps its labels', () => {
    const result = patchDeployment(ROLLOUT_RESTART_BODY)

    expect(result.spec!.template.metadata).toEqual({
      labels: {app: 'web'},
      annotations: {'kubectl.kubernetes.io/restartedAt': '2026-11-22T08:05:08Z'},
    })
    expect(result.spec!.template.spec).toEqual(liveDeployment().spec!.template.spec)
  })

  it('a second rollout restart overwrites the previous restartedAt value', () => {
    const once = applyStrategicMergePatch(liveDeployment(), JSON.parse(ROLLOUT_RESTART_BODY), DEPLOYMENT)
    const twice = applyStrategicMergePatch(once, {spec: {template: {metadata: {annotations: {'kubectl.kubernetes.io/restartedAt': '2026-11-22T09:00:00Z'}}}}}, DEPLOYMENT) as ReturnType<typeof liveDeployment>

    expect(twice.spec!.template.metadata!.annotations).toEqual({'kubectl.kubernetes.io/restartedAt': '2026-11-22T09:00:00Z'})
  })

  it('kubectl edit sets spec.replicas and status.replicas and nothing else', () => {
    const expected = liveDeployment()
    expected.spec!.replicas = 6
    expected.status!.replicas = 6

    expect(patchDeployment(EDIT_BODY)).toEqual(expected)
  })

  it('kubectl cordon sets spec.unschedulable on the node', () => {
    const result = applyStrategicMergePatch(liveNode(), JSON.parse(CORDON_BODY), {group: '', kind: 'Node'})

    expect(result).toEqual({...liveNode(), spec: {...liveNode().spec, unschedulable: true}})
  })

  it('client-side apply adding a sidecar places it where $setElementOrder says', () => {
    const body = {spec: {template: {spec: {
      '$setElementOrder/containers': [{name: 'nginx'}, {name: 'sidecar'}],
      containers: [{image: 'busybox', name: 'sidecar'}],
    }}}}

    const containers = patchDeployment(JSON.stringify(body)).spec!.template.spec!.containers

    expect(containers.map((c) => c.name)).toEqual(['nginx', 'sidecar'])
    expect(containers[1]).toEqual({name: 'sidecar', image: 'busybox'})
  })

  it('client-side apply re-adding env B and port 443 restores the original order', () => {
    const afterChange = patchDeployment(APPLY_CHANGE_BODY)
    const body = {spec: {template: {spec: {
      '$setElementOrder/containers': [{name: 'nginx'}],
      containers: [{
        '$setElementOrder/env': [{name: 'A'}, {name: 'B'}],
        '$setElementOrder/ports': [{containerPort: 80}, {containerPort: 443}],
        env: [{name: 'B', value: '2'}],
        image: 'nginx:1.25',
        name: 'nginx',
        ports: [{containerPort: 443}],
      }],
    }}}}

    const container = applyStrategicMergePatch(afterChange, body, DEPLOYMENT) as ReturnType<typeof liveDeployment>

    expect(container.spec!.template.spec!.containers[0]!.env).toEqual([{name: 'A', value: '1'}, {name: 'B', value: '2'}])
    expect(container.spec!.template.spec!.containers[0]!.ports).toEqual([{containerPort: 80, protocol: 'TCP'}, {containerPort: 443}])
  })

  it('client-side apply switching the strategy to Recreate drops rollingUpdate through $retainKeys', () => {
    const body = {spec: {strategy: {$retainKeys: ['type'], rollingUpdate: null, type: 'Recreate'}}}

    const result = applyStrategicMergePatch(liveDeployment(), body, DEPLOYMENT) as ReturnType<typeof liveDeployment>

    expect(result.spec!.strategy).toEqual({type: 'Recreate'})
  })

  it('client-side apply switching a volume from emptyDir to a configMap keeps only the retained keys', () => {
    const body = {spec: {
      '$setElementOrder/volumes': [{name: 'data'}, {name: 'kube-api-access'}],
      volumes: [{$retainKeys: ['configMap', 'name'], configMap: {name: 'cfg'}, name: 'data'}],
    }}

    const result = applyStrategicMergePatch(livePod(), body, {group: '', kind: 'Pod'}) as ReturnType<typeof livePod>

    expect(result.spec!.volumes).toEqual([
      {name: 'data', configMap: {name: 'cfg'}},
      livePod().spec!.volumes![1],
    ])
  })

  it('client-side apply of a Service changes a port by number and drops another, keeping allocated nodePorts', () => {
    const body = {spec: {'$setElementOrder/ports': [{port: 80}], ports: [{port: 80, targetPort: 8081}, {$patch: 'delete', port: 443}]}}

    const result = applyStrategicMergePatch(liveService(), body, {group: '', kind: 'Service'}) as ReturnType<typeof liveService>

    expect(result.spec!.ports).toEqual([{name: 'http', port: 80, protocol: 'TCP', targetPort: 8081, nodePort: 30080}])
    expect(result.spec!.clusterIP).toBe('10.96.12.34')
  })

  it('does not modify the live object or the patch it is given', () => {
    const live = liveDeployment()
    const patch = JSON.parse(APPLY_CHANGE_BODY)
    const liveBefore = structuredClone(live)
    const patchBefore = structuredClone(patch)

    applyStrategicMergePatch(live, patch, DEPLOYMENT)

    expect(live).toEqual(liveBefore)
    expect(patch).toEqual(patchBefore)
  })

  it('returns an object that shares no nested values with its inputs', () => {
    const live = liveDeployment()
    const patch = JSON.parse(SET_IMAGE_BODY)

    const result = applyStrategicMergePatch(live, patch, DEPLOYMENT) as ReturnType<typeof liveDeployment>
    result.spec!.template.spec!.containers[0]!.env!.push({name: 'C'})
    result.metadata!.labels!.mutated = 'yes'

    expect(live).toEqual(liveDeployment())
  })
})
