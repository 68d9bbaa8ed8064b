import {describe, expect, it} from 'vitest'
import {base64Error, quantityError, timeError} from '../../../../src/cluster/apiserver/openapi/go-unmarshalers.js'

describe('base64Error', () => {
  it('accepts padded standard base64, with line breaks', () => {
    for (const ok of ['', 'aGVsbG8=', 'aGk=', 'YQ==', 'aGVs\nbG8=', 'aGVsbG8h']) expect(base64Error(ok), ok).toBeUndefined()
  })

  it('reports the byte offset encoding/base64 reports', () => {
    expect(base64Error('plain')).toBe('illegal base64 data at input byte 4')
    expect(base64Error('abc')).toBe('illegal base64 data at input byte 0')
    expect(base64Error('ab*d')).toBe('illegal base64 data at input byte 2')
    expect(base64Error('a===')).toBe('illegal base64 data at input byte 1')
    expect(base64Error('YQ=')).toBe('illegal base64 data at input byte 3')
    expect(base64Error('YQ==YQ==')).toBe('illegal base64 data at input byte 4')
    expect(base64Error('aGVsbG8-')).toBe('illegal base64 data at input byte 7')
  })
})

describe('quantityError', () => {
  it('accepts strings and numbers in quantity syntax', () => {
    for (const ok of ['128Mi', '500m', '1', '0.5', '1e3', '1.5Gi', ' 2 ', 128, 0.25]) expect(quantityError(ok), String(ok)).toBeUndefined()
  })

  it('rejects other text and other JSON types with the resource package errors', () => {
    const format = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
    expect(quantityError('lots')).toBe(format)
    expect(quantityError('')).toBe(format)
    expect(quantityError(true)).toBe(format)
    expect(quantityError({})).toBe(format)
    expect(quantityError('1Gb')).toBe(format)
    expect(quantityError('1iM')).toBe("unable to parse quantity's suffix")
    expect(quantityError('1.2.3')).toBe("unable to parse quantity's suffix")
  })
})

describe('timeError', () => {
  it('accepts RFC 3339 with or without fractional seconds', () => {
    for (const ok of ['2026-01-01T00:00:00Z', '2026-01-01T10:20:30+02:00', '2026-01-01T00:00:00.123456Z']) expect(timeError(ok), ok).toBeUndefined()
  })

  it('reports where time.Parse stops', () => {
    expect(timeError('yesterday')).toBe('parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"')
    expect(timeError('2026-01-01')).toBe('parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T"')
    expect(timeError('2026-13-01T00:00:00Z')).toBe('parsing time "2026-13-01T00:00:00Z": month out of range')
    expect(timeError('2026-01-01T00:00:00Zjunk')).toBe('parsing time "2026-01-01T00:00:00Zjunk": extra text: "junk"')
  })
})
