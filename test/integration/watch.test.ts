// The watch protocol (kubectl-compat.md section 4 and the Table form of section 5): initial state,
// replay from a resourceVersion, wire format, selector transitions, bookmarks, timeouts.
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'
import {startTestCluster, TABLE_ACCEPT, uniqueName, type TestCluster, type WatchStream} from './harness.js'
import {CM_PATH, configMap, createNamespace, mustCreate, pod, POD_PATH, rv} from './objects.js'

const MERGE = 'application/merge-patch+json'

let k: TestCluster
const open: WatchStream[] = []
beforeAll(async () => {
  // The root CA publisher would add kube-root-ca.crt to every namespace these ConfigMap watches read.
  k = await startTestCluster({bookmarkIntervalMs: 200, disableControllers: ['root-ca-cert-publisher']})
})
afterEach(() => {
  for (const w of open.splice(0)) w.close()
})
afterAll(async () => {
  await k?.stop()
})

async function watch(path: string, accept?: string): Promise<WatchStream> {
  const w = await k.watch(path, {accept})
  open.push(w)
  return w
}

/** A namespace nobody else writes to, so a watch on it sees only this test's events. */
async function quietNamespace(): Promise<string> {
  const ns = uniqueName('w')
  await createNamespace(k, ns)
  return ns
}

describe('initial state', () => {
  it.each([['unset', ''], ['0', '&resourceVersion=0']])('sends ADDED for every existing object when resourceVersion is %s, then live events', async (_label, param) => {
    const ns = await quietNamespace()
    await mustCreate(k, CM_PATH(ns), configMap('a'))
    await mustCreate(k, CM_PATH(ns), configMap('b'))
    const w = await watch(`${CM_PATH(ns)}?watch=true${param}`)
    expect(w.status).toBe(200)
    const first = [await w.next(), await w.next()]
    expect(first.map((e) => e.type)).toEqual(['ADDED', 'ADDED'])
    expect(first.map((e) => e.object.metadata.name).sort()).toEqual(['a', 'b'])
    await mustCreate(k, CM_PATH(ns), configMap('c'))
    const live = await w.next()
    expect(live.type).toBe('ADDED')
    expect(live.object.metadata.name).toBe('c')
  })

  it('does not show objects of other namespaces on a namespaced watch', async () => {
    const ns = await quietNamespace()
    const other = await quietNamespace()
    const w = await watch(`${CM_PATH(ns)}?watch=true`)
    await mustCreate(k, CM_PATH(other), configMap('elsewhere'))
    await mustCreate(k, CM_PATH(ns), configMap('here'))
    const e = await w.next()
    expect(e.object.metadata.name).toBe('here')
  })

  it('sees every namespace on a cluster-wide watch', async () => {
    const ns = await quietNamespace()
    const created = await mustCreate(k, CM_PATH(ns), configMap('x'))
    const w = await watch(`/api/v1/configmaps?watch=true&resourceVersion=${rv(created) - 1}`)
    const e = await w.next()
    expect(e.type).toBe('ADDED')
    expect(e.object.metadata).toMatchObject({name: 'x', namespace: ns})
  })
})

