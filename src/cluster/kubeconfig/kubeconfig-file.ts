// Locating, reading and writing the user's kubeconfig the way kubectl does: `$KUBECONFIG` (its first
// entry when it is a list) or `~/.kube/config`. Edits go through the yaml Document so comments, key
// order and every entry kcluster does not own are kept as they were.
import {readFile, realpath} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {Document, isMap, isSeq, parseDocument, type YAMLSeq} from 'yaml'
import {writeFileAtomic} from '../lifecycle/atomic-write.js'
import {ClusterError} from '../lifecycle/cluster-error.js'

/** The kubeconfig file kcluster writes to. */
export function kubeconfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const first = (env.KUBECONFIG ?? '').split(path.delimiter).find((p) => p.trim() !== '')
  return first ? path.resolve(first) : path.join(os.homedir(), '.kube', 'config')
}

export const KUBECONFIG_SECTIONS = ['clusters', 'users', 'contexts'] as const
export type KubeconfigSection = (typeof KUBECONFIG_SECTIONS)[number]

/** The file as a yaml Document, or undefined when it does not exist. A broken file is an error, never overwritten. */
export async function readKubeconfig(file: string): Promise<Document | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  if (text.trim() === '') return undefined
  // Go's YAML (which kubectl uses) follows YAML 1.1; reading and writing in 1.1 keeps `on`/`yes` quoted.
  const doc = parseDocument(text, {version: '1.1', keepSourceTokens: false})
  const problem = doc.errors[0]
  if (problem || (doc.contents !== null && !isMap(doc.contents))) {
    const line = problem?.linePos?.[0].line
    throw new ClusterError('InvalidInput', `cannot update kubeconfig ${file}${line ? `:${line}` : ''}`, {
      why: problem?.message.split('\n')[0] ?? 'the file is not a YAML mapping',
      fix: `fix or move the file, or point KUBECONFIG at another file; kcluster leaves it untouched`,
    })
  }
  return doc
}

export function emptyKubeconfig(): Document {
  return new Document({apiVersion: 'v1', kind: 'Config', preferences: {}, clusters: [], users: [], contexts: [], 'current-context': ''}, {version: '1.1'})
}

/** Writes through a symlinked kubeconfig rather than replacing the link. */
export async function writeKubeconfig(file: string, doc: Document): Promise<void> {
  let target = file
  try {
    target = await realpath(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  await writeFileAtomic(target, doc.toString({lineWidth: 0, indentSeq: false}), 0o600)
}

/** The section's sequence, creating it when missing or `null` (kubectl writes `clusters: null`). */
export function section(doc: Document, name: KubeconfigSection): YAMLSeq {
  const existing = doc.get(name, true)
  if (isSeq(existing)) return existing
  const created = doc.createNode([]) as YAMLSeq
  doc.set(name, created)
  return created
}

export function indexOfNamed(seq: YAMLSeq, name: string): number {
  return seq.items.findIndex((item) => isMap(item) && item.get('name') === name)
}
