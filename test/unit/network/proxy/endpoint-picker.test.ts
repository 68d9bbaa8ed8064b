import type {Service} from 'kubernetes-types/core/v1.js'
import {describe, expect, it} from 'vitest'
import {ManualClock} from '../../../../src/cluster/manual-clock.js'
import {affinityOf, EndpointPicker, plainIP, type ProxyEndpoint} from '../../../../src/cluster/network/proxy/endpoint-picker.js'

const a: ProxyEndpoint = {ip: '10.200.0.5', port: 8080}
const b: ProxyEndpoint = {ip: '10.200.0.6', port: 8080}
const c: ProxyEndpoint = {ip: '10.200.0.7', port: 8080}
const sticky = (timeoutSeconds = 60) => ({type: 'ClientIP' as const, timeoutSeconds})
const ips = (picks: Array<ProxyEndpoint | undefined>) => picks.map((p) => p?.ip)

describe('EndpointPicker', () => {
  it('picks nothing when the port has no endpoint', () => {
    expect(new EndpointPicker().pick('10.0.0.1')).toBeUndefined()
    expect(new EndpointPicker([], sticky()).pick('10.0.0.1')).toBeUndefined()
  })

  it('goes round the endpoints in order, whatever the client', () => {
    const picker = new EndpointPicker([a, b, c])
    expect(ips([picker.pick('1.1.1.1'), picker.pick('1.1.1.1'), picker.pick(), picker.pick('2.2.2.2')])).toEqual([a.ip, b.ip, c.ip, a.ip])
  })

  it('lists an endpoint given twice once', () => {
    const picker = new EndpointPicker([a, {...a}, b])
    expect(picker.size).toBe(2)
    expect(ips([picker.pick(), picker.pick(), picker.pick()])).toEqual([a.ip, b.ip, a.ip])
  })

  it('keeps going round after an update and never picks a removed endpoint', () => {
    const picker = new EndpointPicker([a, b, c])
    picker.pick()
    picker.update([a, c])
    const picks = ips(Array.from({length: 6}, () => picker.pick()))
    expect(picks).not.toContain(b.ip)
    expect(new Set(picks)).toEqual(new Set([a.ip, c.ip]))
    picker.update([])
    expect(picker.pick()).toBeUndefined()
  })

  it('sticks a client IP to its endpoint under ClientIP affinity while other clients go round', () => {
    const clock = new ManualClock()
    const picker = new EndpointPicker([a, b, c], sticky(), clock)
    const first = picker.pick('192.168.1.1')
    expect(picker.pick('192.168.1.2')).not.toEqual(first)
    for (let i = 0; i < 10; i++) expect(picker.pick('192.168.1.1')).toEqual(first)
  })

  it('treats an IPv4-mapped client address as the same client', () => {
    const picker = new EndpointPicker([a, b, c], sticky())
    const first = picker.pick('127.0.0.1')
    expect(picker.pick('::ffff:127.0.0.1')).toEqual(first)
    expect(plainIP('::ffff:10.0.0.1')).toBe('10.0.0.1')
    expect(plainIP('fe80::1')).toBe('fe80::1')
  })

  it('lets affinity lapse after timeoutSeconds without a connection, counted from the last one', async () => {
    const clock = new ManualClock()
    const picker = new EndpointPicker([a, b], sticky(60), clock)
    expect(picker.pick('10.0.0.1')).toEqual(a)
    await clock.advance(59_000)
    expect(picker.pick('10.0.0.1')).toEqual(a) // refreshes the timer
    await clock.advance(59_000)
    expect(picker.pick('10.0.0.1')).toEqual(a)
    await clock.advance(60_000)
    expect(picker.pick('10.0.0.1')).toEqual(b) // lapsed: round-robin moves on
    expect(picker.pick('10.0.0.1')).toEqual(b) // and sticks to the new choice
  })

  it('moves a stuck client to another endpoint when its endpoint goes away, and sticks there', () => {
    const picker = new EndpointPicker([a, b, c], sticky())
    expect(picker.pick('10.0.0.1')).toEqual(a)
    picker.update([b, c])
    const next = picker.pick('10.0.0.1')
    expect([b, c]).toContainEqual(next)
    expect(picker.pick('10.0.0.1')).toEqual(next)
    picker.update([a, b, c])
    expect(picker.pick('10.0.0.1')).toEqual(next) // coming back does not steal the client
  })

  it('drops affinity when the Service switches it off', () => {
    const picker = new EndpointPicker([a, b], sticky())
    expect(picker.pick('10.0.0.1')).toEqual(a)
    picker.update([a, b], {type: 'None'})
    expect(ips([picker.pick('10.0.0.1'), picker.pick('10.0.0.1')])).toEqual([b.ip, a.ip])
  })
})

describe('affinityOf', () => {
  const svc = (spec: Service['spec']): Service => ({spec})

  it('is None unless the Service asks for ClientIP', () => {
    expect(affinityOf(svc({}))).toEqual({type: 'None'})
    expect(affinityOf(svc({sessionAffinity: 'None'}))).toEqual({type: 'None'})
  })

  it('defaults the ClientIP timeout to three hours and honours sessionAffinityConfig', () => {
    expect(affinityOf(svc({sessionAffinity: 'ClientIP'}))).toEqual({type: 'ClientIP', timeoutSeconds: 10800})
    expect(affinityOf(svc({sessionAffinity: 'ClientIP', sessionAffinityConfig: {clientIP: {timeoutSeconds: 5}}}))).toEqual({
      type: 'ClientIP',
      timeoutSeconds: 5,
    })
  })
})