describe('concurrency', () => {
  it('serves many concurrent watches, each getting every event, without a listener-leak warning', async () => {
    const warnings: string[] = []
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`)
    process.on('warning', onWarning)
    try {
      const ns = await quietNamespace()
      const watches = await Promise.all(Array.from({length: 15}, () => watch(`${CM_PATH(ns)}?watch=true`)))
      await mustCreate(k, CM_PATH(ns), configMap('x'))
      for (const w of watches) expect((await w.next()).object.metadata.name).toBe('x')
      await new Promise((r) => setImmediate(r))
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([])
    } finally {
      process.off('warning', onWarning)
    }
  })
})

describe('replay from a resourceVersion', () => {
  it('delivers only the events after the given resourceVersion, in order', async () => {
    const ns = await quietNamespace()
    const a = await mustCreate(k, CM_PATH(ns), configMap('a'))
    await mustCreate(k, CM_PATH(ns), configMap('b'))
    const patched = await k.request('PATCH', CM_PATH(ns, 'a'), {body: {data: {a: '2'}}, contentType: MERGE})
    const w = await watch(`${CM_PATH(ns)}?watch=true&resourceVersion=${a.metadata.resourceVersion}`)
    const events = [await w.next(), await w.next()]
    expect(events.map((e) => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'b'],
      ['MODIFIED', 'a'],
    ])
    expect(events[1].object.metadata.resourceVersion).toBe(patched.json.metadata.resourceVersion)
    await expect(w.next(500)).rejects.toThrow(/no watch event/)
  })

  it('resumes from a list: watching at the list resourceVersion misses nothing and repeats nothing', async () => {
    const ns = await quietNamespace()
    await mustCreate(k, CM_PATH(ns), configMap('before'))
    const list = await k.request('GET', `${CM_PATH(ns)}?limit=500&resourceVersion=0`)
    expect(list.json.items).toHaveLength(1)
    await mustCreate(k, CM_PATH(ns), configMap('between'))
    const w = await watch(`${CM_PATH(ns)}?watch=true&allowWatchBookmarks=false&resourceVersion=${list.json.metadata.resourceVersion}`)
    const e = await w.next()
    expect([e.type, e.object.metadata.name]).toEqual(['ADDED', 'between'])
  })
})

describe('wire format', () => {
  it('streams chunked application/json, one compact JSON event per line, objects carrying kind and apiVersion', async () => {
    const ns = await quietNamespace()
    const w = await watch(`${CM_PATH(ns)}?watch=true`)
    expect(w.headers['content-type']).toBe('application/json')
    expect(w.headers['transfer-encoding']).toBe('chunked')
    await mustCreate(k, CM_PATH(ns), configMap('x', {multi: 'line\none'}))
    const e = await w.next()
    expect(e.raw).toBe(JSON.stringify(JSON.parse(e.raw)))
    expect(Object.keys(JSON.parse(e.raw)).sort()).toEqual(['object', 'type'])
    expect(e.object).toMatchObject({kind: 'ConfigMap', apiVersion: 'v1', metadata: {name: 'x', namespace: ns}, data: {multi: 'line\none'}})
  })

  it('sends DELETED with the last state and a newer resourceVersion', async () => {
    const ns = await quietNamespace()
    const created = await mustCreate(k, CM_PATH(ns), configMap('x'))
    const w = await watch(`${CM_PATH(ns)}?watch=true&resourceVersion=${created.metadata.resourceVersion}`)
    expect((await k.request('DELETE', CM_PATH(ns, 'x'))).status).toBe(200)
    const e = await w.next()
    expect(e.type).toBe('DELETED')
    expect(e.object).toMatchObject({kind: 'ConfigMap', apiVersion: 'v1', metadata: {name: 'x', uid: created.metadata.uid}, data: {a: '1'}})
    expect(rv(e.object)).toBeGreaterThan(rv(created))
  })
})

describe('selectors', () => {
  it('turns label changes into ADDED and DELETED for a label-selected watch', async () => {
    const ns = await quietNamespace()
    const w = await watch(`${CM_PATH(ns)}?watch=true&labelSelector=${encodeURIComponent('app=web')}`)
    await mustCreate(k, CM_PATH(ns), configMap('other', {}, {labels: {app: 'db'}}))
    await mustCreate(k, CM_PATH(ns), configMap('x', {}, {labels: {app: 'web'}}))
    expect(await w.next().then((e) => [e.type, e.object.metadata.name])).toEqual(['ADDED', 'x'])

    await k.request('PATCH', CM_PATH(ns, 'x'), {body: {data: {v: '2'}}, contentType: MERGE})
    expect(await w.next().then((e) => [e.type, e.object.metadata.name])).toEqual(['MODIFIED', 'x'])

    const moved = await k.request('PATCH', CM_PATH(ns, 'x'), {body: {metadata: {labels: {app: 'api'}}}, contentType: MERGE})
    const left = await w.next()
    expect([left.type, left.object.metadata.name]).toEqual(['DELETED', 'x'])
    expect(left.object.metadata.resourceVersion).toBe(moved.json.metadata.resourceVersion)

    await k.request('PATCH', CM_PATH(ns, 'other'), {body: {data: {v: 'ignored'}}, contentType: MERGE})
    await k.request('PATCH', CM_PATH(ns, 'x'), {body: {metadata: {labels: {app: 'web'}}}, contentType: MERGE})
    const back = await w.next()
    expect([back.type, back.object.metadata.name]).toEqual(['ADDED', 'x'])
  })

  it('turns field changes into ADDED and DELETED for a field-selected pod watch', async () => {
    const ns = await quietNamespace()
    const w = await watch(`${POD_PATH(ns)}?watch=true&fieldSelector=${encodeURIComponent('status.phase=Pending')}`)
    await mustCreate(k, POD_PATH(ns), pod('p'))
    const added = await w.next()
    expect([added.type, added.object.metadata.name]).toEqual(['ADDED', 'p'])
    // The agent starts the pod; once it is Running it no longer matches.
    const events = await w.collect((e) => e.type === 'DELETED')
    expect(events.at(-1)!.object.status.phase).toBe('Running')
    expect(events.slice(0, -1).every((e) => e.type === 'MODIFIED')).toBe(true)
  })

  it('reports a pod as ADDED to a spec.nodeName watch when it gets bound', async () => {
    const ns = await quietNamespace()
    const w = await watch(`${POD_PATH(ns)}?watch=true&fieldSelector=${encodeURIComponent('spec.nodeName=itest-node')}`)
    const created = await mustCreate(k, POD_PATH(ns), pod('p'))
    expect(created.spec.nodeName).toBeUndefined()
    const e = await w.next()
    expect(e.type).toBe('ADDED')
    expect(e.object.spec.nodeName).toBe('itest-node')
    expect(rv(e.object)).toBeGreaterThan(rv(created))
  })
})

describe('bookmarks and timeouts', () => {
  it('sends no BOOKMARK events unless allowWatchBookmarks=true', async () => {
    const ns = await quietNamespace()
    const w = await watch(`${CM_PATH(ns)}?watch=true`)
    // Five bookmark intervals of silence.
    await expect(w.next(1_000)).rejects.toThrow(/no watch event/)
  })

  it('sends BOOKMARK events with only kind, apiVersion and metadata.resourceVersion when asked', async () => {
    const ns = await quietNamespace()
    const created = await mustCreate(k, CM_PATH(ns), configMap('x'))
    const w = await watch(`${CM_PATH(ns)}?watch=true&allowWatchBookmarks=true&resourceVersion=${created.metadata.resourceVersion}`)
    const e = await w.next(3_000)
    expect(e.type).toBe('BOOKMARK')
    expect(e.object).toEqual({kind: 'ConfigMap', apiVersion: 'v1', metadata: {resourceVersion: expect.stringMatching(/^\d+$/)}})
    expect(rv(e.object)).toBeGreaterThanOrEqual(rv(created))
  })

  it('ends the stream after timeoutSeconds', async () => {
    const ns = await quietNamespace()
    const started = Date.now()
    const w = await watch(`${CM_PATH(ns)}?watch=true&timeoutSeconds=1`)
    await w.ended(8_000)
    const elapsed = Date.now() - started
    expect(elapsed).toBeGreaterThanOrEqual(900)
    expect(elapsed).toBeLessThan(8_000)
  })
})

describe('Table watch', () => {
  it('sends Table events with columnDefinitions only in the first one', async () => {
    const ns = await quietNamespace()
    await mustCreate(k, POD_PATH(ns), pod('p1'))
    const w = await watch(`${POD_PATH(ns)}?watch=true`, TABLE_ACCEPT)
    expect(w.headers['content-type']).toBe('application/json;as=Table;v=v1;g=meta.k8s.io')
    const first = await w.next()
    expect(first.object).toMatchObject({kind: 'Table', apiVersion: 'meta.k8s.io/v1'})
    expect(first.object.columnDefinitions.map((c: {name: string}) => c.name)).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates'])
    expect(first.object.rows).toHaveLength(1)
    expect(first.object.rows[0].cells[0]).toBe('p1')
    expect(first.object.rows[0].object).toMatchObject({kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {name: 'p1', namespace: ns}})

    const second = await w.next()
    expect(second.object.kind).toBe('Table')
    expect(second.object.columnDefinitions ?? []).toEqual([])
    expect(second.object.rows).toHaveLength(1)
    expect(second.object.rows[0].cells[0]).toBe('p1')
  })
})
