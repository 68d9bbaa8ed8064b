import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import {decodeProtobufObject} from '../../../../src/cluster/apiserver/protobuf/decode.js'
import {envelope, type Field, message, varint} from '../../../fixtures/protobuf/wire-builder.js'

function decode(apiVersion: string, kind: string, raw: Field[]) {
  return decodeProtobufObject(envelope(apiVersion, kind, raw))
}

function deploymentSpec(spec: Field[]) {
  return decode('apps/v1', 'Deployment', [[1, [[1, 'd']]], [2, spec]]).object.spec as Record<string, unknown>
}

function podSpec(spec: Field[]) {
  return decode('v1', 'Pod', [[1, [[1, 'p']]], [2, spec]]).object.spec as Record<string, unknown>
}

function expectApiError(fn: () => unknown, code: number, text: RegExp): void {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).code).toBe(code)
    expect((error as ApiError).message).toMatch(text)
    return
  }
  expect.fail('expected an ApiError')
}

describe('omitempty and pointer presence', () => {
  it('keeps a pointer int that is explicitly 0 and drops zero omitempty scalars', () => {
    // replicas (*int32) = 0, minReadySeconds (int32) = 0, paused (bool) = false
    expect(deploymentSpec([[1, 0], [5, 0], [7, false]])).toEqual({replicas: 0})
  })

  it('keeps zero values of fields whose Go JSON tag has no omitempty', () => {
    const spec = podSpec([[2, [[1, ''], [6, [[3, 0], [4, '']]]]]])
    expect(spec.containers).toEqual([{name: '', ports: [{containerPort: 0}]}])
  })

  it('lets the last occurrence of a scalar win, including a later zero', () => {
    expect(podSpec([[3, 'Always'], [3, '']])).toEqual({})
    expect(podSpec([[3, ''], [3, 'Never']])).toEqual({restartPolicy: 'Never'})
  })

  it('decodes sign-extended negative int32 values', () => {
    expect(deploymentSpec([[1, -1]])).toEqual({replicas: -1})
  })

  it('merges a message field that appears twice, as proto requires', () => {
    const {object} = decode('v1', 'ConfigMap', [[1, [[1, 'c']]], [1, [[11, [[1, 'a'], [2, 'b']]]]]])
    expect(object.metadata).toEqual({name: 'c', labels: {a: 'b'}})
  })
})

describe('special types', () => {
  it('prints Time as RFC 3339 seconds, drops nanos, and omits a zero (empty) Time', () => {
    const {object} = decode('v1', 'Namespace', [[1, [[1, 'n'], [8, [[1, 1700000000], [2, 123456789]]], [9, []]]]])
    expect(object.metadata).toEqual({name: 'n', creationTimestamp: '2023-11-14T22:13:20Z'})
  })

  it('treats a Time with explicit zero seconds as the Unix epoch, not as unset', () => {
    const {object} = decode('v1', 'Namespace', [[1, [[8, [[1, 0]]]]]])
    expect(object.metadata).toEqual({creationTimestamp: '1970-01-01T00:00:00Z'})
  })

  it('rejects a Time outside the years Go can print', () => {
    expectApiError(() => decode('v1', 'Namespace', [[1, [[8, [[1, 253402300800n]]]]]]), 400, /outside years 0-9999/)
  })

  it('prints IntOrString as a number or a string and keeps a pointer IntOrString of 0', () => {
    const spec = deploymentSpec([[4, [[1, 'RollingUpdate'], [2, [[1, [[1, 0], [2, 0]]], [2, [[1, 1], [3, '25%']]]]]]]])
    expect(spec.strategy).toEqual({type: 'RollingUpdate', rollingUpdate: {maxUnavailable: 0, maxSurge: '25%'}})
  })

  it('drops an unset (int 0) ServicePort.targetPort and rejects an unknown IntOrString type', () => {
    const spec = decode('v1', 'Service', [[2, [[1, [[3, 80], [4, [[1, 0], [2, 0]]]]]]]]).object.spec
    expect(spec).toEqual({ports: [{port: 80}]})
    expectApiError(() => decode('v1', 'Service', [[2, [[1, [[4, [[1, 2]]]]]]]]), 400, /IntOrString .* unknown type 2/)
  })

  it('decodes Quantity maps, with an absent quantity read as "0"', () => {
    const spec = podSpec([[2, [[1, 'c'], [8, [[1, [[1, 'cpu'], [2, [[1, '100m']]]]], [2, [[1, 'memory'], [2, []]]]]]]]])
    expect(spec.containers).toEqual([{name: 'c', resources: {limits: {cpu: '100m'}, requests: {memory: '0'}}}])
  })

  it('parses managedFields FieldsV1 as embedded JSON and rejects invalid JSON', () => {
    const entry: Field[] = [[1, 'kubectl'], [6, 'FieldsV1'], [7, [[1, Buffer.from('{"f:data":{}}')]]]]
    const {object} = decode('v1', 'ConfigMap', [[1, [[17, entry]]]])
    expect(object.metadata).toEqual({managedFields: [{manager: 'kubectl', fieldsType: 'FieldsV1', fieldsV1: {'f:data': {}}}]})
    expectApiError(() => decode('v1', 'ConfigMap', [[1, [[17, [[7, [[1, Buffer.from('{nope')]]]]]]]]), 400, /FieldsV1 .* not valid JSON/)
  })
})

