import {describe, expect, it} from 'vitest'
import {findUntoleratedTaint, toleratesTaint} from '../../../src/cluster/scheduler/tolerations.js'

const taint = {key: 'dedicated', value: 'gpu', effect: 'NoSchedule'}

describe('toleratesTaint', () => {
  it('matches key, value and effect with Equal (the default operator)', () => {
    expect(toleratesTaint({key: 'dedicated', value: 'gpu', effect: 'NoSchedule'}, taint)).toBe(true)
    expect(toleratesTaint({key: 'dedicated', value: 'cpu'}, taint)).toBe(false)
    expect(toleratesTaint({key: 'dedicated', value: 'gpu', effect: 'NoExecute'}, taint)).toBe(false)
  })

  it('tolerates any value with Exists, and any taint with an empty key and Exists', () => {
    expect(toleratesTaint({key: 'dedicated', operator: 'Exists'}, taint)).toBe(true)
    expect(toleratesTaint({operator: 'Exists'}, taint)).toBe(true)
    expect(toleratesTaint({key: 'other', operator: 'Exists'}, taint)).toBe(false)
  })
})

describe('findUntoleratedTaint', () => {
  it('returns the first taint with a filtered effect that nothing tolerates', () => {
    const taints = [{key: 'soft', effect: 'PreferNoSchedule'}, {key: 'a', effect: 'NoSchedule'}, {key: 'b', effect: 'NoExecute'}]
    expect(findUntoleratedTaint(taints, [{key: 'a', operator: 'Exists'}], ['NoSchedule', 'NoExecute'])?.key).toBe('b')
    expect(findUntoleratedTaint(taints, [{operator: 'Exists'}], ['NoSchedule', 'NoExecute'])).toBeUndefined()
  })
})
