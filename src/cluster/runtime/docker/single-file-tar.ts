// A ustar archive holding one regular file, built in memory: all `docker import` needs to turn the
// shipped pause binary into an image, without a tar dependency or a temporary file.

const BLOCK = 512

export function singleFileTar(name: string, content: Buffer, mode = 0o755, mtime = new Date(0)): Buffer {
  if (Buffer.byteLength(name) > 100) throw new RangeError(`tar entry name longer than 100 bytes: ${name}`)
  const header = Buffer.alloc(BLOCK)
  header.write(name, 0, 100, 'utf8')
  writeOctal(header, 100, 8, mode)
  writeOctal(header, 108, 8, 0) // uid
  writeOctal(header, 116, 8, 0) // gid
  writeOctal(header, 124, 12, content.length)
  writeOctal(header, 136, 12, Math.floor(mtime.getTime() / 1000))
  header.write('        ', 148, 8, 'ascii') // checksum field counts as spaces while summing
  header.write('0', 156, 1, 'ascii') // regular file
  header.write('ustar\u000000', 257, 8, 'binary')
  let sum = 0
  for (const byte of header) sum += byte
  header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'binary')
  const padding = Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK)
  // Two zero blocks end the archive.
  return Buffer.concat([header, content, padding, Buffer.alloc(2 * BLOCK)])
}

function writeOctal(buffer: Buffer, offset: number, length: number, value: number): void {
  buffer.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii')
}
