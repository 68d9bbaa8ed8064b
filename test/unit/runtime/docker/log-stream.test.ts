import {describe, expect, it} from 'vitest'
import {demultiplex} from '../../../../src/cluster/runtime/docker/log-stream.js'

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text)
  const header = Buffer.alloc(8)
  header[0] = stream
  header.writeUInt32BE(payload.length, 4)
  return Buffer.concat([header, payload])
}

describe('demultiplex', () => {
  it('joins stdout and stderr frames in the order they were written', () => {
    const raw = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\n'), frame(1, 'out 2\n')])
    expect(demultiplex(raw).toString()).toBe('out 1\nerr 1\nout 2\n')
  })

  it('keeps multi-byte characters split across frames intact', () => {
    const bytes = Buffer.from('héllo')
    const raw = Buffer.concat([frame(1, ''), Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, 2]), bytes.subarray(0, 2)]), Buffer.concat([Buffer.from([1, 0, 0, 0, 0, 0, 0, bytes.length - 2]), bytes.subarray(2)])])
    expect(demultiplex(raw).toString()).toBe('héllo')
  })

  it('returns nothing for an empty log and ignores a truncated trailing header', () => {
    expect(demultiplex(Buffer.alloc(0)).length).toBe(0)
    expect(demultiplex(Buffer.concat([frame(1, 'a'), Buffer.from([1, 0, 0])])).toString()).toBe('a')
  })
})
