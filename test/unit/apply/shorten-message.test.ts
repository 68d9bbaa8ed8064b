import {describe, expect, it} from 'vitest'
import {shorten} from '../../../src/cluster/apply/apply-manifests.js'

describe('shorten', () => {
  it('keeps a message of normal length as it is', () => {
    expect(shorten('ConfigMap "a" is invalid: data: Invalid value')).toBe('ConfigMap "a" is invalid: data: Invalid value')
  })

  it('cuts the middle of a message that quotes a huge patch, keeping its start and the reason at its end', () => {
    const message = `"" is invalid: patch: Invalid value: "{${'x'.repeat(2_000_000)}}": json: cannot unmarshal array into Go struct field ConfigMap.data`
    const short = shorten(message)
    expect(short.length).toBeLessThan(1600)
    expect(short).toMatch(/^"" is invalid: patch: Invalid value:/)
    expect(short).toMatch(/characters cut\) … x+}": json: cannot unmarshal array into Go struct field ConfigMap\.data$/)
  })
})
