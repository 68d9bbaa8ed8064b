import {describe, expect, it} from 'vitest'
import {describeFailure} from '../../../src/cli/base-command.js'
import {StoreCorruptError} from '../../../src/cluster/store/storage-errors.js'

describe('describeFailure', () => {
  it('reports a damaged store as a failed start with the store\'s own why and fix, not as a kcluster bug', () => {
    const error = new StoreCorruptError('/tmp/x/store.db', 'row 12 of kv fails its checksum')
    const failure = describeFailure(error)
    expect(failure).toMatchObject({code: 'StartFailed', why: error.why, fix: error.fix})
    expect(failure.message).toContain('/tmp/x/store.db')
    expect(failure.why).not.toMatch(/bug in kcluster/)
  })
})
