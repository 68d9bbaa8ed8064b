import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../src/cluster/api/errors.js'
import {matchesFields, parseFieldSelector, selectableFields} from '../../../src/cluster/api/field-selector.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'

const POD = {group: '', kind: 'Pod'}
const EVENT = {group: '', kind: 'Event'}

function pod(name: string, nodeName: string, phase: string, extra: Record<string, unknown> = {}): KubeObject {
  return {metadata: {name, namespace: 'default'}, spec: {nodeName, containers: []}, status: {phase}, ...extra}
}

function rejection(text: string, kind = POD): ApiError {
  try {
    parseFieldSelector(text, kind)
  } catch (err) {
    if (err instanceof ApiError) return err
    throw err
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`)
}

describe('parseFieldSelector / matchesFields', () => {
  it('selects the non-terminated pods of a node the way `kubectl describe node` asks', () => {
    const sel = parseFieldSelector('spec.nodeName=kcluster-node,status.phase!=Succeeded,status.phase!=Failed', POD)
    expect(matchesFields(sel, pod('a', 'kcluster-node', 'Running'))).toBe(true)
    expect(matchesFields(sel, pod('b', 'kcluster-node', 'Pending'))).toBe(true)
    expect(matchesFields(sel, pod('c', 'kcluster-node', 'Succeeded'))).toBe(false)
    expect(matchesFields(sel, pod('d', 'kcluster-node', 'Failed'))).toBe(false)
    expect(matchesFields(sel, pod('e', 'other', 'Running'))).toBe(false)
  })

  it('matches metadata.name and metadata.namespace with = and ==', () => {
    const sel = parseFieldSelector('status.phase=Running,metadata.name==web', POD)
    expect(matchesFields(sel, pod('web', 'n', 'Running'))).toBe(true)
    expect(matchesFields(sel, pod('api', 'n', 'Running'))).toBe(false)
    expect(matchesFields(parseFieldSelector('metadata.namespace=default', POD), pod('web', 'n', 'Running'))).toBe(true)
  })

  it('treats an empty selector as matching everything', () => {
    const sel = parseFieldSelector('', POD)
    expect(sel.requirements).toHaveLength(0)
    expect(matchesFields(sel, pod('x', '', ''))).toBe(true)
  })

  it('matches an empty value against a missing field, as describe node does for cluster-scoped event objects', () => {
    const sel = parseFieldSelector('involvedObject.kind=Node,involvedObject.name=kcluster-node,involvedObject.namespace=', EVENT)
    const event: KubeObject = {metadata: {name: 'e1', namespace: 'default'}, involvedObject: {kind: 'Node', name: 'kcluster-node'}}
    expect(matchesFields(sel, event)).toBe(true)
    expect(matchesFields(sel, {...event, involvedObject: {kind: 'Node', name: 'kcluster-node', namespace: 'x'}})).toBe(false)
  })

  it('reads the event source from source.component, falling back to reportingComponent', () => {
    const sel = parseFieldSelector('source=kubelet', EVENT)
    expect(matchesFields(sel, {metadata: {name: 'a'}, source: {component: 'kubelet'}})).toBe(true)
    expect(matchesFields(sel, {metadata: {name: 'b'}, reportingComponent: 'kubelet'})).toBe(true)
    expect(matchesFields(sel, {metadata: {name: 'c'}, source: {component: 'scheduler'}})).toBe(false)
  })

  it('exposes booleans and integers as Go prints them', () => {
    expect(selectableFields(pod('a', 'n', 'Running'), POD)['spec.hostNetwork']).toBe('false')
    expect(selectableFields({metadata: {name: 'n'}, spec: {unschedulable: true}}, {group: '', kind: 'Node'})['spec.unschedulable']).toBe('true')
    const rs = {metadata: {name: 'rs'}, status: {replicas: 3}}
    expect(matchesFields(parseFieldSelector('status.replicas=3', {group: 'apps', kind: 'ReplicaSet'}), rs)).toBe(true)
  })

  it('uses the first pod IP for status.podIP', () => {
    const p = pod('a', 'n', 'Running', {status: {phase: 'Running', podIP: '10.0.0.1', podIPs: [{ip: '10.0.0.1'}, {ip: 'fd00::1'}]}})
    expect(matchesFields(parseFieldSelector('status.podIP=10.0.0.1', POD), p)).toBe(true)
  })

  it('rewrites the legacy spec.host to spec.nodeName', () => {
    const sel = parseFieldSelector('spec.host=n1', POD)
    expect(sel.requirements[0].field).toBe('spec.nodeName')
    expect(matchesFields(sel, pod('a', 'n1', 'Running'))).toBe(true)
  })

  it('filters secrets by type', () => {
    const sel = parseFieldSelector('type=kubernetes.io/tls', {group: '', kind: 'Secret'})
    expect(matchesFields(sel, {metadata: {name: 's'}, type: 'kubernetes.io/tls'})).toBe(true)
    expect(matchesFields(sel, {metadata: {name: 's'}, type: 'Opaque'})).toBe(false)
  })

  it('unescapes \\, \\= and \\\\ in values', () => {
    const sel = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d', POD)
    expect(sel.requirements).toEqual([{field: 'metadata.name', operator: '=', value: 'a,b=c\\d'}])
  })
})

describe('parseFieldSelector errors', () => {
  it('rejects unsupported pod fields with the conversion message', () => {
    const err = rejection('spec.containers=x')
    expect(err.code).toBe(400)
    expect(err.reason).toBe('BadRequest')
    expect(err.message).toBe('field label not supported: spec.containers')
  })

  it('rejects metadata.namespace on nodes, which the real Node conversion does not accept', () => {
    expect(rejection('metadata.namespace=x', {group: '', kind: 'Node'}).message).toBe('field label not supported: metadata.namespace')
  })

  it('rejects non-metadata fields on kinds without a conversion func with the default message', () => {
    expect(rejection('spec.replicas=1', {group: 'apps', kind: 'Deployment'}).message).toBe(
      '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"',
    )
    expect(parseFieldSelector('metadata.name=web', {group: 'apps', kind: 'Deployment'}).requirements).toHaveLength(1)
  })

  it.each([
    ['status.phase', "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ['metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name=a\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['metadata.name=a\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j with %j', (text, message) => {
    expect(rejection(text).message).toBe(message)
  })
})
