import {describe, expect, it} from 'vitest'
import type {EndpointSubset} from 'kubernetes-types/core/v1.js'
import {desiredSubsets, repackSubsets, sameSubsets, truncateSubsets} from '../../../src/cluster/controllers/endpoints-subsets.js'
import {pod, service} from './endpoints-fixtures.js'

const ref = (name: string) => ({kind: 'Pod', namespace: 'default', name, uid: `uid-${name}`})

describe('Endpoints subsets', () => {
  it('lists ready pods in addresses and not-ready pods in notReadyAddresses, with node and target', () => {
    const subsets = desiredSubsets(service(), [pod('a', {ip: '10.244.0.2'}), pod('b', {ip: '10.244.0.3', ready: false})])
    expect(subsets).toEqual([
      {
        addresses: [{ip: '10.244.0.2', nodeName: 'node-a', targetRef: ref('a')}],
        notReadyAddresses: [{ip: '10.244.0.3', nodeName: 'node-a', targetRef: ref('b')}],
        ports: [{name: 'http', port: 8080, protocol: 'TCP'}],
      },
    ])
  })

  it('resolves a named targetPort per pod and groups pods by the ports they offer', () => {
    const svc = service([
      {name: 'http', port: 80, targetPort: 'web', protocol: 'TCP'},
      {name: 'metrics', port: 9100, targetPort: 'metrics', protocol: 'TCP'},
    ])
    const pods = [
      pod('a', {ip: '10.244.0.2', ports: {web: 8080, metrics: 9100}}),
      pod('b', {ip: '10.244.0.3', ports: {web: 8080, metrics: 9100}}),
      pod('c', {ip: '10.244.0.4', ports: {web: 3000}}),
      pod('d', {ip: '10.244.0.5', ports: {}}),
    ]
    const subsets = desiredSubsets(svc, pods)
    const byIPs = Object.fromEntries(subsets.map((s) => [(s.addresses ?? []).map((a) => a.ip).join(','), s.ports]))
    expect(byIPs).toEqual({
      '10.244.0.2,10.244.0.3': [
        {name: 'http', port: 8080, protocol: 'TCP'},
        {name: 'metrics', port: 9100, protocol: 'TCP'},
      ],
      '10.244.0.4': [{name: 'http', port: 3000, protocol: 'TCP'}],
    })
  })

  it('leaves out pods without an IP, terminating pods and pods that have finished', () => {
    const pods = [pod('noip', {ip: ''}), pod('gone', {terminating: true}), pod('done', {phase: 'Succeeded'}), pod('failed', {phase: 'Failed'}), pod('ok', {ip: '10.244.0.9'})]
    const subsets = desiredSubsets(service(), pods)
    expect(subsets.flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]).map((a) => a.targetRef?.name)).toEqual(['ok'])
  })

  it('publishes not-ready and terminating pods as ready when the Service asks for it', () => {
    const svc = service(undefined, {publishNotReadyAddresses: true})
    const subsets = desiredSubsets(svc, [pod('a', {ready: false, ip: '10.244.0.2'}), pod('b', {terminating: true, ip: '10.244.0.3'})])
    expect(subsets).toHaveLength(1)
    expect(subsets[0].addresses?.map((a) => a.ip)).toEqual(['10.244.0.2', '10.244.0.3'])
    expect(subsets[0].notReadyAddresses).toBeUndefined()
  })

  it('lists the pods of a headless Service without ports, with hostnames for pods in its subdomain', () => {
    const svc = service([], {clusterIP: 'None'})
    const p = pod('a', {ip: '10.244.0.2'})
    p.spec!.hostname = 'a'
    p.spec!.subdomain = 'web'
    expect(desiredSubsets(svc, [p])).toEqual([{addresses: [{ip: '10.244.0.2', hostname: 'a', nodeName: 'node-a', targetRef: ref('a')}]}])
  })

  it('gives a pod with no port of a ported Service no address at all', () => {
    const svc = service([{name: 'http', port: 80, targetPort: 'web', protocol: 'TCP'}])
    expect(desiredSubsets(svc, [pod('a', {ports: {other: 1}})])).toEqual([])
  })

  it('repacks into the same canonical form whatever the input order', () => {
    const a = {ip: '10.0.0.1'}
    const b = {ip: '10.0.0.2'}
    const port = {name: 'p', port: 1, protocol: 'TCP'}
    const one = repackSubsets([{addresses: [b], ports: [port]}, {addresses: [a], ports: [port]}])
    const two = repackSubsets([{addresses: [a, b], ports: [port]}])
    expect(one).toEqual(two)
    expect(one).toEqual([{addresses: [a, b], ports: [port]}])
  })

  it('counts an address that is not ready on any subset as not ready', () => {
    const a = {ip: '10.0.0.1'}
    const port = {name: 'p', port: 1, protocol: 'TCP'}
    expect(repackSubsets([{addresses: [a], ports: [port]}, {notReadyAddresses: [a], ports: [port]}])).toEqual([{notReadyAddresses: [a], ports: [port]}])
  })

  it('truncates to 1000 addresses, keeping ready ones first', () => {
    const addresses = Array.from({length: 900}, (_, i) => ({ip: `10.0.${Math.floor(i / 250)}.${i % 250}`}))
    const notReady = Array.from({length: 300}, (_, i) => ({ip: `10.1.${Math.floor(i / 250)}.${i % 250}`}))
    const {subsets, truncated} = truncateSubsets([{addresses, notReadyAddresses: notReady, ports: [{port: 1}]}])
    expect(truncated).toBe(true)
    expect(subsets[0].addresses).toHaveLength(900)
    expect(subsets[0].notReadyAddresses).toHaveLength(100)
    expect(truncateSubsets([{addresses: addresses.slice(0, 10)}]).truncated).toBe(false)
  })

  it('compares subsets ignoring the pods’ resourceVersions', () => {
    const mine: EndpointSubset[] = [{addresses: [{ip: '10.0.0.1', targetRef: {kind: 'Pod', name: 'a'}}]}]
    const stored: EndpointSubset[] = [{addresses: [{ip: '10.0.0.1', targetRef: {kind: 'Pod', name: 'a', resourceVersion: '42'}}]}]
    expect(sameSubsets(stored, mine)).toBe(true)
    expect(sameSubsets(stored, [{addresses: [{ip: '10.0.0.2', targetRef: {kind: 'Pod', name: 'a'}}]}])).toBe(false)
    expect(sameSubsets(undefined, [])).toBe(true)
  })
})
