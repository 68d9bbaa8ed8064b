// Hostile inputs for `kcluster apply -f`, run through the built CLI (test/fuzz/cli-apply-binary.test.ts).
// Each case makes its file (or directory, FIFO, stdin) and says what a correct CLI does with it: apply
// named objects (exit 0, as kubectl would), or refuse with exit 1 and a message naming the file (and
// line) and saying why. Generated cases come from fast-check with the suite's fixed seed.
import fc from 'fast-check'
import {mkdirSync, symlinkSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {billionLaughs, deepNesting} from './body-inputs.js'
import {FIXED_SEED} from './properties.js'

export interface CliInput {
  /** What -f gets: a path, or '-' with stdin. */
  arg: string
  stdin?: string | Buffer
  /** A process feeding a FIFO while apply runs (argv for execa). */
  writer?: string[]
}

export interface CliCase {
  name: string
  make: (dir: string) => CliInput
  /** ConfigMaps (in default) the run must create; [] means none. */
  applies: string[]
  /** Refused inputs: what stderr must say, each naming the source (path:line exactly, or a path with any line or none). */
  refuses?: {where: string | ((dir: string) => string); why: RegExp}[]
  /** Generated cases may be valid by chance: then exit 0 with objects listed is as right as a clean refusal. */
  either?: boolean
}

export const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`

const file = (name: string, content: string | Buffer) => (dir: string): CliInput => {
  writeFileSync(join(dir, name), content)
  return {arg: join(dir, name)}
}

const at = (name: string, line?: number) => (dir: string) => (line === undefined ? join(dir, name) : `${join(dir, name)}:${line}`)

/** A directory kubectl apply -f (non-recursive) treats as: a-good, b-half (its first document), e-good. */
function mixedDirectory(dir: string): CliInput {
  const mixed = join(dir, 'mixed')
  mkdirSync(join(mixed, 'sub'), {recursive: true})
  mkdirSync(join(mixed, 'nested.yaml'))
  writeFileSync(join(mixed, 'a-good.yaml'), cm('mixed-a'))
  writeFileSync(join(mixed, 'b-half.yaml'), `${cm('mixed-b')}---\nkind: [unclosed\n`)
  writeFileSync(join(mixed, 'c-binary.yaml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))
  writeFileSync(join(mixed, 'd-bad.json'), '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "mixed-d"}')
  writeFileSync(join(mixed, 'e-good.yml'), cm('mixed-e'))
  writeFileSync(join(mixed, 'f-wrong-type.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mixed-f\ndata: [1, 2]\n')
  writeFileSync(join(mixed, 'notes.txt'), cm('mixed-txt'))
  writeFileSync(join(mixed, 'sub', 'g.yaml'), cm('mixed-sub'))
  writeFileSync(join(mixed, 'nested.yaml', 'h.yaml'), cm('mixed-nested'))
  symlinkSync('loop.yaml', join(mixed, 'loop.yaml'))
  symlinkSync('..', join(mixed, 'up'))
  return {arg: mixed}
}

const JSON_CM = '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "%"}\n}\n'
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52])
const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0])

export const FIXED_CASES: CliCase[] = [
  {name: 'a PNG image', make: file('image.png', PNG), applies: [], refuses: [{where: at('image.png'), why: /binary file/}]},
  {name: 'an ELF executable named .yaml', make: file('elf.yaml', ELF), applies: [], refuses: [{where: at('elf.yaml'), why: /binary file/}]},
  {name: 'an empty file', make: file('empty.yaml', ''), applies: [], refuses: [{where: at('empty.yaml'), why: /no Kubernetes objects/}]},
  {name: 'a whitespace-only file', make: file('blank.yaml', '  \n\n   \n'), applies: [], refuses: [{where: at('blank.yaml'), why: /no Kubernetes objects/}]},
  {name: 'a file of only ---', make: file('dashes.yaml', '---\n---\n---\n'), applies: [], refuses: [{where: at('dashes.yaml'), why: /no Kubernetes objects/}]},
  {name: 'truncated YAML (an unclosed quote)', make: file('trunc.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: trunc\ndata:\n  a: "unterminated\n'), applies: [], refuses: [{where: at('trunc.yaml', 7), why: /YAML syntax error/}]},
  {name: 'a billion-laughs alias bomb', make: file('bomb.yaml', billionLaughs()), applies: [], refuses: [{where: at('bomb.yaml', 1), why: /alias/}]},
  {name: '10,000 levels of flow nesting', make: file('deep.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: ${deepNesting(10_000, 'array')}\n`), applies: [], refuses: [{where: at('deep.yaml', 6), why: /nest/}]},
  {name: '10,000 levels of block nesting', make: file('deep-block.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep-block\n${Array.from({length: 10_000}, (_, i) => `${' '.repeat(i + 2)}k:\n`).join('')}`), applies: [], refuses: [{where: at('deep-block.yaml'), why: /nest/}]},
  {name: 'a single 4 MB line', make: file('line.yaml', 'x'.repeat(4_000_000)), applies: [], refuses: [{where: at('line.yaml', 1), why: /expected a Kubernetes object/}]},
  {name: 'a ConfigMap over the API server\'s 3 MiB limit', make: file('huge.yaml', `${cm('huge')}  big: "${'A'.repeat(3_500_000)}"\n`), applies: [], refuses: [{where: at('huge.yaml', 1), why: /too large/}]},
  // The API server quotes the whole 2 MB patch in its error; the CLI keeps the start and the reason.
  {name: 'a 2 MB ConfigMap with data of the wrong type', make: file('wrong-big.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wrong-big\ndata: ["${'B'.repeat(2_000_000)}"]\n`), applies: [], refuses: [{where: at('wrong-big.yaml', 1), why: /cannot unmarshal array/}]},
  {name: 'text with control characters but no NUL', make: file('control.yaml', `${cm('control')}  x: "\x1b[31mred\x07"\n`), applies: [], refuses: [{where: at('control.yaml', 7), why: /control character/}]},
  // kubectl stores the same U+FFFD replacement characters for the bytes that are not UTF-8.
  {name: 'a Latin-1 (not UTF-8) file', make: file('latin1.yaml', Buffer.concat([Buffer.from(cm('latin1')), Buffer.from('  x: "caf\xe9"\n', 'latin1')])), applies: ['latin1']},
  {name: 'a UTF-16 file with a byte-order mark', make: file('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(cm('utf16'), 'utf16le')])), applies: ['utf16']},
  {name: 'JSON with a missing closing brace', make: file('unclosed.json', JSON_CM.replace('%', 'unclosed').trimEnd().slice(0, -1)), applies: [], refuses: [{where: at('unclosed.json'), why: /JSON syntax error/}]},
  {name: 'JSON with a trailing comma', make: file('comma.json', JSON_CM.replace('%', 'comma').replace('}\n}', '},\n}')), applies: [], refuses: [{where: at('comma.json', 5), why: /JSON syntax error/}]},
  {name: 'a stream of two JSON objects', make: file('stream.json', JSON_CM.replace('%', 'stream-1') + JSON_CM.replace('%', 'stream-2')), applies: ['stream-1', 'stream-2']},
  {
    name: 'a file of 1,000 documents without apiVersion and kind',
    make: file('many-bad.yaml', 'a: 1\n---\n'.repeat(1000)),
    applies: [],
    refuses: [...Array.from({length: 20}, (_, i) => ({where: at('many-bad.yaml', 1 + 2 * i), why: /has no apiVersion and kind/})), {where: at('many-bad.yaml'), why: /980 more problem\(s\) in this file/}],
  },
  {name: 'a nonexistent path', make: (dir) => ({arg: join(dir, 'missing.yaml')}), applies: [], refuses: [{where: at('missing.yaml'), why: /no such file or directory/}]},
  {name: '/dev/zero (endless NUL bytes)', make: () => ({arg: '/dev/zero'}), applies: [], refuses: [{where: '/dev/zero', why: /binary file/}]},
  {name: 'a FIFO fed a manifest (as with -f <(command))', make: (dir) => ({arg: join(dir, 'fed.fifo'), writer: ['sh', '-c', `printf '%s' "$0" > "$1"`, cm('fifo'), join(dir, 'fed.fifo')]}), applies: ['fifo']},
  {name: 'a FIFO fed endless text', make: (dir) => ({arg: join(dir, 'endless.fifo'), writer: ['sh', '-c', 'exec yes kind > "$0"', join(dir, 'endless.fifo')]}), applies: [], refuses: [{where: at('endless.fifo'), why: /larger than/}]},
  {name: 'binary bytes on stdin', make: () => ({arg: '-', stdin: ELF}), applies: [], refuses: [{where: '<stdin>', why: /binary/}]},
  {
    name: 'a directory mixing good and bad files, a subdirectory and a symlink loop',
    make: mixedDirectory,
    applies: ['mixed-a', 'mixed-b', 'mixed-e'],
    refuses: [
      {where: at('mixed/b-half.yaml', 9), why: /YAML syntax error/},
      {where: at('mixed/c-binary.yaml'), why: /binary file/},
      {where: at('mixed/d-bad.json'), why: /JSON syntax error/},
      {where: at('mixed/f-wrong-type.yaml', 1), why: /data/},
      {where: at('mixed/loop.yaml'), why: /symbolic links|ELOOP/},
    ],
  },
]

const YAML_PIECES = ['apiVersion: v1\n', 'kind: ConfigMap\n', 'metadata:\n', '  name: gen\n', '---\n', '- x\n', '&a [*a]\n', ': :\n', '{', '}', '\t', '"', "'", '|\n', '  ', '!!binary AAA\n', '%YAML 1.3\n', '? ', '*b\n', '\u00e9', '\ufeff']
const DEPLOYMENT = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: cut\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: cut}\n  template:\n    metadata:\n      labels: {app: cut}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n        ports:\n        - containerPort: 80\n`

/** Seeded: random bytes, YAML-ish garbage, and a Deployment cut at a random point (often still valid YAML). */
export function generatedCases(): CliCase[] {
  // Some without a NUL byte, so the check for binary by NUL alone does not settle them.
  const bytes = fc.sample(fc.oneof(fc.uint8Array({minLength: 64, maxLength: 4096}), fc.uint8Array({min: 1, minLength: 64, maxLength: 4096})), {seed: FIXED_SEED, numRuns: 4})
  const garbage = fc.sample(fc.array(fc.constantFrom(...YAML_PIECES), {minLength: 4, maxLength: 24}).map((p) => p.join('')), {seed: FIXED_SEED, numRuns: 3})
  const cuts = fc.sample(fc.integer({min: 1, max: DEPLOYMENT.length - 1}), {seed: FIXED_SEED, numRuns: 3})
  return [
    ...bytes.map((b, i): CliCase => ({name: `random bytes #${i} (${b.length} bytes)`, make: file(`random-${i}.yaml`, Buffer.from(b)), applies: [], either: true})),
    ...garbage.map((g, i): CliCase => ({name: `YAML-ish garbage #${i} ${JSON.stringify(g.slice(0, 40))}`, make: file(`garbage-${i}.yaml`, g), applies: [], either: true})),
    ...cuts.map((c, i): CliCase => ({name: `a Deployment cut after ${c} characters`, make: file(`cut-${i}.yaml`, DEPLOYMENT.slice(0, c).replace('name: cut', `name: cut-${i}`)), applies: [], either: true})),
  ]
}
