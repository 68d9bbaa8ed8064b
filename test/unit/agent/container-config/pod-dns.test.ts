import {mkdtemp, readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {podResolvConf, renderResolvConf, resolvConfMount} from '../../../../src/cluster/agent/container-config/pod-dns.js'

const DNS = {nameserver: '10.200.128.10', zone: 'cluster.local'}
const pod = (spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => ({metadata: {name: 'web', namespace: 'shop', uid: 'u1'}, spec: {containers: [], ...spec}})

describe("a pod's resolv.conf", () => {
  it('points ClusterFirst pods (the default) at the cluster DNS with the namespace search path and ndots:5', () => {
    expect(renderResolvConf(podResolvConf(pod(), DNS)!)).toBe(
      'nameserver 10.200.128.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    )
  })

  it('extends the policy with dnsConfig: nameservers and searches appended, options replaced by name', () => {
    const conf = podResolvConf(pod({dnsConfig: {nameservers: ['1.1.1.1'], searches: ['corp.example'], options: [{name: 'ndots', value: '2'}, {name: 'edns0'}]}}), DNS)
    expect(conf).toEqual({
      nameservers: ['10.200.128.10', '1.1.1.1'],
      searches: ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local', 'corp.example'],
      options: ['ndots:2', 'edns0'],
    })
  })

  it('uses only dnsConfig under None, and leaves the runtime resolver under Default without dnsConfig', () => {
    expect(podResolvConf(pod({dnsPolicy: 'None', dnsConfig: {nameservers: ['9.9.9.9']}}), DNS)).toEqual({nameservers: ['9.9.9.9'], searches: [], options: []})
    expect(podResolvConf(pod({dnsPolicy: 'Default'}), DNS)).toBeUndefined()
  })

  it('keeps at most three nameservers, as the kubelet does', () => {
    const conf = podResolvConf(pod({dnsConfig: {nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3']}}), DNS)!
    expect(conf.nameservers).toEqual(['10.200.128.10', '1.1.1.1', '2.2.2.2'])
  })

  it('writes the file under the pod dir and mounts it read-only at /etc/resolv.conf', async () => {
    const podsDir = await mkdtemp(path.join(tmpdir(), 'kcluster-dns-'))
    const mount = await resolvConfMount(podsDir, pod(), DNS)
    expect(mount).toMatchObject({containerPath: '/etc/resolv.conf', readOnly: true})
    expect(await readFile(mount!.hostPath, 'utf8')).toContain('nameserver 10.200.128.10')
    expect(await resolvConfMount(podsDir, pod({dnsPolicy: 'Default'}), DNS)).toBeUndefined()
  })
})
