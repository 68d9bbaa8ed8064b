// Reading `apply -f` inputs into objects, each remembering its file and line. A bad document is a
// problem naming file:line, why and what to do; it never stops the good documents around it.
import {readdir, stat} from 'node:fs/promises'
import path from 'node:path'
import {Composer, isMap, isSeq, LineCounter, Parser, parseDocument, type Document, type Node as YamlNode, type YAMLError} from 'yaml'
import type {KubeObject} from '../api/types.js'
import {isPlainObject} from '../api/types.js'
import {parseJsonValue, splitJsonValues} from './json-stream.js'
import {readBounded, readInputFile, type InputText} from './read-input.js'

export interface ManifestDocument {
  source: string
  line: number
  object: KubeObject
}

export interface ManifestProblem {
  source: string
  line?: number
  message: string
  fix: string
}

export interface ManifestSet {
  documents: ManifestDocument[]
  problems: ManifestProblem[]
}

/** Orders problems as the input is read: by file (in reading order), then line. */
export function sortProblems(problems: ManifestProblem[], sources: readonly string[]): ManifestProblem[] {
  const rank = (source: string) => {
    const i = sources.indexOf(source)
    return i < 0 ? sources.length : i
  }
  return problems
    .map((p, i) => ({p, i}))
    .sort((a, b) => rank(a.p.source) - rank(b.p.source) || (a.p.line ?? Infinity) - (b.p.line ?? Infinity) || a.i - b.i)
    .map(({p}) => p)
}

/** kubectl stops at a file's first error; past this many, the rest of a file's problems are counted, not listed. */
const MAX_PROBLEMS_PER_FILE = 20

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/**
 * Reads every input (`-` is stdin, a directory means its *.yaml, *.yml and *.json files, sorted).
 * readStdin replaces the bounded read of process.stdin (tests pass text).
 */
export async function readManifests(inputs: readonly string[], readStdin?: () => Promise<string>): Promise<ManifestSet & {sources: string[]}> {
  const result: ManifestSet & {sources: string[]} = {documents: [], problems: [], sources: []}
  for (const input of inputs) {
    result.sources.push(input)
    const files = input === '-' ? ['-'] : await expandInput(input, result.problems)
    for (const file of files) {
      result.sources.push(file === '-' ? '<stdin>' : file)
      const part = file === '-' ? parseInput(readStdin ? {text: await readStdin()} : await readBounded(process.stdin), '<stdin>', false) : parseInput(await readInputFile(file), file, path.extname(file).toLowerCase() === '.json')
      // Loops, not push(...items): a file of 200,000 bad documents overflowed the stack as spread arguments.
      for (const doc of part.documents) result.documents.push(doc)
      for (const problem of part.problems.slice(0, MAX_PROBLEMS_PER_FILE)) result.problems.push(problem)
      const more = part.problems.length - MAX_PROBLEMS_PER_FILE
      if (more > 0) result.problems.push({source: part.problems[0]!.source, message: `${more} more problem(s) in this file, not shown`, fix: 'fix the problems above and run again'})
    }
  }
  return result
}

async function expandInput(input: string, problems: ManifestProblem[]): Promise<string[]> {
  let info
  try {
    info = await stat(input)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    problems.push({source: input, message: code === 'ENOENT' ? 'no such file or directory' : `cannot read: ${(error as Error).message}`, fix: 'check the path given to -f'})
    return []
  }
  if (!info.isDirectory()) return [input]
  // Like kubectl apply -f dir without -R: subdirectories are skipped, even one named like a manifest.
  let entries
  try {
    entries = await readdir(input, {withFileTypes: true})
  } catch (error) {
    // An unreadable directory (EACCES) used to escape as an unexpected error, losing every other input.
    problems.push({source: input, message: `cannot list the directory: ${(error as Error).message}`, fix: 'check the directory is readable, or name its files with -f'})
    return []
  }
  const names = entries.filter((e) => !e.isDirectory() && MANIFEST_EXTENSIONS.has(path.extname(e.name).toLowerCase())).map((e) => e.name).sort()
  if (names.length === 0) problems.push({source: input, message: 'the directory has no .yaml, .yml or .json files', fix: 'point -f at the manifest files or the directory that holds them'})
  return names.map((n) => path.join(input, n))
}

function parseInput(input: InputText, source: string, json: boolean): ManifestSet {
  if ('problem' in input) return {documents: [], problems: [{source, ...input.problem}]}
  return parseManifestText(input.text, source, json)
}

/** Parses one file's text: every YAML document (or each JSON value) becomes objects or problems. */
export function parseManifestText(text: string, source: string, json = false): ManifestSet {
  // kubectl reads a stream that starts with { as JSON, strictly; a .json file holding YAML is read as YAML.
  if (json && text.trimStart().startsWith('{')) return parseJsonText(text, source)
  const control = controlCharacter(text, source)
  if (control) return {documents: [], problems: [control]}
  const result: ManifestSet = {documents: [], problems: []}
  const lines = new LineCounter()
  // Kubernetes reads manifests with YAML 1.1 rules (yes/no are booleans).
  // Document by document (what parseAllDocuments does, without holding every Document at once): a file of
  // a million empty documents took 1.2 GB and 11 s that way, 120 MB and 5 s this way.
  const docs = new Composer(json ? {} : {version: '1.1'}).compose(new Parser(lines.addNewLine).parse(text))
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line)

  for (const doc of docs) {
    if (doc.errors.length > 0) {
      const error = doc.errors[0]!
      result.problems.push(syntaxProblem(error, source, json ? 'JSON' : 'YAML', lineOf(error.pos[0]) ?? lineOf(doc.range[0])))
      continue
    }
    if (doc.contents === null || isEmptyScalar(doc)) continue
    let value: unknown
    try {
      value = doc.toJS({maxAliasCount: 100})
    } catch (error) {
      // An alias bomb (billion laughs) throws here; it used to escape as an uncaught ReferenceError.
      result.problems.push({
        source,
        line: lineOf(doc.range[0]),
        message: `YAML could not be expanded: ${(error as Error).message}`,
        fix: 'use fewer aliases (*name); nothing from this document was applied',
      })
      continue
    }
    collectObjects(value, doc.contents, source, lineOf, result)
  }
  return withEmptyProblem(result, source)
}

