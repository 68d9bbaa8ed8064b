import {lstat, mkdtemp, open, readdir, readFile, readlink, rm, stat} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {PayloadPathError, writeAtomically, type Payload} from '../../../../src/cluster/agent/container-config/volume-writer.js'

let root: string
let n = 0
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cc-writer-'))
})
afterAll(async () => {
  await rm(root, {recursive: true, force: true})
})

const fresh = () => path.join(root, `vol-${n++}`)
const payload = (files: Record<string, string>, mode = 0o644): Payload => new Map(Object.entries(files).map(([k, v]) => [k, {data: Buffer.from(v), mode}]))

describe('the atomic writer', () => {
  it('lays files out as the kubelet does: ..data links to a timestamped dir, each name links into ..data', async () => {
    const dir = fresh()
    expect(await writeAtomically(dir, new Map([...payload({a: 'A'}), ['sub/b', {data: Buffer.from('B'), mode: 0o600}]]))).toBe(true)
    const target = await readlink(path.join(dir, '..data'))
    expect(target).toMatch(/^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.[0-9a-f]+$/)
    expect(await readlink(path.join(dir, 'a'))).toBe('..data/a')
    expect(await readlink(path.join(dir, 'sub'))).toBe('..data/sub')
    expect(await readFile(path.join(dir, 'sub/b'), 'utf8')).toBe('B')
    expect((await stat(path.join(dir, 'a'))).mode & 0o777).toBe(0o644)
    expect((await stat(path.join(dir, 'sub/b'))).mode & 0o777).toBe(0o600)
    expect((await readdir(dir)).sort()).toEqual(['..data', target, 'a', 'sub'].sort())
  })

  it('writes nothing when the payload is unchanged, and rewrites on a mode change', async () => {
    const dir = fresh()
    await writeAtomically(dir, payload({a: 'A'}))
    const first = await readlink(path.join(dir, '..data'))
    expect(await writeAtomically(dir, payload({a: 'A'}))).toBe(false)
    expect(await readlink(path.join(dir, '..data'))).toBe(first)
    expect(await writeAtomically(dir, payload({a: 'A'}, 0o400))).toBe(true)
    expect(await readlink(path.join(dir, '..data'))).not.toBe(first)
  })

  it('updates in place: new names appear, removed names and the old payload dir go', async () => {
    const dir = fresh()
    await writeAtomically(dir, payload({a: '1', b: '1'}))
    const old = await readlink(path.join(dir, '..data'))
    await writeAtomically(dir, payload({a: '2', c: '2'}))
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('2')
    expect(await readFile(path.join(dir, 'c'), 'utf8')).toBe('2')
    await expect(lstat(path.join(dir, 'b'))).rejects.toMatchObject({code: 'ENOENT'})
    await expect(lstat(path.join(dir, old))).rejects.toMatchObject({code: 'ENOENT'})
    expect((await readdir(dir)).filter((e) => e.startsWith('..')).length).toBe(2) // ..data and one payload dir
  })

  it('lets a reader that holds the old payload keep reading it while the new one is swapped in', async () => {
    const dir = fresh()
    await writeAtomically(dir, payload({a: 'old-a', b: 'old-b'}))
    const [a, b] = await Promise.all([open(path.join(dir, 'a')), open(path.join(dir, 'b'))])
    try {
      await writeAtomically(dir, payload({a: 'new-a', b: 'new-b'}))
      expect([await a.readFile('utf8'), await b.readFile('utf8')]).toEqual(['old-a', 'old-b'])
      expect([await readFile(path.join(dir, 'a'), 'utf8'), await readFile(path.join(dir, 'b'), 'utf8')]).toEqual(['new-a', 'new-b'])
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  it('never shows a reader going through one ..data a mix of two versions', async () => {
    const dir = fresh()
    await writeAtomically(dir, payload({a: '0', b: '0'}))
    let writing = true
    const mixed: string[] = []
    let consistentReads = 0
    const reader = (async () => {
      for (let i = 0; i < 100_000 && writing; i++) {
        try {
          const ts = await readlink(path.join(dir, '..data'))
          const [x, y] = await Promise.all([readFile(path.join(dir, ts, 'a'), 'utf8'), readFile(path.join(dir, ts, 'b'), 'utf8')])
          if (x !== y) mixed.push(`${x}/${y}`)
          else consistentReads++
        } catch (error) {
          // The payload dir this reader resolved was replaced and removed: a whole version gone, never a mix.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        }
      }
    })()
    for (let v = 1; v <= 40; v++) await writeAtomically(dir, payload({a: String(v), b: String(v)}))
    writing = false
    await reader
    expect(mixed).toEqual([])
    expect(consistentReads).toBeGreaterThan(0)
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('40')
  })

  it('serialises concurrent writers of one directory', async () => {
    const dir = fresh()
    const results = await Promise.all([writeAtomically(dir, payload({a: 'x'})), writeAtomically(dir, payload({a: 'x'})), writeAtomically(dir, payload({a: 'y'}))])
    expect(results).toEqual([true, false, true])
    expect(await readFile(path.join(dir, 'a'), 'utf8')).toBe('y')
  })

  it.each(['/etc/passwd', '../escape', 'a/../../b', '..hidden', ''])('refuses the payload path %j', async (p) => {
    await expect(writeAtomically(fresh(), payload({[p]: 'x'}))).rejects.toBeInstanceOf(PayloadPathError)
  })
})
