import {describe, expect, it} from 'vitest'
import {LatestStateQueue, type Failures} from '../../../../src/cluster/network/net-agent/latest-state-queue.js'
import type {NetReport} from '../../../../src/cluster/network/net-protocol.js'

// An apply that records its states and finishes only when the test releases it.
function gatedApply() {
  const applied: unknown[] = []
  const gates: Array<() => void> = []
  const apply = (state: unknown): Promise<Failures> => {
    applied.push(state)
    return new Promise((resolve) => gates.push(() => resolve([{key: 'k', message: String(state)}])))
  }
  const release = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r))
    gates.shift()!()
  }
  return {applied, apply, release}
}

describe('LatestStateQueue', () => {
  it('applies states in order, a waiting state replaced by a newer one, and answers every submitter', async () => {
    const gate = gatedApply()
    const queue = new LatestStateQueue(gate.apply)
    const answers: NetReport[] = []
    queue.submit('s1', 1, (r) => answers.push(r))
    queue.submit('s2', 2, (r) => answers.push(r))
    queue.submit('s3', 3, (r) => answers.push(r))
    await gate.release()
    await gate.release()
    await queue.whenIdle()
    expect(gate.applied).toEqual(['s1', 's3'])
    expect(answers).toEqual([
      {generation: 1, failures: [{key: 'k', message: 's1'}]},
      {generation: 2, failures: [{key: 'k', message: 's3'}]},
      {generation: 3, failures: [{key: 'k', message: 's3'}]},
    ])
  })

  it('turns an apply that throws into a failure and keeps going', async () => {
    let calls = 0
    const queue = new LatestStateQueue(async () => {
      if (++calls === 1) throw new Error('boom')
      return []
    })
    const answers: NetReport[] = []
    queue.submit('a', 1, (r) => answers.push(r))
    await queue.whenIdle()
    queue.submit('b', 2, (r) => answers.push(r))
    await queue.whenIdle()
    expect(answers).toEqual([{generation: 1, failures: [{key: 'state', message: 'boom'}]}, {generation: 2, failures: []}])
  })

  it('still answers the others when one answer throws', async () => {
    const gate = gatedApply()
    const queue = new LatestStateQueue(gate.apply)
    const answers: number[] = []
    queue.submit('s1', 1, () => answers.push(1))
    queue.submit('s2', 2, () => {
      throw new Error('socket gone')
    })
    queue.submit('s3', 3, (r) => answers.push(r.generation))
    await gate.release()
    await gate.release()
    await queue.whenIdle()
    expect(answers).toEqual([1, 3])
  })
})