describe('maps, bytes, lists and inline structs', () => {
  it('base64-encodes bytes map values like Go JSON does for []byte', () => {
    const {object} = decode('v1', 'Secret', [[2, [[1, 'k'], [2, Buffer.from([0xff, 0x00])]]], [3, 'Opaque']])
    expect(object).toMatchObject({data: {k: '/wA='}, type: 'Opaque'})
  })

  it('stores a "__proto__" map key as a plain property without touching prototypes', () => {
    const {object} = decode('v1', 'ConfigMap', [[2, [[1, '__proto__'], [2, 'x']]]])
    const data = object.data as Record<string, unknown>
    expect(Object.hasOwn(data, '__proto__')).toBe(true)
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype)
    expect(JSON.parse(JSON.stringify(object)).data).toEqual(JSON.parse('{"__proto__":"x"}'))
  })

  it('accepts repeated int64 both packed and unpacked', () => {
    const packed = Buffer.from([1, 2, 3])
    expect(podSpec([[14, [[4, 7], [4, packed]]]])).toEqual({securityContext: {supplementalGroups: [7, 1, 2, 3]}})
  })

  it('flattens Go-inlined structs (LocalObjectReference, ProbeHandler, VolumeSource) into their parent', () => {
    const container: Field[] = [
      [1, 'app'],
      [7, [[1, 'A'], [3, [[3, [[1, [[1, 'cm']]], [2, 'key'], [3, false]]]]]]],
      [10, [[1, [[2, [[2, [[1, 1], [3, 'http']]]]]]], [3, 5]]],
    ]
    const spec = podSpec([
      [1, [[1, 'v'], [2, [[19, [[1, [[1, 'cm']]], [3, 420]]]]]]],
      [2, container],
    ])
    expect(spec).toEqual({
      volumes: [{name: 'v', configMap: {name: 'cm', defaultMode: 420}}],
      containers: [
        {
          name: 'app',
          env: [{name: 'A', valueFrom: {configMapKeyRef: {name: 'cm', key: 'key', optional: false}}}],
          livenessProbe: {httpGet: {port: 'http'}, timeoutSeconds: 5},
        },
      ],
    })
  })

  it('decodes a realistic pod spec with volumes, env, probes, security and scheduling fields', () => {
    const spec = podSpec([
      [1, [[1, 'data'], [2, [[2, [[1, 'Memory'], [2, [[1, '1Gi']]]]]]]]],
      [1, [[1, 'host'], [2, [[1, [[1, '/var/log'], [2, 'Directory']]]]]]],
      [1, [[1, 'sec'], [2, [[6, [[1, 's1'], [2, [[1, 'a'], [2, 'a.txt']]]]]]]]],
      [1, [[1, 'proj'], [2, [[26, [[1, [[4, [[2, 3600], [3, 'token']]]]]]]]]]],
      [1, [[1, 'claim'], [2, [[10, [[1, 'pvc'], [2, true]]]]]]],
      [1, [[1, 'down'], [2, [[16, [[1, [[1, 'labels'], [2, [[2, 'metadata.labels']]]]]]]]]]],
      [
        2,
        [
          [1, 'web'],
          [2, 'nginx:1.27'],
          [3, 'sh'],
          [4, '-c'],
          [4, 'run'],
          [6, [[1, 'http'], [3, 8080], [4, 'TCP']]],
          [19, [[1, 'P_'], [3, [[1, [[1, 'creds']]]]]]],
          [9, [[1, 'data'], [3, '/data'], [2, true]]],
          [11, [[1, [[3, [[1, [[2, 8080]]]]]]], [4, 10]]],
          [12, [[2, [[4, [[1, 5]]]]]]],
          [15, [[1, [[2, 'ALL']]], [5, true], [4, 0], [7, false]]],
          [14, 'IfNotPresent'],
        ],
      ],
      [4, 30],
      [7, [[1, 'disk'], [2, 'ssd']]],
      [22, [[1, 'k'], [2, 'Exists'], [4, 'NoExecute'], [5, 60]]],
      [18, [[1, [[1, [[1, [[1, [[1, 'zone'], [2, 'In'], [3, 'a']]]]]]]]]]],
      [36, [[1, 'linux']]],
    ])
    expect(spec).toEqual({
      volumes: [
        {name: 'data', emptyDir: {medium: 'Memory', sizeLimit: '1Gi'}},
        {name: 'host', hostPath: {path: '/var/log', type: 'Directory'}},
        {name: 'sec', secret: {secretName: 's1', items: [{key: 'a', path: 'a.txt'}]}},
        {name: 'proj', projected: {sources: [{serviceAccountToken: {expirationSeconds: 3600, path: 'token'}}]}},
        {name: 'claim', persistentVolumeClaim: {claimName: 'pvc', readOnly: true}},
        {name: 'down', downwardAPI: {items: [{path: 'labels', fieldRef: {fieldPath: 'metadata.labels'}}]}},
      ],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.27',
          command: ['sh'],
          args: ['-c', 'run'],
          ports: [{name: 'http', containerPort: 8080, protocol: 'TCP'}],
          envFrom: [{prefix: 'P_', secretRef: {name: 'creds'}}],
          volumeMounts: [{name: 'data', mountPath: '/data', readOnly: true}],
          readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 10},
          lifecycle: {preStop: {sleep: {seconds: 5}}},
          securityContext: {capabilities: {drop: ['ALL']}, runAsNonRoot: true, runAsUser: 0, allowPrivilegeEscalation: false},
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      terminationGracePeriodSeconds: 30,
      nodeSelector: {disk: 'ssd'},
      tolerations: [{key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60}],
      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: 'zone', operator: 'In', values: ['a']}]}]}}},
      os: {name: 'linux'},
    })
  })

  it('replaces invalid UTF-8 in strings with U+FFFD, as Go JSON does', () => {
    const {object} = decode('v1', 'ConfigMap', [[1, [[1, Buffer.from([0x61, 0xff, 0x62])]]]])
    expect(object.metadata).toEqual({name: 'a\ufffdb'})
  })
})

