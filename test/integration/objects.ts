// Minimal valid manifests and API paths for the integration tests.
import type {TestCluster} from './harness.js'

export const CM_PATH = (ns: string, name = '') => `/api/v1/namespaces/${ns}/configmaps${name ? `/${name}` : ''}`
export const POD_PATH = (ns: string, name = '') => `/api/v1/namespaces/${ns}/pods${name ? `/${name}` : ''}`
export const DEPLOY_PATH = (ns: string, name = '') => `/apis/apps/v1/namespaces/${ns}/deployments${name ? `/${name}` : ''}`
export const NS_PATH = (name = '') => `/api/v1/namespaces${name ? `/${name}` : ''}`

export const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/
export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

export function configMap(name: string, data: Record<string, string> = {a: '1'}, metadata: Record<string, unknown> = {}) {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, ...metadata}, data}
}

export function deployment(name: string, replicas = 1, metadata: Record<string, unknown> = {}) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, labels: {app: name}, ...metadata},
    spec: {
      replicas,
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels: {app: name}}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}]}},
    },
  }
}

export function pod(name: string, metadata: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) {
  return {apiVersion: 'v1', kind: 'Pod', metadata: {name, ...metadata}, spec: {containers: [{name: 'nginx', image: 'nginx:1.27'}], ...spec}}
}

/** POST and insist on 201; returns the created object. */
export async function mustCreate(k: TestCluster, path: string, body: unknown): Promise<any> {
  const r = await k.request('POST', path, {body})
  if (r.status !== 201) throw new Error(`POST ${path} -> ${r.status}: ${r.text}`)
  return r.json
}

/** A namespace of its own for one test, created through the API. */
export async function createNamespace(k: TestCluster, name: string): Promise<any> {
  return mustCreate(k, NS_PATH(), {apiVersion: 'v1', kind: 'Namespace', metadata: {name}})
}

export const rv = (obj: {metadata: {resourceVersion: string}}) => Number(obj.metadata.resourceVersion)
