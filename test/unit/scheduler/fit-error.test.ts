import {describe, expect, it} from 'vitest'
import {fitErrorMessage} from '../../../src/cluster/scheduler/fit-error.js'

describe('fitErrorMessage', () => {
  it('prints the reason histogram sorted as strings, then the preemption verdict', () => {
    const failures = [
      {reasons: ['Insufficient cpu'], unresolvable: false},
      {reasons: ['node(s) had untolerated taint {x: y}'], unresolvable: true},
      {reasons: ['node(s) had untolerated taint {x: y}'], unresolvable: true},
    ]
    expect(fitErrorMessage(3, failures)).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {x: y}. ' +
        'preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.',
    )
  })

  it('counts each reason of a node separately', () => {
    const failures = [{reasons: ['Insufficient cpu', 'Insufficient memory'], unresolvable: false}]
    expect(fitErrorMessage(1, failures)).toBe(
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    )
  })

  it('says preemption is not eligible for pods with preemptionPolicy Never', () => {
    expect(fitErrorMessage(1, [{reasons: ['Insufficient cpu'], unresolvable: false}], 'Never')).toBe(
      '0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    )
  })
})
