import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {endpointsPrinter, servicePrinter} from '../../../../src/cluster/apiserver/tables/services.js'

const NOW = new Date('2026-11-22T08:10:00Z')

function svc(spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject {
  return {metadata: {name: 'web', namespace: 'default', creationTimestamp: '2026-11-22T08:00:00Z'}, spec, status}
}

describe('service table cells', () => {
  it('prints a ClusterIP service with <none> external IP and its selector', () => {
    const s = svc({type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{port: 80, protocol: 'TCP'}], selector: {tier: 'fe', app: 'web'}})
    expect(servicePrinter.cells(s, NOW)).toEqual(['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '10m', 'app=web,tier=fe'])
  })

  it('prints node ports as port:nodePort/protocol', () => {
    const s = svc({type: 'NodePort', clusterIPs: ['10.96.0.11'], ports: [{port: 80, nodePort: 30080, protocol: 'TCP'}, {port: 53, protocol: 'UDP'}]})
    expect(servicePrinter.cells(s, NOW).slice(1, 5)).toEqual(['NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP'])
  })

  it('shows <pending> for a LoadBalancer without ingress, then its ingress IPs and hostnames', () => {
    expect(servicePrinter.cells(svc({type: 'LoadBalancer', clusterIPs: ['10.96.0.12']}), NOW)[3]).toBe('<pending>')
    const ready = svc({type: 'LoadBalancer'}, {loadBalancer: {ingress: [{ip: '1.2.3.4'}, {hostname: 'lb.example.com'}, {ip: '1.2.3.4'}]}})
    expect(servicePrinter.cells(ready, NOW)[3]).toBe('1.2.3.4,lb.example.com')
    const withExternal = svc({type: 'LoadBalancer', externalIPs: ['5.6.7.8']}, {loadBalancer: {ingress: [{ip: '1.2.3.4'}]}})
    expect(servicePrinter.cells(withExternal, NOW)[3]).toBe('1.2.3.4,5.6.7.8')
  })

  it('lists spec.externalIPs for ClusterIP services', () => {
    expect(servicePrinter.cells(svc({type: 'ClusterIP', externalIPs: ['5.6.7.8', '5.6.7.9']}), NOW)[3]).toBe('5.6.7.8,5.6.7.9')
  })

  it('shows the external name of an ExternalName service and <none> for missing ports and selector', () => {
    const s = svc({type: 'ExternalName', externalName: 'db.example.com'})
    expect(servicePrinter.cells(s, NOW)).toEqual(['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '10m', '<none>'])
  })

  it('shows a headless service cluster IP as None', () => {
    expect(servicePrinter.cells(svc({type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None']}), NOW)[2]).toBe('None')
  })
})

describe('endpoints table cells', () => {
  const ep = (subsets: unknown): KubeObject => ({metadata: {name: 'web', creationTimestamp: '2026-11-22T08:09:00Z'}, subsets})

  it('prints <none> without subsets', () => {
    expect(endpointsPrinter.cells(ep(undefined), NOW)).toEqual(['web', '<none>', '60s'])
  })

  it('prints ip:port pairs and truncates after three', () => {
    const addresses = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5'].map((ip) => ({ip}))
    expect(endpointsPrinter.cells(ep([{addresses: addresses.slice(0, 2), ports: [{port: 80}]}]), NOW)[1]).toBe('10.0.0.1:80,10.0.0.2:80')
    expect(endpointsPrinter.cells(ep([{addresses, ports: [{port: 80}]}]), NOW)[1]).toBe('10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...')
  })

  it('prints bare IPs for port-less subsets and brackets IPv6', () => {
    expect(endpointsPrinter.cells(ep([{addresses: [{ip: '10.0.0.1'}]}, {addresses: [{ip: 'fd00::1'}], ports: [{port: 443}]}]), NOW)[1]).toBe('10.0.0.1,[fd00::1]:443')
  })
})
