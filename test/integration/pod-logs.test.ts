// GET pods/<name>/log on the simulated runtime (whose containers write one line when they start):
// --timestamps stamps it with the start time in the kubelet's format, --since/--since-time filter by
// that time, and bad options get the real server's 400 (unparsable) or 422 (PodLogOptions invalid).
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {eventually, startTestCluster, uniqueName, type TestCluster} from './harness.js'
import {mustCreate, POD_PATH} from './objects.js'

let k: TestCluster
let name: string
let startedAt: string
beforeAll(async () => {
  k = await startTestCluster()
  name = uniqueName('logged')
  await mustCreate(k, POD_PATH('default'), {apiVersion: 'v1', kind: 'Pod', metadata: {name}, spec: {containers: [{name: 'app', image: 'kcluster-test/busybox:1'}]}})
  startedAt = await eventually(async () => (await k.request('GET', POD_PATH('default', name))).json.status?.containerStatuses?.[0]?.state?.running?.startedAt, 'running')
})
afterAll(async () => {
  await k?.stop()
})

const logs = (query: string) => k.request('GET', `${POD_PATH('default', name)}/log${query}`)

describe('pod logs options', () => {
  it('stamps each line with an RFC 3339 nanosecond time when asked', async () => {
    const r = await logs('?timestamps=true')
    expect(r.status).toBe(200)
    expect(r.text).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z simulated container app /)
    // The second-resolution start time in the status is the same instant the line carries.
    expect(r.text.slice(0, 19)).toBe(startedAt.slice(0, 19))
  })

  it('keeps lines written since a time and drops older ones (sinceTime and sinceSeconds)', async () => {
    expect((await logs(`?sinceTime=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).text).toContain('simulated container app')
    expect((await logs(`?sinceTime=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).text).toBe('')
    expect((await logs('?sinceSeconds=3600')).text).toContain('simulated container app')
  })

  it('answers 422 for both since options or a sinceSeconds below 1, and 400 for a time that does not parse', async () => {
    const both = await logs('?sinceSeconds=10&sinceTime=2000-01-01T00:00:00Z')
    expect(both.status).toBe(422)
    expect(both.json).toMatchObject({reason: 'Invalid', details: {kind: 'PodLogOptions', causes: [{field: 'sinceSeconds'}]}})
    expect(both.json.message).toContain('at most one of `sinceTime` or `sinceSeconds` may be specified')
    const zero = await logs('?sinceSeconds=0')
    expect(zero.status).toBe(422)
    expect(zero.json.message).toBe(`PodLogOptions "${name}" is invalid: sinceSeconds: Invalid value: 0: must be greater than 0`)
    expect((await logs('?sinceTime=yesterday')).status).toBe(400)
  })
})
