// A watch from a revision older than the compacted history gets an ERROR event carrying a 410 Expired
// Status and the stream ends (kubectl-compat.md section 4). A cluster of its own, with a tiny history.
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, type TestCluster} from './harness.js'
import {CM_PATH, configMap, mustCreate} from './objects.js'

let k: TestCluster
beforeAll(async () => {
  k = await startTestCluster({compactKeepRevisions: 3, compactIntervalMs: 100})
})
afterAll(async () => {
  await k?.stop()
})

describe('compacted history', () => {
  it('answers a watch from a compacted resourceVersion with an ERROR 410 Expired event and ends the stream', async () => {
    for (let i = 0; i < 10; i++) await mustCreate(k, CM_PATH('default'), configMap(`filler-${i}`))
    const events = await eventually(async () => {
      const w = await k.watch(`${CM_PATH('default')}?watch=true&resourceVersion=1`)
      try {
        const rest = await w.ended(3_000)
        return rest[0]?.type === 'ERROR' ? {status: w.status, rest} : undefined
      } finally {
        w.close()
      }
    }, 'compaction to overtake revision 1')
    expect(events.status).toBe(200)
    expect(events.rest).toHaveLength(1)
    const status = events.rest[0].object
    expect(status).toMatchObject({kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 410, reason: 'Expired'})
    expect(status.message).toMatch(/^too old resource version: 1 \(\d+\)$/)
  })

  it('still serves a watch from the current resourceVersion', async () => {
    const created = await mustCreate(k, CM_PATH('default'), configMap('fresh'))
    const w = await k.watch(`${CM_PATH('default')}?watch=true&resourceVersion=${created.metadata.resourceVersion}`)
    try {
      await mustCreate(k, CM_PATH('default'), configMap('fresher'))
      const e = await w.next()
      expect([e.type, e.object.metadata.name]).toEqual(['ADDED', 'fresher'])
    } finally {
      w.close()
    }
  })
})
