import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {ApiError} from '../../../../src/cluster/api/errors.js'
import {decodeProtobufObject} from '../../../../src/cluster/apiserver/protobuf/decode.js'
import type {Capture} from '../../../fixtures/protobuf/wire-builder.js'

const captures = JSON.parse(readFileSync(new URL('../../../fixtures/protobuf/captures.json', import.meta.url), 'utf8')) as Capture[]
const bodies = captures.map((c) => ({name: c.name, body: Buffer.from(c.hex, 'hex')}))

// Deterministic PRNG (mulberry32) so a failure reproduces exactly.
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Outcome = 'decoded' | 400 | 415

/** Either a decoded object or an ApiError with 400/415; anything else fails the test. */
function outcome(body: Buffer): Outcome {
  try {
    const {object, warnings} = decodeProtobufObject(body)
    expect(typeof object.apiVersion).toBe('string')
    expect(Array.isArray(warnings)).toBe(true)
    JSON.stringify(object)
    return 'decoded'
  } catch (error) {
    if (!(error instanceof ApiError) || (error.code !== 400 && error.code !== 415)) {
      throw new Error(`unexpected failure for body ${body.toString('hex')}: ${String(error)}`)
    }
    return error.code as 400 | 415
  }
}

describe('decodeProtobufObject on damaged bodies', () => {
  it('answers every truncation of every capture with an object or a 400/415', () => {
    let rejected = 0
    for (const {body} of bodies) {
      for (let length = 0; length < body.length; length++) {
        if (outcome(body.subarray(0, length)) !== 'decoded') rejected++
      }
    }
    // Most truncations cut a length-delimited field short; they must be refused, not half-decoded.
    expect(rejected).toBeGreaterThan(bodies.reduce((n, b) => n + b.body.length, 0) / 2)
  })

  it('answers randomly corrupted captures with an object or a 400/415, quickly', () => {
    const random = prng(0x6b387300)
    const seen = new Set<Outcome>()
    const started = performance.now()
    for (const {body} of bodies) {
      for (let round = 0; round < 400; round++) {
        const mutated = Buffer.from(body)
        const edits = 1 + Math.floor(random() * 4)
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(random() * mutated.length)
          mutated[at] = random() < 0.5 ? mutated[at] ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256)
        }
        seen.add(outcome(mutated))
      }
    }
    expect(seen).toContain('decoded')
    expect(seen).toContain(400)
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('refuses random bytes after the magic without hanging', () => {
    const random = prng(42)
    for (let round = 0; round < 500; round++) {
      const noise = Buffer.alloc(1 + Math.floor(random() * 300))
      for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(random() * 256)
      outcome(Buffer.concat([Buffer.from('k8s\0', 'latin1'), noise]))
    }
  })

  it('decodes a 1 MiB ConfigMap value in well under a second', () => {
    const value = Buffer.alloc(1 << 20, 0x61)
    const entry = Buffer.concat([Buffer.from([0x0a, 0x01, 0x6b, 0x12]), varintBytes(value.length), value])
    const raw = Buffer.concat([Buffer.from([0x12]), varintBytes(entry.length), entry])
    const head = Buffer.from('k8s\0\x0a\x0f\x0a\x02v1\x12\x09ConfigMap\x12', 'latin1')
    const started = performance.now()
    const {object} = decodeProtobufObject(Buffer.concat([head, varintBytes(raw.length), raw]))
    expect((object.data as Record<string, string>).k).toHaveLength(1 << 20)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

function varintBytes(n: number): Buffer {
  const out: number[] = []
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80)
    n >>>= 7
  }
  out.push(n)
  return Buffer.from(out)
}
