// The kubelet's AtomicWriter: a volume directory whose files change all at once. The payload is
// written to a fresh timestamped directory, then the `..data` symlink is swapped to it with a rename
// (atomic), so a reader that goes through `..data` sees the old set or the new set, never a mix.
// User-visible names are symlinks `name -> ..data/name`, created once; removed names are unlinked.
import {randomBytes} from 'node:crypto'
import {chmod, lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

export interface FileProjection {
  data: Buffer
  /** Permission bits, e.g. 0o644. */
  mode: number
}

/** Relative file path (may contain `/`) → contents. */
export type Payload = Map<string, FileProjection>

const DATA_DIR = '..data'
const DATA_TMP = '..data_tmp'

export class PayloadPathError extends Error {
  override name = 'PayloadPathError'
  readonly code = 'InvalidPayloadPath'
}

/** Serialises writers of one directory (several containers of a pod may set up its volumes at once). */
const writers = new Map<string, Promise<unknown>>()

/** Makes `dir` hold exactly `payload`; resolves true when anything changed. */
export function writeAtomically(dir: string, payload: Payload): Promise<boolean> {
  const previous = writers.get(dir) ?? Promise.resolve()
  const next = previous.catch(() => undefined).then(() => write(dir, payload))
  writers.set(dir, next)
  void next.finally(() => {
    if (writers.get(dir) === next) writers.delete(dir)
  }).catch(() => undefined)
  return next
}

async function write(dir: string, payload: Payload): Promise<boolean> {
  for (const p of payload.keys()) validatePayloadPath(p)
  await mkdir(dir, {recursive: true})
  const oldTs = await readlink(path.join(dir, DATA_DIR)).catch(() => undefined)
  const oldFiles = oldTs ? await listFiles(path.join(dir, oldTs)) : []
  if (oldTs && (await sameContents(path.join(dir, oldTs), oldFiles, payload))) {
    await createUserVisible(dir, payload)
    return false
  }
  const newTs = timestampedName(new Date())
  const tsDir = path.join(dir, newTs)
  await mkdir(tsDir, {mode: 0o755})
  for (const [rel, file] of payload) {
    const target = path.join(tsDir, rel)
    await mkdir(path.dirname(target), {recursive: true, mode: 0o755})
    await writeFile(target, file.data, {mode: file.mode})
    await chmod(target, file.mode) // writeFile's mode is filtered by the umask
  }
  await chmod(tsDir, 0o755)
  await rm(path.join(dir, DATA_TMP), {force: true})
  await symlink(newTs, path.join(dir, DATA_TMP))
  await rename(path.join(dir, DATA_TMP), path.join(dir, DATA_DIR))
  await createUserVisible(dir, payload)
  const kept = new Set([...payload.keys()].map(topLevel))
  for (const name of new Set(oldFiles.map(topLevel))) if (!kept.has(name)) await rm(path.join(dir, name), {force: true})
  if (oldTs) await rm(path.join(dir, oldTs), {recursive: true, force: true})
  return true
}

/** `..2006_01_02_15_04_05.<random>`, the kubelet's name for a payload directory. */
function timestampedName(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const stamp = `${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}`
  return `..${stamp}.${randomBytes(5).toString('hex')}`
}

/** validatePath: relative, no `..` element, not starting with `..` (those names belong to the writer). */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new PayloadPathError('invalid path: must not be empty')
  if (path.isAbsolute(p)) throw new PayloadPathError(`invalid path: must be relative path: ${p}`)
  if (p.split('/').includes('..')) throw new PayloadPathError(`invalid path: must not contain '..': ${p}`)
  if (p.startsWith('..')) throw new PayloadPathError(`invalid path: must not start with '..': ${p}`)
}

const topLevel = (p: string) => p.split('/').filter(Boolean)[0] ?? p

async function createUserVisible(dir: string, payload: Payload): Promise<void> {
  for (const name of new Set([...payload.keys()].map(topLevel))) {
    const link = path.join(dir, name)
    const exists = await lstat(link).then(() => true, () => false)
    if (!exists) await symlink(path.join(DATA_DIR, name), link)
  }
}

/** Every regular file under `root`, as paths relative to it. */
async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, {recursive: true, withFileTypes: true}).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => path.relative(root, path.join(e.parentPath, e.name)))
}

async function sameContents(root: string, files: string[], payload: Payload): Promise<boolean> {
  if (files.length !== payload.size) return false
  for (const rel of files) {
    const want = payload.get(rel)
    if (!want) return false
    const full = path.join(root, rel)
    const [info, data] = await Promise.all([stat(full), readFile(full)])
    if ((info.mode & 0o7777) !== want.mode || !data.equals(want.data)) return false
  }
  return true
}

/** Whether `dir` was ever written by this writer (its `..data` link exists). */
export async function hasPayload(dir: string): Promise<boolean> {
  return lstat(path.join(dir, DATA_DIR)).then((s) => s.isSymbolicLink(), () => false)
}
