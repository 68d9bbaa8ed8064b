import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {endpointSlicePrinter} from '../../../../src/cluster/apiserver/tables/discovery.js'

const NOW = new Date('2026-11-22T08:10:00Z')
const slice = (fields: Record<string, unknown>): KubeObject => ({metadata: {name: 'web-abcde', creationTimestamp: '2026-11-22T08:00:00Z'}, addressType: 'IPv4', ...fields})

describe('endpointslice table', () => {
  it('has the columns of printEndpointSlice', () => {
    expect(endpointSlicePrinter.columns.map((c) => c.name)).toEqual(['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'])
  })

  it('prints ports and addresses, three at most, then how many more', () => {
    const s = slice({
      ports: [{port: 80}, {port: 443}, {name: 'metrics'}, {port: 9000}],
      endpoints: [{addresses: ['10.0.0.1']}, {addresses: ['10.0.0.2', '10.0.0.3']}, {addresses: ['10.0.0.4']}, {addresses: ['10.0.0.5']}],
    })
    expect(endpointSlicePrinter.cells(s, NOW)).toEqual(['web-abcde', 'IPv4', '80,443,metrics + 1 more...', '10.0.0.1,10.0.0.2,10.0.0.3 + 2 more...', '10m'])
  })

  it('prints <unset> for a placeholder without ports or endpoints, and * for a port with neither number nor name', () => {
    expect(endpointSlicePrinter.cells(slice({ports: null, endpoints: null}), NOW).slice(2, 4)).toEqual(['<unset>', '<unset>'])
    expect(endpointSlicePrinter.cells(slice({ports: [{}], endpoints: []}), NOW).slice(2, 4)).toEqual(['*', '<unset>'])
  })
})
