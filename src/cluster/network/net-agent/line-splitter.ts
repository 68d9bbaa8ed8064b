// Cuts a byte stream into newline-terminated lines for the control protocol, holding at most `maxBytes`
// of an unfinished line: a peer that never sends a newline cannot make the process hold more than that.
// Only new bytes are searched for the newline, so a large state arriving in many chunks costs linear time.

export class LineTooLongError extends Error {
  override name = 'LineTooLongError'
  readonly code = 'LINE_TOO_LONG'
  constructor(readonly maxBytes: number) {
    super(`a line is longer than ${maxBytes} bytes`)
  }
}

/** Called for each line in order; returning false stops the splitter for the rest of the chunk. */
export type LineHandler = (line: string) => boolean | void

export class LineSplitter {
  private parts: Buffer[] = []
  private size = 0
  private failed = false

  /** The limit may change between lines (the control server raises it once a peer has authenticated). */
  constructor(public maxBytes: number) {}

  /**
   * Hands each line `chunk` completes to `onLine` (without its newline; `\r\n` accepted) and returns a
   * LineTooLongError once the unfinished line passes the limit. The lines before it have been handled;
   * nothing is handled after it, since where the next line begins is unknown.
   */
  push(chunk: Buffer, onLine: LineHandler): LineTooLongError | undefined {
    if (this.failed) return new LineTooLongError(this.maxBytes)
    let start = 0
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      if (!this.take(chunk.subarray(start, newline))) return new LineTooLongError(this.maxBytes)
      start = newline + 1
      if (onLine(this.finish()) === false) return undefined
    }
    if (start < chunk.length && !this.take(chunk.subarray(start))) return new LineTooLongError(this.maxBytes)
    return undefined
  }

  /** Bytes of the line not yet finished. */
  pending(): number {
    return this.size
  }

  private take(piece: Buffer): boolean {
    if (this.size + piece.length > this.maxBytes) {
      this.failed = true
      this.parts = []
      this.size = 0
      return false
    }
    if (piece.length > 0) {
      this.parts.push(piece)
      this.size += piece.length
    }
    return true
  }

  private finish(): string {
    const whole = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size)
    this.parts = []
    this.size = 0
    const text = whole.toString('utf8')
    return text.endsWith('\r') ? text.slice(0, -1) : text
  }
}
