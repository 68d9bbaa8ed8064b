import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {imageTag} from '../../../../src/cluster/apiserver/strategies/pod-defaults.js'
import {podQOSClass, podStrategy} from '../../../../src/cluster/apiserver/strategies/pod-strategy.js'
import {clone, fakeContext, messages, object} from './fixtures.js'

const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject => object('Pod', 'v1', {metadata, spec})
const web = {name: 'web', image: 'nginx:1.27'}

/** A pod as the API server stores it after defaults and create preparation. */
async function created(spec: Record<string, unknown>): Promise<KubeObject> {
  const p = pod(spec)
  podStrategy.applyDefaults(p)
  await podStrategy.prepareForCreate(p, fakeContext())
  return p
}

describe('pod strategy defaults', () => {
  it('defaults a minimal pod like the real API server (with admission defaults)', () => {
    const p = pod({containers: [{name: 'web', image: 'nginx'}]})
    podStrategy.applyDefaults(p)
    expect(p.spec).toEqual({
      containers: [{
        name: 'web', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File', resources: {},
      }],
      dnsPolicy: 'ClusterFirst',
      restartPolicy: 'Always',
      securityContext: {},
      terminationGracePeriodSeconds: 30,
      schedulerName: 'default-scheduler',
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [
        {key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
        {key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300},
      ],
    })
  })

  it('defaults ports, probes, env field references and volumes', () => {
    const p = pod({
      containers: [{
        ...web,
        ports: [{containerPort: 80}],
        livenessProbe: {httpGet: {port: 80}},
        env: [{name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName'}}}],
        resources: {limits: {cpu: '1'}},
      }],
      volumes: [{name: 'scratch'}, {name: 'cfg', configMap: {name: 'cfg'}}, {name: 'creds', secret: {secretName: 's'}}],
    })
    podStrategy.applyDefaults(p)
    const c = (p.spec as {containers: Array<Record<string, unknown>>}).containers[0]
    expect(c.ports).toEqual([{containerPort: 80, protocol: 'TCP'}])
    expect(c.livenessProbe).toEqual({httpGet: {port: 80, path: '/', scheme: 'HTTP'}, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3})
    expect(c.env).toEqual([{name: 'NODE', valueFrom: {fieldRef: {fieldPath: 'spec.nodeName', apiVersion: 'v1'}}}])
    expect(c.resources).toEqual({limits: {cpu: '1'}, requests: {cpu: '1'}})
    expect((p.spec as {volumes: unknown}).volumes).toEqual([
      {name: 'scratch', emptyDir: {}},
      {name: 'cfg', configMap: {name: 'cfg', defaultMode: 420}},
      {name: 'creds', secret: {secretName: 's', defaultMode: 420}},
    ])
  })

  it('keeps tolerations the pod already has for unreachable nodes', () => {
    const p = pod({containers: [web], tolerations: [{operator: 'Exists'}]})
    podStrategy.applyDefaults(p)
    expect((p.spec as {tolerations: unknown}).tolerations).toEqual([{operator: 'Exists'}])
  })

  it.each([
    ['nginx', 'latest'],
    ['nginx:1.27', '1.27'],
    ['localhost:5000/nginx', 'latest'],
    ['localhost:5000/nginx:v2', 'v2'],
    ['nginx@sha256:abcd', ''],
  ])('reads the tag of %s as %j', (image, tag) => {
    expect(imageTag(image)).toBe(tag)
  })

  it('uses IfNotPresent for pinned tags and digests', () => {
    const p = pod({containers: [{name: 'a', image: 'nginx:1.27'}, {name: 'b', image: 'nginx@sha256:abcd'}, {name: 'c', image: 'nginx:latest'}]})
    podStrategy.applyDefaults(p)
    const policies = (p.spec as {containers: Array<{imagePullPolicy: string}>}).containers.map((c) => c.imagePullPolicy)
    expect(policies).toEqual(['IfNotPresent', 'IfNotPresent', 'Always'])
  })
})

describe('pod strategy status handling', () => {
  it.each([
    ['BestEffort', {}],
    ['Burstable', {requests: {cpu: '100m'}}],
    ['Guaranteed', {limits: {cpu: '1', memory: '1Gi'}}],
    ['Burstable', {limits: {cpu: '1'}}],
    ['Guaranteed', {requests: {cpu: '1000m', memory: '1024Mi'}, limits: {cpu: '1', memory: '1Gi'}}],
    ['Burstable', {requests: {cpu: '500m', memory: '1Gi'}, limits: {cpu: '1', memory: '1Gi'}}],
  ])('computes QoS class %s for resources %j', async (qos, resources) => {
    const p = await created({containers: [{...web, resources}]})
    expect(p.status).toEqual({phase: 'Pending', qosClass: qos})
    expect(podQOSClass(p.spec as never)).toBe(qos)
  })

  it('drops a client-sent status on create', async () => {
    const p = pod({containers: [web]})
    p.status = {phase: 'Running', podIP: '1.2.3.4'}
    podStrategy.applyDefaults(p)
    await podStrategy.prepareForCreate(p, fakeContext())
    expect(p.status).toEqual({phase: 'Pending', qosClass: 'BestEffort'})
  })

  it('keeps the old status on a main-resource update', async () => {
    const old = await created({containers: [web]})
    old.status = {phase: 'Running', qosClass: 'BestEffort'}
    const next = clone(old)
    next.status = {phase: 'Failed'}
    await podStrategy.prepareForUpdate(next, old, fakeContext())
    expect(next.status).toEqual({phase: 'Running', qosClass: 'BestEffort'})
  })

  it('keeps the old spec and ownerReferences on a status update, and backfills the QoS class', async () => {
    const old = await created({containers: [web]})
    old.metadata.ownerReferences = [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u'}]
    const next = clone(old)
    ;(next.spec as {containers: Array<{image: string}>}).containers[0].image = 'evil'
    next.metadata.ownerReferences = []
    next.metadata.labels = {touched: 'yes'}
    next.status = {phase: 'Running'}
    podStrategy.prepareForStatusUpdate(next, old)
    expect(next.spec).toEqual(old.spec)
    expect(next.metadata.ownerReferences).toEqual(old.metadata.ownerReferences)
    expect(next.metadata.labels).toEqual({touched: 'yes'})
    expect(next.status).toEqual({phase: 'Running', qosClass: 'BestEffort'})
  })
})

describe('pod strategy validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['accepts a minimal pod', {containers: [web]}, []],
    ['requires containers', {containers: []}, ['spec.containers: Required value']],
    ['requires a DNS label container name', {containers: [{...web, name: 'Web'}]}, [
      `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['requires unique container names', {containers: [web, {...web}]}, ['spec.containers[1].name: Duplicate value: "web"']],
    ['requires an image', {containers: [{name: 'web'}]}, ['spec.containers[0].image: Required value']],
    ['refuses container port 0 as missing', {containers: [{...web, ports: [{containerPort: 0}]}]}, ['spec.containers[0].ports[0].containerPort: Required value']],
    ['refuses container port 70000', {containers: [{...web, ports: [{containerPort: 70000}]}]}, [
      'spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
    ]],
    ['refuses an unknown port protocol', {containers: [{...web, ports: [{containerPort: 80, protocol: 'HTTP'}]}]}, [
      'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
    ]],
    ['refuses an unknown restartPolicy', {containers: [web], restartPolicy: 'Sometimes'}, [
      'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    ]],
    ['refuses requests above limits', {containers: [{...web, resources: {requests: {cpu: '2'}, limits: {cpu: '1500m'}}}]}, [
      'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1500m',
    ]],
    ['refuses a malformed quantity', {containers: [{...web, resources: {requests: {memory: 'lots'}}}]}, [
      `spec.containers[0].resources.requests[memory]: Invalid value: "lots": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ]],
    // Requests are defaulted from limits, so both sections report the name (as upstream).
    ['refuses a non-standard resource name', {containers: [{...web, resources: {limits: {gpu: '1'}}}]}, [
      'spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers',
      'spec.containers[0].resources.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers',
    ]],
    ['refuses duplicate volume names', {containers: [web], volumes: [{name: 'data', emptyDir: {}}, {name: 'data', emptyDir: {}}]}, [
      'spec.volumes[1].name: Duplicate value: "data"',
    ]],
    ['refuses mounts of unknown volumes', {containers: [{...web, volumeMounts: [{name: 'data', mountPath: '/data'}]}]}, [
      'spec.containers[0].volumeMounts[0].name: Invalid value: "data": not found',
    ]],
    ['accepts mounts of declared volumes', {containers: [{...web, volumeMounts: [{name: 'data', mountPath: '/data'}]}], volumes: [{name: 'data', emptyDir: {}}]}, []],
    ['requires a configMap volume name', {containers: [web], volumes: [{name: 'cfg', configMap: {}}]}, ['spec.volumes[0].configMap.name: Required value']],
    ['refuses a probe without a handler', {containers: [{...web, readinessProbe: {periodSeconds: 5}}]}, [
      'spec.containers[0].readinessProbe: Required value: must specify a handler type',
    ]],
    ['requires successThreshold 1 for liveness probes', {containers: [{...web, livenessProbe: {tcpSocket: {port: 80}, successThreshold: 2}}]}, [
      'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    ]],
    ['refuses a toleration with an empty key and operator Equal', {containers: [web], tolerations: [{operator: 'Equal', value: 'x'}]}, [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ]],
  ])('%s', async (_title, spec, expected) => {
    const p = await created(spec)
    expect(messages(podStrategy.validate(p))).toEqual(expected)
  })
})

describe('pod strategy update validation', () => {
  const FORBIDDEN = 'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n'

  async function update(change: (spec: Record<string, any>) => void): Promise<string[]> {
    const old = await created({
      containers: [{...web, ports: [{containerPort: 80}]}],
      activeDeadlineSeconds: 100,
      tolerations: [{key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule'}],
    })
    old.metadata.resourceVersion = '5'
    const next = clone(old)
    change(next.spec as Record<string, any>)
    podStrategy.applyDefaults(next)
    await podStrategy.prepareForUpdate(next, old, fakeContext())
    return messages(podStrategy.validateUpdate(next, old))
  }

  it('allows changing a container image', async () => {
    expect(await update((s) => (s.containers[0].image = 'nginx:1.28'))).toEqual([])
  })

  it('allows adding a toleration and shortening activeDeadlineSeconds', async () => {
    expect(await update((s) => {
      s.tolerations.push({key: 'gpu', operator: 'Exists', effect: 'NoSchedule'})
      s.activeDeadlineSeconds = 50
    })).toEqual([])
  })

  it('refuses other spec changes with the upstream message and a diff', async () => {
    const [message, ...rest] = await update((s) => (s.containers[0].ports[0].containerPort = 8080))
    expect(rest).toEqual([])
    expect(message.startsWith(FORBIDDEN)).toBe(true)
    expect(message).toContain('- spec.containers[0].ports[0].containerPort: 80\n+ spec.containers[0].ports[0].containerPort: 8080')
  })

  it('refuses adding a container', async () => {
    expect(await update((s) => s.containers.push({name: 'side', image: 'busybox'}))).toEqual(['spec.containers: Forbidden: pod updates may not add or remove containers'])
  })

  it('refuses removing a toleration', async () => {
    expect(await update((s) => s.tolerations.shift())).toEqual(['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'])
  })

  it('refuses lengthening activeDeadlineSeconds', async () => {
    expect(await update((s) => (s.activeDeadlineSeconds = 200))).toEqual(['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value'])
  })
})
