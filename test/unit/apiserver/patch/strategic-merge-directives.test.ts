// Strategic merge semantics field by field: merge keys per context, directives, ordering, and malformed patches.
import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import {applyStrategicMergePatch} from '../../../../src/cluster/apiserver/patch/strategic-merge-patch.js'
import {liveConfigMap, liveDeployment, liveNode, livePod, liveService} from './live-objects.js'

type Obj = Record<string, unknown>
const kinds = {
  Deployment: {group: 'apps', kind: 'Deployment'},
  ReplicaSet: {group: 'apps', kind: 'ReplicaSet'},
  Pod: {group: '', kind: 'Pod'},
  Service: {group: '', kind: 'Service'},
  Node: {group: '', kind: 'Node'},
  ConfigMap: {group: '', kind: 'ConfigMap'},
  ServiceAccount: {group: '', kind: 'ServiceAccount'},
  Namespace: {group: '', kind: 'Namespace'},
  Endpoints: {group: '', kind: 'Endpoints'},
  Lease: {group: 'coordination.k8s.io', kind: 'Lease'},
} as const

/** Reads a dotted path; numeric segments index lists. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((current, key) => (current as Obj | undefined)?.[key], value)
}

const container = (extra: Obj) => ({spec: {template: {spec: {containers: [{name: 'nginx', ...extra}]}}}})
const names = (list: unknown) => (list as Array<{name: string}>).map((item) => item.name)

interface Case {
  title: string
  kind: keyof typeof kinds
  live: () => object
  patch: Obj
  path: string
  expected: unknown
}

const cases: Case[] = [
  // ---- maps ----
  {title: 'null deletes a label', kind: 'Pod', live: livePod, patch: {metadata: {labels: {'pod-template-hash': null}}}, path: 'metadata.labels', expected: {app: 'web'}},
  {title: 'null for a missing key stores nothing', kind: 'ConfigMap', live: liveConfigMap, patch: {data: {zzz: null}}, path: 'data', expected: {a: '1', b: '2'}},
  {title: 'map keys merge one by one', kind: 'ConfigMap', live: liveConfigMap, patch: {data: {b: '3', c: '4'}}, path: 'data', expected: {a: '1', b: '3', c: '4'}},
  {title: '$patch: replace replaces the whole map', kind: 'ConfigMap', live: liveConfigMap, patch: {data: {$patch: 'replace', z: '9'}}, path: 'data', expected: {z: '9'}},
  {title: '$patch: delete empties the map', kind: 'ConfigMap', live: liveConfigMap, patch: {data: {$patch: 'delete'}}, path: 'data', expected: {}},
  {title: 'a directive map for a field the object lacks is dropped (removeDirectives)', kind: 'ConfigMap', live: liveConfigMap, patch: {binaryData: {$patch: 'replace', k: 'dg=='}}, path: 'binaryData', expected: undefined},
  {title: 'a new nested value loses its nulls', kind: 'Deployment', live: liveDeployment, patch: {spec: {template: {spec: {nodeSelector: {disk: 'ssd', zone: null}}}}}, path: 'spec.template.spec.nodeSelector', expected: {disk: 'ssd'}},
  {title: 'a value of another type replaces the old one', kind: 'Deployment', live: liveDeployment, patch: {spec: {template: {spec: {securityContext: 'x'}}}}, path: 'spec.template.spec.securityContext', expected: 'x'},
  {title: 'unknown $ keys are never stored', kind: 'ConfigMap', live: liveConfigMap, patch: {data: {$unknown: 'x', c: '3'}}, path: 'data', expected: {a: '1', b: '2', c: '3'}},
  {title: 'Lease spec fields merge', kind: 'Lease', live: () => ({metadata: {name: 'l'}, spec: {holderIdentity: 'a', leaseDurationSeconds: 40}}), patch: {spec: {holderIdentity: 'b'}}, path: 'spec', expected: {holderIdentity: 'b', leaseDurationSeconds: 40}},
  {title: '$retainKeys drops unlisted keys before merging', kind: 'Deployment', live: liveDeployment, patch: {spec: {strategy: {$retainKeys: ['type'], type: 'Recreate'}}}, path: 'spec.strategy', expected: {type: 'Recreate'}},
  {title: 'strategy changes without $retainKeys merge', kind: 'Deployment', live: liveDeployment, patch: {spec: {strategy: {rollingUpdate: {maxSurge: 1}}}}, path: 'spec.strategy', expected: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: '25%'}}},

  // ---- context-dependent merge keys ----
  {title: 'Service ports merge by port', kind: 'Service', live: liveService, patch: {spec: {ports: [{port: 443, targetPort: 9443}]}}, path: 'spec.ports', expected: [liveService().spec!.ports![0], {name: 'https', port: 443, protocol: 'TCP', targetPort: 9443, nodePort: 30443}]},
  {title: 'Service port deletion by port', kind: 'Service', live: liveService, patch: {spec: {ports: [{$patch: 'delete', port: 80}]}}, path: 'spec.ports', expected: [liveService().spec!.ports![1]]},
  {title: 'a new Service port without $setElementOrder lands first, as on a real server', kind: 'Service', live: liveService, patch: {spec: {ports: [{port: 8080, name: 'alt'}]}}, path: 'spec.ports', expected: [{port: 8080, name: 'alt'}, ...liveService().spec!.ports!]},
  {title: 'container ports merge by containerPort', kind: 'Pod', live: livePod, patch: {spec: {containers: [{name: 'nginx', ports: [{containerPort: 80, name: 'http'}]}]}}, path: 'spec.containers.0.ports', expected: [{containerPort: 80, protocol: 'TCP', name: 'http'}]},
  {title: 'volumeMounts merge by mountPath', kind: 'Pod', live: livePod, patch: {spec: {containers: [{name: 'nginx', volumeMounts: [{mountPath: '/data', readOnly: true}]}]}}, path: 'spec.containers.0.volumeMounts.0', expected: {name: 'data', mountPath: '/data', readOnly: true}},
  {title: 'pod conditions merge by type', kind: 'Pod', live: livePod, patch: {status: {conditions: [{type: 'Ready', status: 'True'}]}}, path: 'status.conditions', expected: [livePod().status!.conditions![0], {type: 'Ready', status: 'True', lastTransitionTime: '2026-11-22T08:04:21Z'}]},
  {title: 'podIPs merge by ip in $setElementOrder order', kind: 'Pod', live: livePod, patch: {status: {'$setElementOrder/podIPs': [{ip: '10.244.0.5'}, {ip: 'fd00::5'}], podIPs: [{ip: 'fd00::5'}]}}, path: 'status.podIPs', expected: [{ip: '10.244.0.5'}, {ip: 'fd00::5'}]},
  {title: 'node addresses merge by type', kind: 'Node', live: liveNode, patch: {status: {addresses: [{type: 'InternalIP', address: '172.18.0.9'}]}}, path: 'status.addresses', expected: [{type: 'InternalIP', address: '172.18.0.9'}, {type: 'Hostname', address: 'kcluster-node'}]},
  {title: 'node conditions merge by type', kind: 'Node', live: liveNode, patch: {status: {conditions: [{type: 'Ready', status: 'False', reason: 'KubeletNotReady'}]}}, path: 'status.conditions.1', expected: {type: 'Ready', status: 'False', reason: 'KubeletNotReady'}},
  {title: 'node podCIDRs are a merged set', kind: 'Node', live: liveNode, patch: {spec: {podCIDRs: ['10.244.0.0/24', 'fd00:10::/64']}}, path: 'spec.podCIDRs', expected: ['10.244.0.0/24', 'fd00:10::/64']},
  {title: 'deployment conditions merge by type', kind: 'Deployment', live: liveDeployment, patch: {status: {conditions: [{type: 'Progressing', status: 'Unknown'}]}}, path: 'status.conditions.1.status', expected: 'Unknown'},
  {title: 'a ReplicaSet pod template uses the PodSpec merge keys', kind: 'ReplicaSet', live: liveDeployment, patch: container({env: [{name: 'B', value: '3'}]}), path: 'spec.template.spec.containers.0.env', expected: [{name: 'A', value: '1'}, {name: 'B', value: '3'}]},
  {title: 'env valueFrom merges inside the matched variable', kind: 'Deployment', live: liveDeployment, patch: container({env: [{name: 'A', value: null, valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}}]}), path: 'spec.template.spec.containers.0.env.0', expected: {name: 'A', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}}},
  {title: 'ownerReferences merge by uid', kind: 'Pod', live: livePod, patch: {metadata: {ownerReferences: [{uid: 'rs-uid-1', controller: false}]}}, path: 'metadata.ownerReferences.0.controller', expected: false},
  {title: 'ServiceAccount secrets merge by name', kind: 'ServiceAccount', live: () => ({metadata: {name: 'default'}, secrets: [{name: 'a'}, {name: 'b'}]}), patch: {secrets: [{$patch: 'delete', name: 'a'}]}, path: 'secrets', expected: [{name: 'b'}]},

  // ---- atomic lists ----
  {title: 'tolerations are replaced as a whole', kind: 'Pod', live: livePod, patch: {spec: {tolerations: [{key: 'x', operator: 'Exists'}]}}, path: 'spec.tolerations', expected: [{key: 'x', operator: 'Exists'}]},
  {title: 'container args are replaced as a whole', kind: 'Pod', live: livePod, patch: {spec: {containers: [{name: 'nginx', args: ['--c']}]}}, path: 'spec.containers.0.args', expected: ['--c']},
  {title: 'Service clusterIPs are replaced as a whole', kind: 'Service', live: liveService, patch: {spec: {clusterIPs: ['10.96.0.9']}}, path: 'spec.clusterIPs', expected: ['10.96.0.9']},
  {title: 'Namespace spec.finalizers are replaced as a whole', kind: 'Namespace', live: () => ({metadata: {name: 'ns'}, spec: {finalizers: ['kubernetes']}}), patch: {spec: {finalizers: ['other']}}, path: 'spec.finalizers', expected: ['other']},
  {title: 'Endpoints subsets are replaced as a whole', kind: 'Endpoints', live: () => ({metadata: {name: 'web'}, subsets: [{addresses: [{ip: '10.0.0.1'}]}]}), patch: {subsets: [{addresses: [{ip: '10.0.0.2'}]}]}, path: 'subsets', expected: [{addresses: [{ip: '10.0.0.2'}]}]},

  // ---- primitive merge lists (finalizers) ----
  {title: 'finalizers are a union', kind: 'ConfigMap', live: liveConfigMap, patch: {metadata: {finalizers: ['example.com/b', 'example.com/c']}}, path: 'metadata.finalizers', expected: ['example.com/a', 'example.com/b', 'example.com/c']},
  {title: '$deleteFromPrimitiveList removes finalizers', kind: 'ConfigMap', live: liveConfigMap, patch: {metadata: {'$deleteFromPrimitiveList/finalizers': ['example.com/a']}}, path: 'metadata.finalizers', expected: ['example.com/b']},
  {title: '$deleteFromPrimitiveList on an absent list does not create it', kind: 'Pod', live: livePod, patch: {metadata: {'$deleteFromPrimitiveList/finalizers': ['x']}}, path: 'metadata.finalizers', expected: undefined},
  {title: 'three-way finalizer change: order, addition and deletion', kind: 'ConfigMap', live: liveConfigMap, patch: {metadata: {'$setElementOrder/finalizers': ['example.com/c', 'example.com/b'], finalizers: ['example.com/c'], '$deleteFromPrimitiveList/finalizers': ['example.com/a']}}, path: 'metadata.finalizers', expected: ['example.com/c', 'example.com/b']},
  {title: 'a finalizer added to a pod without any creates the list', kind: 'Pod', live: livePod, patch: {metadata: {finalizers: ['example.com/x']}}, path: 'metadata.finalizers', expected: ['example.com/x']},

  // ---- list directives ----
  {title: '$patch: replace in a merge list keeps only the listed elements', kind: 'Deployment', live: liveDeployment, patch: container({env: [{$patch: 'replace'}, {name: 'Z', value: '26'}]}), path: 'spec.template.spec.containers.0.env', expected: [{name: 'Z', value: '26'}]},
  {title: 'a lone {$patch: replace} empties a merge list', kind: 'Deployment', live: liveDeployment, patch: container({env: [{$patch: 'replace'}]}), path: 'spec.template.spec.containers.0.env', expected: []},
  {title: '$patch: delete removes every element with the key', kind: 'Service', live: () => ({metadata: {name: 's'}, spec: {ports: [{port: 1}, {port: 1, name: 'dup'}, {port: 2}]}}), patch: {spec: {ports: [{$patch: 'delete', port: 1}]}}, path: 'spec.ports', expected: [{port: 2}]},
  {title: '$patch: delete for an element the server lacks is a no-op', kind: 'Deployment', live: liveDeployment, patch: container({env: [{$patch: 'delete', name: 'NOPE'}]}), path: 'spec.template.spec.containers.0.env', expected: liveDeployment().spec!.template.spec!.containers[0]!.env},
  {title: 'a delete directive in a list the server lacks leaves nothing behind', kind: 'Pod', live: livePod, patch: {spec: {containers: [{name: 'nginx', env: [{$patch: 'delete', name: 'X'}, {name: 'Y', value: 'y'}]}]}}, path: 'spec.containers.0.env', expected: [{name: 'Y', value: 'y'}]},
  {title: 'patch items keep the patch order, server-only items their place (upstream case)', kind: 'Deployment', live: () => ({metadata: {}, spec: {template: {spec: {containers: [{name: '1'}, {name: '2', image: 'b'}, {name: '3'}]}}}}), patch: {spec: {template: {spec: {containers: [{name: '3', image: 'c'}, {name: '1', image: 'a'}]}}}}, path: 'spec.template.spec.containers', expected: [{name: '2', image: 'b'}, {name: '3', image: 'c'}, {name: '1', image: 'a'}]},
  {title: 'scalars keep the patch order, server-only scalars their place (upstream case)', kind: 'ConfigMap', live: () => ({metadata: {finalizers: ['1', '2', '3']}}), patch: {metadata: {finalizers: ['3', '1']}}, path: 'metadata.finalizers', expected: ['2', '3', '1']},
  {title: '$setElementOrder reorders and merges (upstream case)', kind: 'Deployment', live: () => ({metadata: {}, spec: {template: {spec: {containers: [{name: '1', args: ['a']}, {name: '2', image: 'two'}]}}}}), patch: {spec: {template: {spec: {'$setElementOrder/containers': [{name: '4'}, {name: '1'}, {name: '2'}, {name: '3'}], containers: [{name: '4', image: 'four'}, {name: '3', image: 'three'}]}}}}, path: 'spec.template.spec.containers', expected: [{name: '4', image: 'four'}, {name: '1', args: ['a']}, {name: '2', image: 'two'}, {name: '3', image: 'three'}]},
  {title: '$setElementOrder alone reorders the live list', kind: 'Deployment', live: liveDeployment, patch: container({'$setElementOrder/env': [{name: 'B'}, {name: 'A'}]}), path: 'spec.template.spec.containers.0.env', expected: [{name: 'B', value: '2'}, {name: 'A', value: '1'}]},
  {title: 'items missing from $setElementOrder keep their place relative to the others', kind: 'Deployment', live: () => ({metadata: {}, spec: {template: {spec: {containers: [{name: 'a'}, {name: 'x'}, {name: 'b'}]}}}}), patch: {spec: {template: {spec: {'$setElementOrder/containers': [{name: 'b'}, {name: 'a'}]}}}}, path: 'spec.template.spec.containers', expected: [{name: 'x'}, {name: 'b'}, {name: 'a'}]},
  {title: '$setElementOrder naming an item nobody has is ignored for it (upstream case)', kind: 'Deployment', live: () => ({metadata: {}, spec: {template: {spec: {containers: [{name: '1'}, {name: '3'}]}}}}), patch: {spec: {template: {spec: {'$setElementOrder/containers': [{name: '3'}, {name: '2'}, {name: '1'}], containers: [{name: '3', image: '3'}, {name: '1', image: '1'}]}}}}, path: 'spec.template.spec.containers', expected: [{name: '3', image: '3'}, {name: '1', image: '1'}]},
  {title: 'a new list from the patch is taken in $setElementOrder order', kind: 'Pod', live: livePod, patch: {spec: {'$setElementOrder/imagePullSecrets': [{name: 'b'}, {name: 'a'}], imagePullSecrets: [{name: 'b'}, {name: 'a'}]}}, path: 'spec.imagePullSecrets', expected: [{name: 'b'}, {name: 'a'}]},
]

describe('strategic merge patch semantics', () => {
  it.each(cases)('$title', ({kind, live, patch, path, expected}) => {
    const result = applyStrategicMergePatch(live(), patch, kinds[kind])

    expect(at(result, path)).toEqual(expected)
  })

  it('leaves fields the patch does not mention untouched', () => {
    const result = applyStrategicMergePatch(liveService(), {spec: {ports: [{port: 443, targetPort: 9443}]}}, kinds.Service) as Obj

    expect({...result, spec: {...(result.spec as Obj), ports: undefined}}).toEqual({...liveService(), spec: {...liveService().spec, ports: undefined}})
  })

  it('a pod volume change with $retainKeys keeps other volumes and their order', () => {
    const patch = {spec: {volumes: [{$retainKeys: ['name', 'secret'], name: 'data', secret: {secretName: 's'}}]}}

    const result = applyStrategicMergePatch(livePod(), patch, kinds.Pod)

    expect(names(at(result, 'spec.volumes'))).toEqual(['data', 'kube-api-access'])
    expect(at(result, 'spec.volumes.0')).toEqual({name: 'data', secret: {secretName: 's'}})
  })
})

describe('strategic merge patch errors', () => {
  const bad: Array<[string, keyof typeof kinds, Obj, RegExp]> = [
    ['an unknown $patch value in a map', 'ConfigMap', {data: {$patch: 'bogus'}}, /unknown patch type: bogus/],
    ['an unknown $patch value in a list element', 'Deployment', container({env: [{$patch: 'bogus', name: 'A'}]}), /unknown patch type: bogus/],
    ['$patch: merge in a list', 'Deployment', container({env: [{$patch: 'merge'}]}), /merging lists cannot yet be specified in the patch/],
    ['a merge-list element without its merge key', 'Deployment', container({env: [{value: 'x'}]}), /does not contain declared merge key: name/],
    ['a delete directive without the merge key', 'Service', {spec: {ports: [{$patch: 'delete', name: 'http'}]}}, /does not contain declared merge key: port/],
    ['$retainKeys that is not a list', 'Deployment', {spec: {strategy: {$retainKeys: 'type'}}}, /invalid patch format of retainKeys/],
    ['a patched key missing from $retainKeys', 'Deployment', {spec: {strategy: {$retainKeys: ['type'], rollingUpdate: {maxSurge: 1}}}}, /invalid patch format of retainKeys/],
    ['a $deleteFromPrimitiveList key without a field', 'ConfigMap', {metadata: {$deleteFromPrimitiveListfinalizers: ['a']}}, /invalid patch format of primitive list/],
    ['a $deleteFromPrimitiveList value that is not a list', 'ConfigMap', {metadata: {'$deleteFromPrimitiveList/finalizers': 'a'}}, /invalid patch format of primitive list/],
    ['a $setElementOrder value that is not a list', 'Deployment', {spec: {template: {spec: {'$setElementOrder/containers': {name: 'nginx'}}}}}, /invalid patch format of setElementOrder list/],
    ['a patch list out of $setElementOrder order', 'Deployment', {spec: {template: {spec: {'$setElementOrder/containers': [{name: 'a'}, {name: 'nginx'}], containers: [{name: 'nginx'}, {name: 'a'}]}}}}, /doesn't match \$setElementOrder list/],
    ['mixed element types in a merge list', 'ConfigMap', {metadata: {finalizers: ['a', 1]}}, /list element types are not identical/],
    ['a __proto__ key', 'ConfigMap', JSON.parse('{"data":{"__proto__":{"polluted":"yes"}}}'), /__proto__/],
  ]

  it.each(bad)('rejects %s with 400 BadRequest', (_, kind, patch, message) => {
    const live = kind === 'ConfigMap' ? liveConfigMap() : kind === 'Service' ? liveService() : liveDeployment()

    const error = captureError(() => applyStrategicMergePatch(live, patch, kinds[kind]))

    expect(error).toMatchObject({code: 400, reason: 'BadRequest'})
    expect(error.message).toMatch(message)
    expect(({} as Obj).polluted).toBeUndefined()
  })

  it.each([['an array', []], ['a string', 'x'], ['null', null]])('rejects %s as the patch body with 400', (_, patch) => {
    expect(captureError(() => applyStrategicMergePatch(liveConfigMap(), patch, kinds.ConfigMap))).toMatchObject({code: 400})
  })

  it('rejects lists of lists with 422 Invalid', () => {
    const live = {metadata: {finalizers: ['a']}}

    expect(captureError(() => applyStrategicMergePatch(live, {metadata: {finalizers: [['b']]}}, kinds.ConfigMap))).toMatchObject({code: 422, reason: 'Invalid'})
  })

  it('answers kinds without patch metadata (CRDs) with the API server 415', () => {
    const error = captureError(() => applyStrategicMergePatch({metadata: {name: 'w'}}, {spec: {}}, {group: 'example.com', kind: 'Widget'}))

    expect(error).toMatchObject({code: 415, reason: 'UnsupportedMediaType'})
    expect(error.message).toBe(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    )
  })

  it('applies nothing when a patch fails halfway', () => {
    const live = liveDeployment()

    captureError(() => applyStrategicMergePatch(live, {metadata: {labels: {x: 'y'}}, spec: {template: {spec: {containers: [{image: 'no-name'}]}}}}, kinds.Deployment))

    expect(live).toEqual(liveDeployment())
  })
})

function captureError(action: () => unknown): ApiError {
  try {
    action()
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected an ApiError')
}
