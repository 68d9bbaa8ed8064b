import {describe, expect, it} from 'vitest'
import {checkNetState} from '../../../../src/cluster/network/net-agent/net-state-check.js'
import {netState} from './net-fixtures.js'

const good = () => netState({web: {ip: '127.0.0.1', port: 8080}, webPort: 80})

describe('checkNetState', () => {
  it('passes a well-formed state through unchanged', () => {
    expect(checkNetState(good())).toEqual({ok: true, state: good(), failures: []})
  })

  it.each([
    ['a list', [], 'not an object'],
    ['addresses that are not strings', {...good(), addresses: [1]}, 'addresses must be a list of strings'],
    ['no proxy list', {...good(), proxies: {}}, 'proxies must be a list'],
    ['no dns section', {...good(), dns: null}, 'dns must be an object'],
    ['a dns listen that is not a string', {...good(), dns: {...good().dns, listen: 5}}, 'dns.listen and dns.zone must be strings'],
    ['a snapshot without pods', {...good(), dns: {...good().dns, snapshot: {namespaces: [], services: [], endpoints: []}}}, 'dns.snapshot.pods must be a list'],
    ['a namespace that is not a string', {...good(), dns: {...good().dns, snapshot: {...good().dns.snapshot, namespaces: [{}]}}}, 'dns.snapshot.namespaces holds an item of the wrong kind'],
  ])('refuses a state whole for %s', (_what, state, message) => {
    expect(checkNetState(state)).toEqual({ok: false, failures: [{key: 'state', message: `state refused: ${message}`}]})
  })

  it('leaves out each bad proxy entry under its key (or its index) and keeps the rest', () => {
    const state = good() as unknown as {proxies: unknown[]}
    const bad = (fields: object) => ({key: 'k', host: '10.0.0.1', port: 80, protocol: 'TCP', endpoints: [], ...fields})
    state.proxies.push(
      bad({key: 'a', protocol: 'SCTP'}),
      bad({key: 'b', endpoints: [{ip: '10.0.0.2', port: 0}]}),
      bad({key: 'c', affinity: {type: 'ClientIP'}}),
      bad({key: 'd', port: 1.5}),
      bad({key: ''}),
      'nonsense',
      bad({key: 'ok', affinity: {type: 'ClientIP', timeoutSeconds: 10}}),
    )
    const checked = checkNetState(state)
    expect(checked.ok).toBe(true)
    if (!checked.ok) return
    expect(checked.state.proxies.map((p) => p.key)).toEqual(['default/web:http/TCP', 'ok'])
    expect(checked.failures).toEqual([
      {key: 'a', message: 'proxy left out: protocol "SCTP" is not TCP or UDP'},
      {key: 'b', message: 'proxy left out: every endpoint needs an ip and a port number'},
      {key: 'c', message: 'proxy left out: affinity must be {type: None} or {type: ClientIP, timeoutSeconds}'},
      {key: 'd', message: 'proxy left out: port 1.5 is not a port number'},
      {key: 'proxies[5]', message: 'proxy left out: key must be a non-empty string'},
      {key: 'proxies[6]', message: 'proxy left out: not an object'},
    ])
  })
})
