// Discovery, both ways: aggregated (/api, /apis as APIGroupDiscoveryList, kubectl >= 1.26) and legacy
// (/api, /apis, /apis/<g>, and the per-group-version APIResourceList that `auth can-i` and client-node use).
// Everything is derived from the resource table.
import {createHash} from 'node:crypto'
import type {IncomingMessage, ServerResponse} from 'node:http'
import {notFound} from '../../api/errors.js'
import {RESOURCES, VIRTUAL_RESOURCES, apiVersionOf, type ResourceType} from '../../api/resources.js'
import {sendJson} from '../status.js'

interface GroupVersion {
  group: string
  version: string
}

const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList'
const AGGREGATED_V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList'

function groupVersions(): GroupVersion[] {
  const seen = new Map<string, GroupVersion>()
  for (const r of [...RESOURCES, ...VIRTUAL_RESOURCES]) seen.set(apiVersionOf(r), {group: r.group, version: r.version})
  return [...seen.values()]
}

function storageVersionHash(r: ResourceType): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest().subarray(0, 8).toString('base64')
}

function aggregatedResources(gv: GroupVersion) {
  const stored = RESOURCES.filter((r) => r.group === gv.group && r.version === gv.version).map((r) => ({
    resource: r.plural,
    responseKind: {group: r.group, version: r.version, kind: r.kind},
    scope: r.scope,
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames.length ? {shortNames: r.shortNames} : {}),
    ...(r.categories.length ? {categories: r.categories} : {}),
    ...(r.subresources.length
      ? {
          subresources: r.subresources.map((s) => ({
            subresource: s.name,
            responseKind: s.responseKind ?? {group: r.group, version: r.version, kind: r.kind},
            verbs: s.verbs,
          })),
        }
      : {}),
  }))
  const virtual = VIRTUAL_RESOURCES.filter((r) => r.group === gv.group && r.version === gv.version).map((r) => ({
    resource: r.plural,
    responseKind: {group: r.group, version: r.version, kind: r.kind},
    scope: r.scope,
    singularResource: r.kind.toLowerCase(),
    verbs: r.verbs,
  }))
  return [...stored, ...virtual]
}

function aggregated(core: boolean, version: 'v2' | 'v2beta1') {
  const byGroup = new Map<string, GroupVersion[]>()
  for (const gv of groupVersions()) {
    if (core !== (gv.group === '')) continue
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv])
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...byGroup.entries()].map(([group, gvs]) => ({
      metadata: core ? {creationTimestamp: null} : {name: group, creationTimestamp: null},
      versions: gvs.map((gv) => ({version: gv.version, resources: aggregatedResources(gv), freshness: 'Current'})),
    })),
  }
}

function wantsAggregated(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  const a = accept ?? ''
  if (!a.includes('as=APIGroupDiscoveryList')) return undefined
  return a.includes('v=v2;') || a.includes('v=v2,') || /v=v2(;|,|$)/.test(a) ? 'v2' : 'v2beta1'
}

function legacyGroup(group: string) {
  const versions = groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => ({groupVersion: `${group}/${gv.version}`, version: gv.version}))
  return {name: group, versions, preferredVersion: versions[0]}
}

export function handleDiscoveryRoot(path: '/api' | '/apis', req: IncomingMessage, res: ServerResponse, serverAddress: string): void {
  const aggregatedVersion = wantsAggregated(req.headers.accept)
  if (aggregatedVersion) {
    sendJson(res, 200, aggregated(path === '/api', aggregatedVersion), aggregatedVersion === 'v2' ? AGGREGATED_V2 : AGGREGATED_V2BETA1)
    return
  }
  if (path === '/api') {
    sendJson(res, 200, {kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{clientCIDR: '0.0.0.0/0', serverAddress}]})
    return
  }
  const groups = [...new Set(groupVersions().filter((gv) => gv.group !== '').map((gv) => gv.group))]
  sendJson(res, 200, {kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(legacyGroup)})
}

/** /apis/<group> */
export function handleGroup(group: string, res: ServerResponse): void {
  const g = legacyGroup(group)
  if (g.versions.length === 0) throw notFound({group: '', resource: 'groups'}, group)
  sendJson(res, 200, {kind: 'APIGroup', apiVersion: 'v1', ...g})
}

/** /api/v1 and /apis/<group>/<version>: main resources first, then their subresources (client-node picks the first match by kind). */
export function handleResourceList(group: string, version: string, res: ServerResponse): void {
  const stored = RESOURCES.filter((r) => r.group === group && r.version === version)
  const virtual = VIRTUAL_RESOURCES.filter((r) => r.group === group && r.version === version)
  if (stored.length === 0 && virtual.length === 0) throw notFound({group: '', resource: 'groupversions'}, apiVersionOf({group, version}))
  const main = [
    ...stored.map((r) => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.scope === 'Namespaced',
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? {shortNames: r.shortNames} : {}),
      ...(r.categories.length ? {categories: r.categories} : {}),
      storageVersionHash: storageVersionHash(r),
    })),
    ...virtual.map((r) => ({name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.scope === 'Namespaced', kind: r.kind, verbs: r.verbs})),
  ]
  const subs = stored.flatMap((r) =>
    r.subresources.map((s) => ({
      name: `${r.plural}/${s.name}`,
      singularName: '',
      namespaced: r.scope === 'Namespaced',
      ...(s.responseKind ? {group: s.responseKind.group, version: s.responseKind.version, kind: s.responseKind.kind} : {kind: r.kind}),
      verbs: s.verbs,
    })),
  )
  sendJson(res, 200, {kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf({group, version}), resources: [...main, ...subs]})
}
