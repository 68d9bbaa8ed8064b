import {describe, expect, it} from 'vitest'
import {validateObject} from '../../../../src/cluster/apiserver/openapi/index.js'

const DEPLOYMENT = {group: 'apps', version: 'v1', kind: 'Deployment'}
const POD = {group: '', version: 'v1', kind: 'Pod'}
const core = (kind: string) => ({group: '', version: 'v1', kind})
const PREFIX = 'Deployment in version "v1" cannot be handled as a Deployment: '

function deployment(spec: Record<string, unknown> = {}, container: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'web', namespace: 'default', labels: {app: 'web'}, creationTimestamp: null, ...metadata},
    spec: {
      replicas: 2,
      selector: {matchLabels: {app: 'web'}},
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: 1}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {
          containers: [{
            name: 'nginx',
            image: 'nginx:1.25',
            env: [{name: 'A', value: '1'}],
            ports: [{containerPort: 80, protocol: 'TCP'}],
            resources: {limits: {cpu: '500m', memory: '128Mi'}, requests: {cpu: 0.25, memory: 64}},
            livenessProbe: {httpGet: {path: '/', port: 'http'}, periodSeconds: 10},
            ...container,
          }],
          terminationGracePeriodSeconds: 30,
        },
      },
      ...spec,
    },
    status: {replicas: 2, observedGeneration: 3, conditions: [{type: 'Available', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z'}]},
  }
}

function message(result: ReturnType<typeof validateObject>): string | undefined {
  return result.errors?.message
}

describe('validateObject: valid bodies', () => {
  it('accepts a full Deployment, status and read-only fields included', () => {
    expect(validateObject(deployment(), DEPLOYMENT, 'Strict')).toEqual({errors: undefined, warnings: []})
  })

  it('accepts a Pod, a Service, a ConfigMap and a Secret', () => {
    const pod = {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [{name: 'c', image: 'busybox', command: ['sh', '-c', 'sleep 1']}], restartPolicy: 'Never'}}
    const service = {apiVersion: 'v1', kind: 'Service', metadata: {name: 's'}, spec: {selector: {app: 'web'}, ports: [{port: 80, targetPort: 8080}, {name: 'https', port: 443, targetPort: 'https'}], type: 'ClusterIP'}}
    const configMap = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {a: '1'}, binaryData: {b: 'aGVsbG8='}}
    const secret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, type: 'Opaque', data: {p: 'cGFzcw=='}, stringData: {q: 'plain'}}
    expect(message(validateObject(pod, POD, 'Strict'))).toBeUndefined()
    expect(message(validateObject(service, core('Service'), 'Strict'))).toBeUndefined()
    expect(message(validateObject(configMap, core('ConfigMap'), 'Strict'))).toBeUndefined()
    expect(message(validateObject(secret, core('Secret'), 'Strict'))).toBeUndefined()
  })

  it('accepts a Quantity given as a number and an IntOrString given either way', () => {
    expect(message(validateObject(deployment({}, {resources: {limits: {memory: 128, cpu: 1.5}}}), DEPLOYMENT, 'Strict'))).toBeUndefined()
    expect(message(validateObject(deployment({}, {livenessProbe: {tcpSocket: {port: 8080}}}), DEPLOYMENT, 'Strict'))).toBeUndefined()
  })

  it('accepts null for any field, as Go leaves it at its zero value', () => {
    expect(message(validateObject(deployment({replicas: null, template: {metadata: null, spec: {containers: null}}}), DEPLOYMENT, 'Strict'))).toBeUndefined()
  })

  it('accepts Lease, Scale and the review kinds', () => {
    const lease = {apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: {name: 'l'}, spec: {holderIdentity: 'n1', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z'}}
    const scale = {apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: {name: 'web'}, spec: {replicas: 3}}
    const review = {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: {resourceAttributes: {verb: 'get', resource: 'pods'}}}
    expect(message(validateObject(lease, {group: 'coordination.k8s.io', version: 'v1', kind: 'Lease'}, 'Strict'))).toBeUndefined()
    expect(message(validateObject(scale, {group: 'autoscaling', version: 'v1', kind: 'Scale'}, 'Strict'))).toBeUndefined()
    expect(message(validateObject(review, {group: 'authorization.k8s.io', version: 'v1', kind: 'SelfSubjectAccessReview'}, 'Strict'))).toBeUndefined()
  })

  it('passes kinds it has no schema for', () => {
    expect(validateObject({spec: {anything: 1}}, {group: 'example.com', version: 'v1', kind: 'Widget'}, 'Strict')).toEqual({errors: undefined, warnings: []})
  })
})

