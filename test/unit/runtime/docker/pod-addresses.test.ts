import type Dockerode from 'dockerode'
import {describe, expect, it} from 'vitest'
import {PodAddressPool, isAddressInUse} from '../../../../src/cluster/runtime/docker/pod-addresses.js'

/** An engine with the cluster network 10.200.0.0/16 (pods in the lower /17) and these containers on it. */
function engineWith(containers: Array<{ip?: string; fixed?: string; ours?: boolean}>, ipRange: string | null = '10.200.0.0/17') {
  const endpoint = (c: {ip?: string; fixed?: string}) => ({NetworkSettings: {Networks: {'kcluster-dev': {IPAddress: c.ip ?? '', IPAMConfig: c.fixed ? {IPv4Address: c.fixed} : null}}}})
  return {
    listNetworks: async () => [{Id: 'n1', Name: 'kcluster-dev'}],
    getNetwork: () => ({inspect: async () => ({IPAM: {Config: [{Subnet: '10.200.0.0/16', ...(ipRange && {IPRange: ipRange})}]}})}),
    listContainers: async (opts: {filters: {label?: string[]; network?: string[]}}) =>
      containers.filter((c) => (opts.filters.label ? c.ours !== false : c.ip)).map(endpoint),
  } as unknown as Dockerode
}

describe('PodAddressPool', () => {
  it('skips the gateway and every address a sandbox holds or asks for, also a stopped one', async () => {
    const pool = new PodAddressPool(engineWith([{ip: '10.200.0.2', fixed: '10.200.0.2'}, {fixed: '10.200.0.3'}, {ip: '10.200.0.4', ours: false}]), 'dev')
    expect((await pool.lease()).ip).toBe('10.200.0.5')
  })

  it('hands out different addresses to leases still pending, and moves on instead of reusing a released one at once', async () => {
    const pool = new PodAddressPool(engineWith([]), 'dev')
    const [a, b] = await Promise.all([pool.lease(), pool.lease()])
    expect([a.ip, b.ip]).toEqual(['10.200.0.2', '10.200.0.3'])
    a.release()
    b.release()
    expect((await pool.lease()).ip).toBe('10.200.0.4')
  })

  it("never chooses kcluster-net's address at the top of the range, and says so when the range is full", async () => {
    const taken = Array.from({length: 12}, (_, i) => ({fixed: `10.200.0.${i + 2}`}))
    const pool = new PodAddressPool(engineWith(taken.slice(1), '10.200.0.0/28'), 'dev')
    expect((await pool.lease()).ip).toBe('10.200.0.2')
    await expect(pool.lease()).rejects.toThrow('no free pod address left in 10.200.0.0/28')
  })

  it('leaves the choice to Docker on a network without a configured range', async () => {
    expect((await new PodAddressPool(engineWith([], null), 'dev').lease()).ip).toBeUndefined()
  })

  it('recognises the engine refusing a start on a taken address', () => {
    expect(isAddressInUse(new Error('(HTTP code 500) server error - Address already in use'))).toBe(true)
    expect(isAddressInUse(new Error('(HTTP code 404) no such container'))).toBe(false)
  })
})

describe('PodAddressPool, for a sandbox made again', () => {
  it('hands out the preferred address when it is free, and the next free one when it is taken or pending', async () => {
    const pool = new PodAddressPool(engineWith([{ip: '10.200.0.2', fixed: '10.200.0.2'}]), 'dev')
    const kept = await pool.lease('10.200.0.9')
    expect(kept.ip).toBe('10.200.0.9')
    expect((await pool.lease('10.200.0.9')).ip).toBe('10.200.0.3')
    expect((await pool.lease('10.200.0.2')).ip).toBe('10.200.0.4')
    expect((await pool.lease('10.201.0.9')).ip).toBe('10.200.0.5')
  })
})
