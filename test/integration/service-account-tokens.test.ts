// Service-account tokens end to end over HTTPS: TokenRequest, Bearer authentication, the
// kube-root-ca.crt ConfigMaps and the kube-api-access volume of new pods.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {CM_PATH, createNamespace, mustCreate, pod, POD_PATH} from './objects.js'

const SA_PATH = (ns: string, name = '') => `/api/v1/namespaces/${ns}/serviceaccounts${name ? `/${name}` : ''}`
const TOKEN_PATH = (ns: string, name: string) => `${SA_PATH(ns, name)}/token`
const ROOT_CA = 'kube-root-ca.crt'

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster()
})
afterAll(async () => {
  await k?.stop()
})

const tokenRequest = (spec: Record<string, unknown> = {}) => ({apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec})
const asBearer = (token: string, method: string, path: string, body?: unknown) =>
  k.request(method, path, {anonymous: true, headers: {Authorization: `Bearer ${token}`}, body})

async function serviceAccount(ns: string, name: string): Promise<void> {
  await mustCreate(k, SA_PATH(ns), {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name}})
}

async function newToken(ns: string, name: string, spec: Record<string, unknown> = {}): Promise<string> {
  const created = await mustCreate(k, TOKEN_PATH(ns, name), tokenRequest(spec))
  return created.status.token
}

describe('TokenRequest and bearer tokens', () => {
  it('issues a token that lists pods as the service account until the service account is deleted', async () => {
    const ns = uniqueName('sat')
    await createNamespace(k, ns)
    await serviceAccount(ns, 'robot')
    const r = await k.request('POST', TOKEN_PATH(ns, 'robot'), {body: tokenRequest({expirationSeconds: 600})})
    expect(r.status).toBe(201)
    expect(r.json).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      metadata: {name: 'robot', namespace: ns},
      spec: {audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 600},
    })
    expect(Date.parse(r.json.status.expirationTimestamp) - Date.now()).toBeGreaterThan(500_000)
    const token = r.json.status.token as string

    const listed = await asBearer(token, 'GET', POD_PATH(ns))
    expect(listed.status).toBe(200)
    expect(listed.json.kind).toBe('PodList')
    const who = await asBearer(token, 'POST', '/apis/authentication.k8s.io/v1/selfsubjectreviews', {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview'})
    expect(who.json.status.userInfo).toEqual({
      username: `system:serviceaccount:${ns}:robot`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
    })

    expect((await k.request('DELETE', SA_PATH(ns, 'robot'))).status).toBe(200)
    const refused = await asBearer(token, 'GET', POD_PATH(ns))
    expect(refused.status).toBe(401)
    expect(refused.json).toMatchObject({kind: 'Status', reason: 'Unauthorized', message: 'Unauthorized', code: 401})
  })

  it('answers 404 for a missing service account and 422 for a lifetime under ten minutes', async () => {
    const missing = await k.request('POST', TOKEN_PATH('default', 'nobody'), {body: tokenRequest()})
    expect(missing.status).toBe(404)
    expect(missing.json.message).toBe('serviceaccounts "nobody" not found')
    await eventually(async () => (await k.request('GET', SA_PATH('default', 'default'))).status === 200, 'default ServiceAccount')
    const short = await k.request('POST', TOKEN_PATH('default', 'default'), {body: tokenRequest({expirationSeconds: 599})})
    expect(short.status).toBe(422)
    expect(short.json.message).toContain('spec.expirationSeconds: Invalid value: 599: may not specify a duration less than 10 minutes')
  })

  it('binds a token to a pod: it stops working when the pod is deleted', async () => {
    const ns = uniqueName('sat')
    await createNamespace(k, ns)
    await serviceAccount(ns, 'robot')
    await mustCreate(k, POD_PATH(ns), pod('web', {}, {serviceAccountName: 'robot'}))
    const token = await newToken(ns, 'robot', {boundObjectRef: {kind: 'Pod', apiVersion: 'v1', name: 'web'}})
    expect((await asBearer(token, 'GET', POD_PATH(ns, 'web'))).status).toBe(200)
    expect((await k.request('DELETE', `${POD_PATH(ns, 'web')}?gracePeriodSeconds=0`)).status).toBe(200)
    await eventually(async () => (await k.request('GET', POD_PATH(ns, 'web'))).status === 404, 'pod gone')
    expect((await asBearer(token, 'GET', POD_PATH(ns))).status).toBe(401)
  })

  it('refuses a bad token with 401 even on public paths, lets a client certificate win over it, and answers 401 to no credentials', async () => {
    expect((await asBearer('garbage', 'GET', '/api/v1/namespaces')).status).toBe(401)
    expect((await asBearer('garbage', 'GET', '/version')).status).toBe(401)
    expect((await k.request('GET', '/api/v1/namespaces', {headers: {Authorization: 'Bearer garbage'}})).status).toBe(200)
    expect((await k.request('GET', '/api/v1/namespaces', {anonymous: true})).status).toBe(401)
  })

  it('lets any authenticated user do everything per SelfSubjectAccessReview', async () => {
    await eventually(async () => (await k.request('GET', SA_PATH('default', 'default'))).status === 200, 'default ServiceAccount')
    const token = await newToken('default', 'default')
    const review = await asBearer(token, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {resourceAttributes: {verb: 'delete', resource: 'nodes'}},
    })
    expect(review.status).toBe(201)
    expect(review.json.status.allowed).toBe(true)
    expect(review.json.status.reason).toMatch(/does not authorize per user/)
  })

  it('lists serviceaccounts/token in discovery', async () => {
    const r = await k.request('GET', '/api/v1')
    expect(r.json.resources).toContainEqual(expect.objectContaining({name: 'serviceaccounts/token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create']}))
  })
})

