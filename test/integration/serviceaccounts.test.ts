// The `default` ServiceAccount every namespace has, through the API.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {createNamespace, NS_PATH} from './objects.js'

const SA_PATH = (ns: string, name = '') => `/api/v1/namespaces/${ns}/serviceaccounts${name ? `/${name}` : ''}`

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster()
})
afterAll(async () => {
  await k?.stop()
})

const defaultSA = async (ns: string) => {
  const r = await k.request('GET', SA_PATH(ns, 'default'))
  return r.status === 200 ? r.json : undefined
}

describe('default ServiceAccount', () => {
  it('exists in the system namespaces', async () => {
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) await eventually(() => defaultSA(ns), `default ServiceAccount in ${ns}`)
  })

  it('is created in a new namespace, and only the one', async () => {
    const ns = uniqueName('sa')
    await createNamespace(k, ns)
    const sa = await eventually(() => defaultSA(ns), 'default ServiceAccount in the new namespace')
    expect(sa).toMatchObject({apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'default', namespace: ns}})
    const list = (await k.request('GET', SA_PATH(ns))).json
    expect(list.items.map((i: {metadata: {name: string}}) => i.metadata.name)).toEqual(['default'])
  })

  it('comes back after being deleted', async () => {
    const ns = uniqueName('sa')
    await createNamespace(k, ns)
    const first = await eventually(() => defaultSA(ns), 'default ServiceAccount')
    expect((await k.request('DELETE', SA_PATH(ns, 'default'))).status).toBe(200)
    const again = await eventually(async () => {
      const sa = await defaultSA(ns)
      return sa && sa.metadata.uid !== first.metadata.uid ? sa : undefined
    }, 'a new default ServiceAccount')
    expect(again.metadata.name).toBe('default')
  })

  it('does not hold up the deletion of its namespace', async () => {
    const ns = uniqueName('sa')
    await createNamespace(k, ns)
    await eventually(() => defaultSA(ns), 'default ServiceAccount')
    expect((await k.request('DELETE', NS_PATH(ns))).status).toBe(200)
    await eventually(async () => (await k.request('GET', NS_PATH(ns))).status === 404, 'namespace gone')
  })
})
