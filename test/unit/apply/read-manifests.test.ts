import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {parseManifestText, readManifests} from '../../../src/cluster/apply/read-manifests.js'

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`

describe('parseManifestText', () => {
  it('reads every document of a multi-document file with the line it starts on', () => {
    const {documents, problems} = parseManifestText(`# leading comment\n${cm('a')}---\n${cm('b')}`, 'app.yaml')
    expect(problems).toEqual([])
    expect(documents.map((d) => [d.object.metadata.name, d.line])).toEqual([['a', 2], ['b', 7]])
  })

  it('reports a syntax error with file and line and still returns the good documents', () => {
    const text = `${cm('a')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  labels: {app: web\n---\n${cm('c')}`
    const {documents, problems} = parseManifestText(text, 'app.yaml')
    expect(documents.map((d) => d.object.metadata.name)).toEqual(['a', 'c'])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({source: 'app.yaml', message: expect.stringMatching(/^YAML syntax error/), fix: expect.stringContaining('nothing from this document was applied')})
    expect(problems[0]!.line).toBeGreaterThanOrEqual(10)
    expect(problems[0]!.line).toBeLessThanOrEqual(11)
  })

  it('reports the exact line of a bad indentation', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n data:\n  x: y\n'
    const {documents, problems} = parseManifestText(text, 'bad.yaml')
    expect(documents).toEqual([])
    expect(problems[0]!.line).toBe(5)
  })

  it('reads values with YAML 1.1 rules, as Kubernetes does', () => {
    const {documents} = parseManifestText(`${cm('a')}data:\n  flag: yes\n  mode: 010\n`, 'a.yaml')
    expect(documents[0]!.object.data).toEqual({flag: true, mode: 8})
  })

  it('expands kind: List items, each with its own line', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n`
    const {documents} = parseManifestText(text, 'list.yaml')
    expect(documents.map((d) => [d.object.kind, d.line])).toEqual([['ConfigMap', 4], ['Secret', 7]])
  })

  it('names what is missing from an object: apiVersion, kind or metadata.name', () => {
    const text = 'kind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {generateName: a-}\n---\n- just\n- a list\n'
    const {documents, problems} = parseManifestText(text, 'x.yaml')
    expect(documents).toEqual([])
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [1, 'the object has no apiVersion'],
      [4, expect.stringContaining('has no metadata.name (apply cannot use generateName')],
      [8, expect.stringContaining('found a list')],
    ])
  })

  it('reports an input with no objects at all', () => {
    expect(parseManifestText('# nothing here\n---\n', 'empty.yaml').problems).toEqual([
      expect.objectContaining({source: 'empty.yaml', message: expect.stringContaining('no Kubernetes objects found')}),
    ])
  })

  it('reads JSON, with the line of an error', () => {
    expect(parseManifestText('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}', 'a.json', true).documents).toHaveLength(1)
    const {problems} = parseManifestText('{\n  "apiVersion": "v1",\n  "kind": "ConfigMap"\n  "metadata": {}\n}', 'b.json', true)
    expect(problems[0]).toMatchObject({source: 'b.json', message: expect.stringMatching(/^JSON syntax error/)})
    expect(problems[0]!.line).toBeGreaterThanOrEqual(3)
  })
})

describe('readManifests', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-manifests-'))
  })
  afterEach(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('reads a directory\'s .yaml, .yml and .json files in name order and ignores others', async () => {
    await writeFile(path.join(dir, 'b.yml'), cm('b'))
    await writeFile(path.join(dir, 'a.yaml'), cm('a'))
    await writeFile(path.join(dir, 'c.json'), JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c'}}))
    await writeFile(path.join(dir, 'README.md'), '# not a manifest')
    await mkdir(path.join(dir, 'nested'))
    await writeFile(path.join(dir, 'nested', 'd.yaml'), cm('d'))
    const {documents, problems} = await readManifests([dir])
    expect(problems).toEqual([])
    expect(documents.map((d) => [path.basename(d.source), d.object.metadata.name])).toEqual([['a.yaml', 'a'], ['b.yml', 'b'], ['c.json', 'c']])
  })

  it('reads - from stdin', async () => {
    const {documents} = await readManifests(['-'], async () => cm('from-stdin'))
    expect(documents[0]).toMatchObject({source: '<stdin>', line: 1, object: {metadata: {name: 'from-stdin'}}})
  })

  it('reports binary, empty and missing files, and keeps the good ones', async () => {
    await writeFile(path.join(dir, 'good.yaml'), cm('good'))
    await writeFile(path.join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]))
    await writeFile(path.join(dir, 'empty.yaml'), '')
    const {documents, problems} = await readManifests([dir, path.join(dir, 'missing.yaml')])
    expect(documents.map((d) => d.object.metadata.name)).toEqual(['good'])
    expect(problems.map((p) => [path.basename(p.source), p.message])).toEqual([
      ['empty.yaml', expect.stringContaining('no Kubernetes objects')],
      ['image.yaml', expect.stringContaining('binary file')],
      ['missing.yaml', 'no such file or directory'],
    ])
  })

  it('reports a directory without manifests', async () => {
    const {problems} = await readManifests([dir])
    expect(problems[0]!.message).toContain('no .yaml, .yml or .json files')
  })
})

describe('parseManifestText on hostile input', () => {
  it('refuses JSON with a trailing comma, as kubectl does, naming the line', () => {
    const {documents, problems} = parseManifestText('{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "c"},\n}\n', 'c.json', true)
    expect(documents).toEqual([])
    expect(problems).toEqual([expect.objectContaining({source: 'c.json', line: 5, message: expect.stringMatching(/^JSON syntax error/)})])
  })

  it('reads a stream of JSON objects, each with its line, and reports the bad one among them', () => {
    const cmJson = (name: string) => JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name}})
    const {documents, problems} = parseManifestText(`${cmJson('a')}\n${cmJson('b').replace('{"a', '{,"a')}\n\n${cmJson('c')}\n`, 's.json', true)
    expect(documents.map((d) => [d.object.metadata.name, d.line])).toEqual([['a', 1], ['c', 4]])
    expect(problems.map((p) => p.line)).toEqual([2])
  })

  it('gives the line of each item of a JSON List', () => {
    const text = '{"apiVersion": "v1", "kind": "List", "items": [\n  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}},\n  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b"}}\n]}\n'
    expect(parseManifestText(text, 'l.json', true).documents.map((d) => d.line)).toEqual([2, 3])
  })

  it('still reads a .json file that holds YAML, as kubectl does', () => {
    expect(parseManifestText(cm('y'), 'y.json', true).documents).toHaveLength(1)
  })

  it('says a document nests too deeply instead of calling a stack overflow a syntax error', () => {
    for (const [text, json] of [[`${cm('d')}data:\n  x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, false], [`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"d","labels":${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}}}`, true]] as const) {
      const {documents, problems} = parseManifestText(text, 'deep', json)
      expect(documents).toEqual([])
      expect(problems).toEqual([expect.objectContaining({message: expect.stringContaining('nests too deeply')})])
    }
  })
})

