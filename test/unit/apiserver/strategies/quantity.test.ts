import {describe, expect, it} from 'vitest'
import {
  canonicalQuantity,
  compareQuantities,
  parseQuantity,
  QuantityParseError,
  quantityToMilli,
  toMilli,
} from '../../../../src/cluster/apiserver/strategies/quantity.js'

describe('quantity', () => {
  it.each([
    ['500m', 500],
    ['1', 1000],
    ['0.5', 500],
    ['1.5k', 1_500_000],
    ['2e3', 2_000_000],
    ['1E2', 100_000],
    ['1Ki', 1_024_000],
    ['64Mi', 64 * 1024 * 1024 * 1000],
    ['-250m', -250],
    ['100n', 1],
    ['.5', 500],
  ])('parses %s to %d milli-units', (text, milli) => {
    expect(quantityToMilli(text)).toBe(milli)
  })

  it('keeps huge binary quantities exact', () => {
    expect(toMilli(parseQuantity('8Ei'))).toBe(8n * 1024n ** 6n * 1000n)
  })

  it.each(['', 'abc', '1.2.3', '5 m', '1Zi', '--1', '1e'])('refuses %j with the upstream message', (text) => {
    expect(() => parseQuantity(text)).toThrow(QuantityParseError)
    expect(() => parseQuantity(text)).toThrow("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
  })

  it.each([
    ['1.5', '1500m'],
    ['1000m', '1'],
    ['2000', '2k'],
    ['0.5Gi', '512Mi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['100Ki', '100Ki'],
    ['512', '512'],
    ['1e3', '1e3'],
    ['0', '0'],
    ['0.1m', '100u'],
  ])('formats %s canonically as %s', (text, canonical) => {
    expect(canonicalQuantity(text)).toBe(canonical)
  })

  it('compares across formats', () => {
    expect(compareQuantities(parseQuantity('1Gi'), parseQuantity('1073741824'))).toBe(0)
    expect(compareQuantities(parseQuantity('500m'), parseQuantity('1'))).toBe(-1)
    expect(compareQuantities(parseQuantity('2'), parseQuantity('1500m'))).toBe(1)
  })
})
