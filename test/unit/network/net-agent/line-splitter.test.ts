import {describe, expect, it} from 'vitest'
import {LineSplitter} from '../../../../src/cluster/network/net-agent/line-splitter.js'

function collect(splitter: LineSplitter, ...chunks: string[]) {
  const lines: string[] = []
  let error: Error | undefined
  for (const chunk of chunks) error ??= splitter.push(Buffer.from(chunk), (line) => void lines.push(line))
  return {lines, error}
}

describe('LineSplitter', () => {
  it('joins lines split over chunks and splits chunks holding several lines', () => {
    expect(collect(new LineSplitter(100), '{"a":', '1}\n{"b"', ':2}\n{"c":3}\n', 'tail')).toEqual({lines: ['{"a":1}', '{"b":2}', '{"c":3}'], error: undefined})
  })

  it('drops the carriage return of CRLF line ends and keeps empty lines', () => {
    expect(collect(new LineSplitter(100), 'one\r\n\ntwo\n').lines).toEqual(['one', '', 'two'])
  })

  it('handles the lines before an overlong one and nothing after it', () => {
    const splitter = new LineSplitter(8)
    const {lines, error} = collect(splitter, 'short\n0123456789\nafter\n')
    expect(lines).toEqual(['short'])
    expect(error).toMatchObject({name: 'LineTooLongError', code: 'LINE_TOO_LONG', maxBytes: 8})
    expect(collect(splitter, 'more\n').error?.name).toBe('LineTooLongError')
  })

  it('counts an unfinished line over several chunks against the limit', () => {
    const splitter = new LineSplitter(10)
    expect(collect(splitter, '12345').error).toBeUndefined()
    expect(splitter.pending()).toBe(5)
    expect(collect(splitter, '123456').error?.name).toBe('LineTooLongError')
  })

  it('applies a raised limit to the lines after the one that raised it', () => {
    const splitter = new LineSplitter(4)
    const lines: string[] = []
    const error = splitter.push(Buffer.from('auth\nlonger line\n'), (line) => {
      lines.push(line)
      splitter.maxBytes = 100
    })
    expect(error).toBeUndefined()
    expect(lines).toEqual(['auth', 'longer line'])
  })

  it('stops handing out lines of a chunk once the handler returns false', () => {
    const lines: string[] = []
    new LineSplitter(100).push(Buffer.from('a\nb\nc\n'), (line) => {
      lines.push(line)
      return line !== 'b'
    })
    expect(lines).toEqual(['a', 'b'])
  })
})