describe('unknown fields', () => {
  it('skips unknown fields of every wire type and reports each with its location', () => {
    const fixed32 = Buffer.concat([varint((99 << 3) | 5), Buffer.from([1, 2, 3, 4])])
    const fixed64 = Buffer.concat([varint((96 << 3) | 1), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])])
    const raw = Buffer.concat([message([[1, [[1, 'c'], [98, 'x']]], [97, 7]]), fixed32, fixed64])
    const {object, warnings} = decodeProtobufObject(envelope('v1', 'ConfigMap', raw))
    expect(object).toEqual({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}})
    expect(warnings).toEqual([
      'unknown field 98 (wire type 2) in meta.ObjectMeta at metadata was ignored',
      'unknown field 97 (wire type 0) in core.ConfigMap at <root> was ignored',
      'unknown field 99 (wire type 5) in core.ConfigMap at <root> was ignored',
      'unknown field 96 (wire type 1) in core.ConfigMap at <root> was ignored',
    ])
  })

  it('names the list index of the message that held the unknown field', () => {
    const {warnings} = decode('v1', 'Pod', [[2, [[2, [[1, 'a']]], [2, [[1, 'b'], [200, 'x']]]]]])
    expect(warnings).toEqual(['unknown field 200 (wire type 2) in core.Container at spec.containers[1] was ignored'])
  })
})
