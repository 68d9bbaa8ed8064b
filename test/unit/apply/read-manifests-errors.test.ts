import {readdir} from 'node:fs/promises'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {readManifests} from '../../../src/cluster/apply/read-manifests.js'

// Running as root, a real unreadable directory cannot be made; readdir is made to fail instead.
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof import('node:fs/promises')>()
  return {...actual, readdir: vi.fn(actual.readdir)}
})

describe('readManifests when the file system refuses', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-manifests-'))
  })
  afterEach(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('reports a directory it cannot list as a problem and still reads the other inputs', async () => {
    const good = path.join(dir, 'good.yaml')
    await writeFile(good, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n')
    vi.mocked(readdir).mockRejectedValueOnce(Object.assign(new Error(`EACCES: permission denied, scandir '${dir}'`), {code: 'EACCES'}))
    const {documents, problems} = await readManifests([dir, good])
    expect(problems).toEqual([expect.objectContaining({source: dir, message: expect.stringContaining('cannot list the directory: EACCES')})])
    expect(documents.map((d) => d.object.metadata.name)).toEqual(['a'])
  })
})
