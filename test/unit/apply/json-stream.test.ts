import {describe, expect, it} from 'vitest'
import {parseJsonValue, splitJsonValues} from '../../../src/cluster/apply/json-stream.js'

const texts = (text: string) => splitJsonValues(text).map((s) => text.slice(s.start, s.end))

describe('splitJsonValues', () => {
  it('splits values written one after another, with or without whitespace between', () => {
    expect(texts('{"a":1}\n{"b":[2]}{"c":3}  [4] "s" 5')).toEqual(['{"a":1}', '{"b":[2]}', '{"c":3}', '[4]', '"s"', '5'])
  })

  it('ignores brackets and escaped quotes inside strings', () => {
    expect(texts('{"a":"}{\\"]"} {"b":"\\\\"}')).toEqual(['{"a":"}{\\"]"}', '{"b":"\\\\"}'])
  })

  it('runs an unclosed value to the end of the text', () => {
    expect(texts('{"a":1}\n{"b": {"c": 2}\n')).toEqual(['{"a":1}', '{"b": {"c": 2}\n'])
  })

  it('returns nothing for whitespace', () => {
    expect(splitJsonValues(' \n\t ')).toEqual([])
  })
})

describe('parseJsonValue', () => {
  it('refuses a trailing comma, with the offset of the offending character in the whole text', () => {
    const text = 'x{"a":1,}'
    const result = parseJsonValue(text, {start: 1, end: text.length})
    expect(result).toEqual({error: expect.stringMatching(/property name/), offset: 8})
  })

  it('says a value ends early when the text stops inside it', () => {
    expect(parseJsonValue('{"a":', {start: 0, end: 5})).toEqual({error: expect.stringContaining('a closing }, ] or quote is missing'), offset: 4})
    expect(parseJsonValue('{"a":1', {start: 0, end: 6})).toEqual({error: expect.stringContaining("Expected ',' or '}'"), offset: 6})
  })
})