describe('readManifests on special files', () => {
  it('skips a subdirectory named like a manifest, as kubectl apply -f dir does', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-manifests-'))
    try {
      await writeFile(path.join(dir, 'a.yaml'), cm('a'))
      await mkdir(path.join(dir, 'b.yaml'))
      const {documents, problems} = await readManifests([dir])
      expect(problems).toEqual([])
      expect(documents.map((d) => d.object.metadata.name)).toEqual(['a'])
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  })

  it('answers -f /dev/zero at once as a binary file', async () => {
    const {problems} = await readManifests(['/dev/zero'])
    expect(problems).toEqual([expect.objectContaining({source: '/dev/zero', message: expect.stringContaining('binary file')})])
  })
})

describe('parseManifestText on control characters', () => {
  it('refuses text with a control character (as kubectl does), naming its line, instead of reading it as a string', () => {
    const {documents, problems} = parseManifestText(`${cm('a')}data:\n  x: "\x1b[31m"\n`, 'esc.yaml')
    expect(documents).toEqual([])
    expect(problems).toEqual([expect.objectContaining({source: 'esc.yaml', line: 6, message: expect.stringContaining('control character 0x1b')})])
  })

  it('accepts tabs, CR LF line ends and an escaped control character', () => {
    const {documents, problems} = parseManifestText(`${cm('a')}data:\r\n  x: "\\u001b\t"\r\n`, 'ok.yaml')
    expect(problems).toEqual([])
    expect(documents[0]!.object.data).toEqual({x: '\u001b\t'})
  })
})

describe('readManifests on a file of very many bad documents', () => {
  it('lists the first 20 problems of a file and counts the rest, without overflowing the stack', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-manifests-'))
    try {
      // 200,000 problems overflowed the stack when spread into push(); kubectl reports one per file.
      await writeFile(path.join(dir, 'many.yaml'), 'a: 1\n---\n'.repeat(200_000))
      await writeFile(path.join(dir, 'z.yaml'), cm('after'))
      const {documents, problems} = await readManifests([dir])
      expect(documents.map((d) => d.object.metadata.name)).toEqual(['after'])
      expect(problems).toHaveLength(21)
      expect(problems.slice(0, 20).map((p) => p.line)).toEqual(Array.from({length: 20}, (_, i) => 1 + 2 * i))
      expect(problems[20]).toMatchObject({source: path.join(dir, 'many.yaml'), message: '199980 more problem(s) in this file, not shown'})
    } finally {
      await rm(dir, {recursive: true, force: true})
    }
  }, 30_000)
})
