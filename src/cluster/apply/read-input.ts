// Reading one `apply -f` input (a file, a FIFO such as -f <(command), a device, stdin) into text,
// with bounds: a binary input is recognised from its first bytes and reading stops there, so
// -f /dev/zero answers at once instead of filling memory; an endless text stream stops at a size cap.
import {createReadStream} from 'node:fs'

/** Far above any real manifest set (the API server takes at most 3 MiB per object), far below memory trouble. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024
/** Git's rule: a NUL in the first 8,000 bytes means binary. */
const SNIFF_BYTES = 8000

export type InputText = {text: string} | {problem: {message: string; fix: string}}

/** Reads a path as a stream (regular file, FIFO or device alike); open and read errors become a problem. */
export async function readInputFile(file: string): Promise<InputText> {
  try {
    return await readBounded(createReadStream(file))
  } catch (error) {
    return {problem: {message: `cannot read: ${(error as Error).message}`, fix: 'check the file exists and is readable'}}
  }
}

/** Reads a stream to its end or to the first sign that it is binary or too large, whichever comes first. */
export async function readBounded(stream: AsyncIterable<Buffer | string>): Promise<InputText> {
  const chunks: Buffer[] = []
  let total = 0
  let sniffed = false
  // Leaving the loop early (return inside for-await) destroys the stream, so a FIFO's writer gets EPIPE.
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
    chunks.push(bytes)
    total += bytes.length
    if (!sniffed && total >= SNIFF_BYTES) {
      sniffed = true
      if (looksBinary(Buffer.concat(chunks))) return binary()
    }
    if (total > MAX_INPUT_BYTES) {
      return {problem: {message: `the input is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB; reading stopped there`, fix: 'split the manifests into several files (the API server takes at most 3 MiB per object), or check that -f points at a manifest and not at a device or an endless stream'}}
    }
  }
  const all = Buffer.concat(chunks)
  if (!sniffed && looksBinary(all)) return binary()
  return {text: decodeText(all)}
}

const binary = (): InputText => ({problem: {message: 'this is a binary file, not YAML or JSON', fix: 'pass a Kubernetes manifest in YAML or JSON'}})

function looksBinary(bytes: Buffer): boolean {
  return utf16Encoding(bytes) === undefined && bytes.subarray(0, SNIFF_BYTES).includes(0)
}

function utf16Encoding(bytes: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return undefined
}

/**
 * UTF-8, or UTF-16 when a byte-order mark says so (what Windows editors and PowerShell's `>` write;
 * kubectl reads those too). Bytes that are not valid UTF-8 become U+FFFD, as kubectl stores them.
 * The BOM itself is dropped so JSON.parse and line numbers see the text as written.
 */
export function decodeText(bytes: Buffer): string {
  const encoding = utf16Encoding(bytes) ?? 'utf-8'
  return new TextDecoder(encoding).decode(bytes)
}
