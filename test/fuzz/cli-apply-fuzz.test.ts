// `kcluster apply -f` on hostile files: binary, empty, a YAML bomb, a directory mixing good and bad
// manifests, and generated garbage. Driven through applyDocuments (the code under the apply command)
// against a real in-process control plane; every bad input must come back as a problem naming its
// file (and line where there is one), never as a thrown error, while good documents are still applied
// (kubectl apply -f dir also applies the good files and reports the bad ones, exit 1).
import fc from 'fast-check'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {applyDocuments} from '../../src/cluster/apply/apply-manifests.js'
import {HttpClient} from '../../src/cluster/client/http-client.js'
import {startTestCluster, type TestCluster} from '../integration/harness.js'
import {billionLaughs, deepNesting} from './body-inputs.js'
import {FIXED_SEED} from './properties.js'

let k: TestCluster
let client: HttpClient
let dir: string

beforeAll(async () => {
  k = await startTestCluster()
  client = new HttpClient({server: k.url, ca: k.certificates.caCert, cert: k.certificates.adminCert, key: k.certificates.adminKey, timeoutMs: 5_000})
  dir = mkdtempSync(join(tmpdir(), 'kcluster-apply-fuzz-'))
})

afterAll(async () => {
  client?.close()
  await k?.stop()
  if (dir) rmSync(dir, {recursive: true, force: true})
})

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`

describe('kcluster apply on hostile files', () => {
  it('reports a binary file as not a manifest', async () => {
    const path = file('binary.yaml', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe]))
    const result = await applyDocuments(client, {files: [path]})
    expect(result.applied).toEqual([])
    expect(result.problems).toEqual([expect.objectContaining({source: path, message: expect.stringMatching(/binary/)})])
  })

  it('reports an empty file as holding no objects', async () => {
    const path = file('empty.yaml', '')
    const result = await applyDocuments(client, {files: [path]})
    expect(result.applied).toEqual([])
    expect(result.problems).toEqual([expect.objectContaining({source: path, message: expect.stringMatching(/no Kubernetes objects/)})])
  })

  it('reports a billion-laughs YAML bomb as a problem instead of expanding or throwing', async () => {
    const path = file('bomb.yaml', billionLaughs())
    const result = await applyDocuments(client, {files: [path]})
    expect(result.applied).toEqual([])
    expect(result.problems).toEqual([expect.objectContaining({source: path, line: expect.any(Number)})])
  })

  it('reports 10,000 levels of nesting as a problem instead of overflowing the stack', async () => {
    const path = file('deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata: ${deepNesting(10_000, 'array')}\n`)
    const result = await applyDocuments(client, {files: [path]})
    expect(result.applied).toEqual([])
    expect(result.problems).toHaveLength(1)
    expect(result.problems[0]!.source).toBe(path)
  })

  it('applies the good files of a mixed directory and names each bad file and line', async () => {
    const mixed = join(dir, 'mixed')
    mkdirSync(mixed)
    writeFileSync(join(mixed, 'a-good.yaml'), cm('mixed-a'))
    writeFileSync(join(mixed, 'b-syntax.yaml'), `${cm('mixed-b')}---\nkind: [unclosed\n`)
    writeFileSync(join(mixed, 'c-binary.json'), Buffer.from([0, 1, 2]))
    writeFileSync(join(mixed, 'd-wrong-type.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mixed-d\ndata: [1, 2]\n')
    writeFileSync(join(mixed, 'e-good.json'), JSON.stringify({apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'mixed-e'}}))
    writeFileSync(join(mixed, 'ignored.txt'), 'not a manifest')
    const result = await applyDocuments(client, {files: [mixed], namespace: 'default'})
    expect(result.applied.map((a) => a.name).sort()).toEqual(['mixed-a', 'mixed-b', 'mixed-e'])
    const bad = result.problems.map((p) => [p.source.split('/').pop(), p.line])
    expect(bad).toEqual([
      // The unclosed flow sequence on line 8 is noticed at the end of the file.
      ['b-syntax.yaml', 9],
      ['c-binary.json', undefined],
      ['d-wrong-type.yaml', 1],
    ])
  })

  it('turns any generated garbage file into problems or applied objects, never a thrown error', async () => {
    const text = fc.oneof(
      fc.string({maxLength: 200}),
      fc.array(fc.constantFrom('apiVersion: v1\n', 'kind: ConfigMap\n', 'metadata:\n', '  name: g\n', '---\n', '- x\n', '&a [*a]\n', ': :\n', '{', '}', '\t', '"', "'", '|\n', '  ', '!!binary AAA\n', '%YAML 1.3\n', '? ', '*b\n'), {maxLength: 20}).map((p) => p.join('')),
    )
    let n = 0
    await fc.assert(
      fc.asyncProperty(text, async (content) => {
        const path = file(`gen-${n++}.yaml`, content)
        const result = await applyDocuments(client, {files: [path], namespace: 'default'})
        for (const p of result.problems) {
          expect(p.source).toBe(path)
          expect(p.message).not.toMatch(/^\s+at /m)
        }
        expect(result.applied.length + result.problems.length).toBeGreaterThan(0)
      }),
      {seed: FIXED_SEED, numRuns: 60, endOnFailure: true},
    )
  }, 30_000)
})