describe('validateObject: unknown fields', () => {
  it('rejects them in Strict mode with every path, list indices included, in document order', () => {
    const result = validateObject(deployment({foo: 1, bar: 2}, {bogus: true}), DEPLOYMENT, 'Strict')
    expect(result.errors?.code).toBe(400)
    expect(result.errors?.reason).toBe('BadRequest')
    expect(message(result)).toBe(`${PREFIX}strict decoding error: unknown field "spec.template.spec.containers[0].bogus", unknown field "spec.foo", unknown field "spec.bar"`)
  })

  it('finds them at the top level, in metadata and deep inside list items', () => {
    const body = {...deployment({}, {ports: [{containerPort: 80}, {containerPort: 443, hostPorts: 1}]}, {foo: 'x'}), extra: 1}
    expect(message(validateObject(body, DEPLOYMENT, 'Strict'))).toBe(
      `${PREFIX}strict decoding error: unknown field "metadata.foo", unknown field "spec.template.spec.containers[0].ports[1].hostPorts", unknown field "extra"`)
  })

  it('matches field names case-sensitively', () => {
    expect(message(validateObject(deployment({Replicas: 2}), DEPLOYMENT, 'Strict'))).toBe(`${PREFIX}strict decoding error: unknown field "spec.Replicas"`)
  })

  it('returns them as warnings in Warn mode', () => {
    const result = validateObject(deployment({foo: 1}, {bogus: true}), DEPLOYMENT, 'Warn')
    expect(result.errors).toBeUndefined()
    expect(result.warnings).toEqual(['unknown field "spec.template.spec.containers[0].bogus"', 'unknown field "spec.foo"'])
  })

  it('ignores them in Ignore mode', () => {
    expect(validateObject(deployment({foo: 1}), DEPLOYMENT, 'Ignore')).toEqual({errors: undefined, warnings: []})
  })

  it('reports them without the decoder prefix for a patch, as the patch handler does', () => {
    expect(message(validateObject(deployment({foo: 1}), DEPLOYMENT, 'Strict', {operation: 'patch'}))).toBe('strict decoding error: unknown field "spec.foo"')
  })
})

describe('validateObject: wrong types', () => {
  const cases: [string, ReturnType<typeof deployment>, string][] = [
    ['a string for an int32', deployment({replicas: '2'}), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32'],
    ['a bool for a string, inside a list', deployment({}, {env: [{name: 'A', value: true}]}), 'json: cannot unmarshal bool into Go struct field EnvVar.spec.template.spec.containers.env.value of type string'],
    ['a fraction for an int32', deployment({}, {ports: [{containerPort: 1.5}]}), 'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32'],
    ['an object for a list', deployment({template: {spec: {containers: {name: 'x'}}}}), 'json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container'],
    ['a list for a struct', deployment({selector: []}), 'json: cannot unmarshal array into Go struct field DeploymentSpec.spec.selector of type v1.LabelSelector'],
    ['a number for a label value', deployment({}, {}, {labels: {tier: 1}}), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['a number for a string list item', deployment({}, {args: ['a', 2]}), 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.args of type string'],
    ['a string for a bool', deployment({paused: 'yes'}), 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool'],
    ['a string for an int64', deployment({template: {spec: {containers: [], terminationGracePeriodSeconds: '30'}}}), 'json: cannot unmarshal string into Go struct field PodSpec.spec.template.spec.terminationGracePeriodSeconds of type int64'],
    ['a bool for an IntOrString', deployment({}, {livenessProbe: {httpGet: {port: true}}}), 'json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.template.spec.containers.livenessProbe.httpGet.port of type int32'],
    ['a number for a named string type', deployment({}, {imagePullPolicy: 1}), 'json: cannot unmarshal number into Go struct field Container.spec.template.spec.containers.imagePullPolicy of type v1.PullPolicy'],
    ['a malformed Quantity', deployment({}, {resources: {limits: {cpu: 'lots'}}}), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    ['a number for a timestamp', deployment({}, {}, {creationTimestamp: 5}), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string'],
  ]
  it.each(cases)('rejects %s with the Go decoder message', (_name, body, goError) => {
    const result = validateObject(body, DEPLOYMENT, 'Ignore')
    expect(result.errors?.code).toBe(400)
    expect(result.errors?.reason).toBe('BadRequest')
    expect(message(result)).toBe(`${PREFIX}${goError}`)
  })

  it('reports the first type error in document order, ahead of any unknown field', () => {
    const body = deployment({foo: 1, replicas: 'two', paused: 'no'})
    expect(message(validateObject(body, DEPLOYMENT, 'Strict'))).toBe(`${PREFIX}json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`)
  })

  it('rejects them in Warn mode too', () => {
    expect(validateObject(deployment({replicas: '2'}), DEPLOYMENT, 'Warn').errors?.code).toBe(400)
  })

  it('reports ConfigMap data that is not a string and Secret data that is not base64', () => {
    const cm = {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}, data: {port: 8080}}
    const secret = {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's'}, data: {password: 'plain'}}
    expect(message(validateObject(cm, core('ConfigMap'), 'Strict'))).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string')
    expect(message(validateObject(secret, core('Secret'), 'Strict'))).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4')
  })

  it('reports a patch result with a type error as an invalid patch', () => {
    const result = validateObject(deployment({replicas: '2'}), DEPLOYMENT, 'Strict', {operation: 'patch'})
    expect(result.errors?.code).toBe(422)
    expect(result.errors?.details?.causes?.[0]).toMatchObject({field: 'patch'})
    expect(message(result)).toMatch(/is invalid: patch: Invalid value: ".*": json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32$/)
  })
})
