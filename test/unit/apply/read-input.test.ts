import {describe, expect, it} from 'vitest'
import {decodeText, MAX_INPUT_BYTES, readBounded} from '../../../src/cluster/apply/read-input.js'

/** An endless stream (like /dev/zero or `yes` behind a FIFO) that counts how many chunks were pulled. */
function endless(chunk: Buffer): {stream: AsyncIterable<Buffer>; pulled: () => number} {
  let n = 0
  async function* gen() {
    // Bounded only as a safety net for a broken reader: far past the 64 MiB cap.
    while (n < 10_000) {
      n++
      yield chunk
    }
  }
  return {stream: gen(), pulled: () => n}
}

describe('readBounded', () => {
  it('recognises an endless stream of NUL bytes as binary after its first chunk', async () => {
    const zero = endless(Buffer.alloc(64 * 1024))
    expect(await readBounded(zero.stream)).toEqual({problem: expect.objectContaining({message: expect.stringContaining('binary file')})})
    expect(zero.pulled()).toBe(1)
  })

  it('stops an endless text stream just past the size cap', async () => {
    const mib = 1024 * 1024
    const yes = endless(Buffer.alloc(mib, 'y\n'))
    expect(await readBounded(yes.stream)).toEqual({problem: expect.objectContaining({message: expect.stringContaining('larger than 64 MiB')})})
    expect(yes.pulled()).toBe(MAX_INPUT_BYTES / mib + 1)
  })

  it('finds a NUL that arrives in a later small chunk within the first 8,000 bytes', async () => {
    async function* chunks() {
      yield Buffer.from('apiVersion: v1\n')
      yield Buffer.from([0x41, 0, 0x42])
    }
    expect(await readBounded(chunks())).toEqual({problem: expect.objectContaining({message: expect.stringContaining('binary')})})
  })

  it('returns the text of a small manifest', async () => {
    async function* chunks() {
      yield Buffer.from('kind: ')
      yield 'ConfigMap\n'
    }
    expect(await readBounded(chunks())).toEqual({text: 'kind: ConfigMap\n'})
  })
})

describe('decodeText', () => {
  it('reads UTF-16 with either byte-order mark, as kubectl does, not as binary', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('kind: café\n', 'utf16le')])
    const be = Buffer.from(le.subarray(2)).swap16()
    expect(decodeText(le)).toBe('kind: café\n')
    expect(decodeText(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toBe('kind: café\n')
    async function* once() {
      yield le
    }
    expect(await readBounded(once())).toEqual({text: 'kind: café\n'})
  })

  it('drops a UTF-8 byte-order mark and replaces bytes that are not UTF-8 with U+FFFD, as kubectl stores them', () => {
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe('{}')
    expect(decodeText(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toBe('caf\ufffd')
  })
})