// YAML allows no C0 control character but tab, LF and CR (nor DEL); kubectl refuses them too. The yaml
// package reads them as text, so binary without a NUL byte would otherwise come back as "found string".
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/

function controlCharacter(text: string, source: string): ManifestProblem | undefined {
  const found = CONTROL.exec(text)
  if (!found) return undefined
  const code = found[0].charCodeAt(0).toString(16).padStart(2, '0')
  return {
    source,
    line: lineIndex(text)(found.index),
    message: `control character 0x${code} in the text: YAML does not allow it, so this is probably not a manifest`,
    fix: 'point -f at a YAML or JSON manifest, or remove the character (write it as an escape such as "\\u001b" in a double-quoted string); nothing from this file was applied',
  }
}

function withEmptyProblem(result: ManifestSet, source: string): ManifestSet {
  if (result.documents.length === 0 && result.problems.length === 0) {
    result.problems.push({source, message: 'no Kubernetes objects found (the input is empty or only comments)', fix: 'add a manifest with apiVersion, kind and metadata.name'})
  }
  return result
}

function syntaxProblem(error: YAMLError, source: string, language: 'YAML' | 'JSON', line: number | undefined): ManifestProblem {
  // The parser recurses once per level; past ~1,000 levels it runs out of stack and says so with this code.
  if (error.code === 'RESOURCE_EXHAUSTION' && /call stack/i.test(error.message)) {
    return {source, line, message: 'the document nests too deeply to read (over a thousand levels of lists or maps)', fix: 'no Kubernetes object nests this deep: check how the file was generated; nothing from this document was applied'}
  }
  return {
    source,
    line,
    message: `${language} syntax error: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
    fix: 'fix the syntax at that line; nothing from this document was applied',
  }
}

/** Strict JSON, one or more values; the YAML parser runs on each good value only for item lines and the depth bound. */
function parseJsonText(text: string, source: string): ManifestSet {
  const result: ManifestSet = {documents: [], problems: []}
  const lineAt = lineIndex(text)
  for (const span of splitJsonValues(text)) {
    const parsed = parseJsonValue(text, span)
    if ('error' in parsed) {
      result.problems.push({source, line: lineAt(parsed.offset), message: `JSON syntax error: ${parsed.error}`, fix: 'fix the syntax at that line; nothing from this value was applied'})
      continue
    }
    const doc = parseDocument(text.slice(span.start, span.end), {uniqueKeys: false})
    const lineOf = (offset: number | undefined) => lineAt(span.start + (offset ?? 0))
    if (doc.errors.length > 0) {
      result.problems.push(syntaxProblem(doc.errors[0]!, source, 'JSON', lineOf(doc.errors[0]!.pos[0])))
      continue
    }
    collectObjects(parsed.value, doc.contents, source, lineOf, result)
  }
  return withEmptyProblem(result, source)
}

/** Offset to 1-based line, by binary search over the newline offsets. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0]
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}

function isEmptyScalar(doc: Document.Parsed): boolean {
  const c = doc.contents as {value?: unknown} | null
  return c !== null && !isMap(c) && !isSeq(c) && (c.value === null || c.value === undefined)
}

function collectObjects(value: unknown, node: YamlNode | null, source: string, lineOf: (o: number | undefined) => number | undefined, out: ManifestSet): void {
  const line = lineOf(node?.range?.[0])
  if (!isPlainObject(value)) {
    out.problems.push({source, line, message: `expected a Kubernetes object (a mapping with apiVersion and kind), found ${Array.isArray(value) ? 'a list' : typeof value}`, fix: 'give each document apiVersion, kind and metadata; put several objects in separate documents (---) or a kind: List'})
    return
  }
  const {apiVersion, kind} = value
  if (typeof apiVersion !== 'string' || !apiVersion || typeof kind !== 'string' || !kind) {
    const missing = [typeof apiVersion === 'string' && apiVersion ? undefined : 'apiVersion', typeof kind === 'string' && kind ? undefined : 'kind'].filter(Boolean).join(' and ')
    out.problems.push({source, line, message: `the object has no ${missing}`, fix: `add ${missing} (e.g. apiVersion: apps/v1, kind: Deployment)`})
    return
  }
  // `kind: List` (and typed lists such as ConfigMapList) carry their objects in items.
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(value.items))) {
    const items = Array.isArray(value.items) ? value.items : []
    const itemNodes = isMap(node) ? node.get('items', true) : undefined
    items.forEach((item: unknown, i: number) => {
      const itemNode = isSeq(itemNodes) ? (itemNodes.items[i] as YamlNode | undefined) ?? null : node
      collectObjects(item, itemNode, source, lineOf, out)
    })
    return
  }
  const metadata = isPlainObject(value.metadata) ? value.metadata : {}
  if (typeof metadata.name !== 'string' || metadata.name === '') {
    const hint = typeof metadata.generateName === 'string' ? ' (apply cannot use generateName: it would create a new object every time)' : ''
    out.problems.push({source, line, message: `${kind} has no metadata.name${hint}`, fix: 'set metadata.name'})
    return
  }
  out.documents.push({source, line: line ?? 1, object: value as KubeObject})
}