describe('kube-root-ca.crt', () => {
  const rootCa = async (ns: string) => {
    const r = await k.request('GET', CM_PATH(ns, ROOT_CA))
    return r.status === 200 ? r.json : undefined
  }

  it('appears in a new namespace with the cluster CA and comes back after deletion', async () => {
    const ns = uniqueName('rootca')
    await createNamespace(k, ns)
    const cm = await eventually(() => rootCa(ns), 'kube-root-ca.crt in the new namespace')
    expect(cm.data).toEqual({'ca.crt': k.certificates.caCert})
    expect(cm.metadata.annotations['kubernetes.io/description']).toMatch(/^Contains a CA bundle that can be used to verify the kube-apiserver/)
    expect((await k.request('DELETE', CM_PATH(ns, ROOT_CA))).status).toBe(200)
    await eventually(async () => {
      const again = await rootCa(ns)
      return again && again.metadata.uid !== cm.metadata.uid ? again : undefined
    }, 'a new kube-root-ca.crt')
  })

  it('is put back when edited', async () => {
    const ns = uniqueName('rootca')
    await createNamespace(k, ns)
    const cm = await eventually(() => rootCa(ns), 'kube-root-ca.crt')
    const edited = await k.request('PUT', CM_PATH(ns, ROOT_CA), {body: {...cm, data: {'ca.crt': 'tampered', extra: 'x'}}})
    expect(edited.status).toBe(200)
    await eventually(async () => {
      const now = await rootCa(ns)
      return now && JSON.stringify(now.data) === JSON.stringify({'ca.crt': k.certificates.caCert})
    }, 'kube-root-ca.crt restored')
  })
})

describe('pods created through the API', () => {
  it('get the kube-api-access volume mounted at the in-cluster config path, unless they opt out', async () => {
    const ns = uniqueName('sapod')
    await createNamespace(k, ns)
    const created = await mustCreate(k, POD_PATH(ns), pod('web'))
    const volume = created.spec.volumes.find((v: {name: string}) => v.name.startsWith('kube-api-access-'))
    expect(volume.projected.sources.map((s: Record<string, unknown>) => Object.keys(s)[0])).toEqual(['serviceAccountToken', 'configMap', 'downwardAPI'])
    expect(created.spec.containers[0].volumeMounts).toEqual([{name: volume.name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount'}])
    const optedOut = await mustCreate(k, POD_PATH(ns), pod('quiet', {}, {automountServiceAccountToken: false}))
    expect(optedOut.spec.volumes).toBeUndefined()
  })

  it('follow their ServiceAccount\'s automountServiceAccountToken when they do not set it, and their own when they do', async () => {
    const ns = uniqueName('saquiet')
    await createNamespace(k, ns)
    await mustCreate(k, SA_PATH(ns), {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'quiet'}, automountServiceAccountToken: false})
    const silent = await mustCreate(k, POD_PATH(ns), pod('silent', {}, {serviceAccountName: 'quiet'}))
    expect(silent.spec.volumes).toBeUndefined()
    const asked = await mustCreate(k, POD_PATH(ns), pod('asked', {}, {serviceAccountName: 'quiet', automountServiceAccountToken: true}))
    expect(asked.spec.volumes.map((v: {name: string}) => v.name)).toEqual([expect.stringMatching(/^kube-api-access-[a-z0-9]{5}$/)])
  })
})
