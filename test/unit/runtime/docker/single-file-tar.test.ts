import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'
import {singleFileTar} from '../../../../src/cluster/runtime/docker/single-file-tar.js'

describe('singleFileTar', () => {
  it('pads to 512-byte blocks and ends with two zero blocks', () => {
    const tar = singleFileTar('pause', Buffer.alloc(700, 1))
    expect(tar.length).toBe(512 + 1024 + 1024)
    expect(tar.subarray(tar.length - 1024).every((b) => b === 0)).toBe(true)
  })

  it('writes a header whose checksum matches its bytes', () => {
    const header = singleFileTar('pause', Buffer.from('x')).subarray(0, 512)
    const stored = Number.parseInt(header.subarray(148, 154).toString('ascii'), 8)
    const copy = Buffer.from(header)
    copy.fill(0x20, 148, 156)
    expect(stored).toBe(copy.reduce((sum, b) => sum + b, 0))
    expect(header.subarray(257, 262).toString('ascii')).toBe('ustar')
  })

  it('is read back by the system tar as one executable file with the same content', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kc-tar-'))
    try {
      const content = Buffer.from('#!/bin/sh\necho hi\n')
      writeFileSync(join(dir, 'a.tar'), singleFileTar('pause', content))
      expect(execFileSync('tar', ['-tf', join(dir, 'a.tar')], {encoding: 'utf8'}).trim()).toBe('pause')
      execFileSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir])
      expect(readFileSync(join(dir, 'pause'))).toEqual(content)
      expect(statSync(join(dir, 'pause')).mode & 0o777).toBe(0o755)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })

  it('refuses names that do not fit the header', () => {
    expect(() => singleFileTar('x'.repeat(101), Buffer.alloc(0))).toThrow(RangeError)
  })
})
