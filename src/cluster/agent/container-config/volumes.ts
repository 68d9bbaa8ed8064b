// A pod's volumes on the host, laid out as the kubelet does (<podsDir>/<uid>/volumes/<plugin>/<name>),
// and a container's volumeMounts resolved against them: subPath and subPathExpr inside the volume,
// readOnly from the mount, and always read-only for configMap/secret/downwardAPI/projected volumes.
import type {Container, Volume} from 'kubernetes-types/core/v1.js'
import {chmod, lstat, mkdir, realpath, stat, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {parseQuantity} from '../../apiserver/strategies/quantity.js'
import type {ContainerMount, ContainerTmpfs} from '../../runtime/runtime.js'
import {configError, failedMount} from './config-error.js'
import type {DownwardContext} from './downward-api.js'
import {expand} from './expansion.js'
import type {EnvSources} from './env-sources.js'
import {isProjectedKind, volumePayload} from './volume-payloads.js'
import {writeAtomically} from './volume-writer.js'

/** Where a set-up volume lives: a host directory (or file, for hostPath), or a tmpfs the runtime creates. */
export type VolumeHandle =
  | {kind: 'host'; hostPath: string; forcedReadOnly: boolean; /** Whether subPaths may be created in it. */ writable: boolean}
  | {kind: 'tmpfs'; sizeBytes?: number}

const PLUGIN_DIRS: Record<string, string> = {
  emptyDir: 'kubernetes.io~empty-dir',
  configMap: 'kubernetes.io~configmap',
  secret: 'kubernetes.io~secret',
  downwardAPI: 'kubernetes.io~downward-api',
  projected: 'kubernetes.io~projected',
}

export function podDir(podsDir: string, podUid: string): string {
  if (!podUid || podUid.includes('/') || podUid.startsWith('.')) throw new Error(`invalid pod uid ${JSON.stringify(podUid)}`)
  return path.join(podsDir, podUid)
}

export function volumeDir(podsDir: string, podUid: string, v: Volume): string | undefined {
  const plugin = Object.keys(PLUGIN_DIRS).find((k) => v[k as keyof Volume] !== undefined)
  return plugin ? path.join(podDir(podsDir, podUid), 'volumes', PLUGIN_DIRS[plugin], v.name) : undefined
}

/** Sets one volume up (idempotent: an emptyDir keeps its contents, projected files are rewritten only when changed). */
export async function setUpVolume(podsDir: string, podUid: string, v: Volume, sources: EnvSources, ctx: DownwardContext): Promise<VolumeHandle> {
  try {
    if (v.emptyDir?.medium === 'Memory') {
      const limit = v.emptyDir.sizeLimit
      return {kind: 'tmpfs', ...(limit !== undefined && {sizeBytes: Number(parseQuantity(String(limit)).nano / 1_000_000_000n)})}
    }
    if (v.hostPath) return {kind: 'host', hostPath: await checkHostPath(v.hostPath.path, v.hostPath.type ?? ''), forcedReadOnly: false, writable: true}
    const dir = volumeDir(podsDir, podUid, v)
    if (!dir) throw new Error('volume type not supported by kcluster (emptyDir, hostPath, configMap, secret, downwardAPI and projected are)')
    // Secrets land on disk here (the kubelet uses tmpfs): keep other host users out. Containers reach
    // their volumes through bind mounts, which do not need the parent directories' permissions.
    await mkdir(podDir(podsDir, podUid), {recursive: true, mode: 0o700})
    if (v.emptyDir) {
      await mkdir(dir, {recursive: true})
      await chmod(dir, 0o777) // as the kubelet does, so a container running as any user can write
      return {kind: 'host', hostPath: dir, forcedReadOnly: false, writable: true}
    }
    await writeAtomically(dir, await volumePayload(v, sources, ctx))
    return {kind: 'host', hostPath: dir, forcedReadOnly: isProjectedKind(v), writable: false}
  } catch (error) {
    throw failedMount(v.name, error instanceof Error ? error.message : String(error), error)
  }
}

/** hostPath type checks (DirectoryOrCreate and FileOrCreate create what is missing). */
async function checkHostPath(p: string, type: string): Promise<string> {
  const info = await stat(p).catch(() => undefined)
  const fail = (what: string) => new Error(`hostPath type check failed: ${p} is not a ${what}`)
  switch (type) {
    case '':
      return p
    case 'DirectoryOrCreate':
      if (!info) await mkdir(p, {recursive: true, mode: 0o755})
      else if (!info.isDirectory()) throw fail('directory')
      return p
    case 'Directory':
      if (!info?.isDirectory()) throw fail('directory')
      return p
    case 'FileOrCreate':
      if (!info) {
        await mkdir(path.dirname(p), {recursive: true, mode: 0o755})
        await writeFile(p, '', {mode: 0o644, flag: 'a'})
      } else if (!info.isFile()) throw fail('file')
      return p
    case 'File':
      if (!info?.isFile()) throw fail('file')
      return p
    case 'Socket':
      if (!info?.isSocket()) throw fail('socket')
      return p
    case 'CharDevice':
      if (!info?.isCharacterDevice()) throw fail('character device')
      return p
    case 'BlockDevice':
      if (!info?.isBlockDevice()) throw fail('block device')
      return p
  }
  throw new Error(`hostPath type ${type} is not supported`)
}

export interface ContainerMounts {
  mounts: ContainerMount[]
  tmpfs: ContainerTmpfs[]
}

/** The container's volumeMounts as runtime mounts (makeMounts). Errors are CreateContainerConfigError, as in the kubelet. */
export async function containerMounts(container: Container, volumes: ReadonlyMap<string, VolumeHandle>, env: ReadonlyMap<string, string>): Promise<ContainerMounts> {
  const result: ContainerMounts = {mounts: [], tmpfs: []}
  for (const m of container.volumeMounts ?? []) {
    const handle = volumes.get(m.name)
    if (!handle) throw configError(`cannot find volume "${m.name}" to mount into container "${container.name}"`)
    const subPath = m.subPathExpr ? expandSubPath(m.subPathExpr, env) : (m.subPath ?? '')
    if (handle.kind === 'tmpfs') {
      if (subPath) throw configError(`subPath of memory-backed emptyDir "${m.name}" is not supported by kcluster`)
      result.tmpfs.push({containerPath: m.mountPath, ...(handle.sizeBytes !== undefined && {sizeBytes: handle.sizeBytes})})
      continue
    }
    const hostPath = subPath ? await prepareSubPath(handle, subPath, m.name, container.name) : handle.hostPath
    result.mounts.push({hostPath, containerPath: m.mountPath, readOnly: Boolean(m.readOnly) || handle.forcedReadOnly})
  }
  return result
}

/** ExpandContainerVolumeMounts: every referenced variable must have a non-empty value. */
function expandSubPath(expr: string, env: ReadonlyMap<string, string>): string {
  const missing = new Set<string>()
  const out = expand(expr, (name) => {
    const value = env.get(name)
    if (!value) missing.add(name)
    return value ?? ''
  })
  if (missing.size > 0) throw configError(`missing value for ${[...missing].sort().join(', ')}`)
  return out
}

/** The subPath inside the volume, created as a directory when missing, symlinks resolved but never out of the volume. */
async function prepareSubPath(handle: Extract<VolumeHandle, {kind: 'host'}>, subPath: string, volume: string, container: string): Promise<string> {
  if (path.isAbsolute(subPath)) throw configError(`error SubPath \`${subPath}\` must not be an absolute path`)
  if (subPath.split('/').includes('..')) throw configError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`)
  const joined = path.join(handle.hostPath, subPath)
  const exists = await lstat(joined).then(() => true, () => false)
  if (!exists) {
    if (!handle.writable) throw configError(`failed to prepare subPath for volumeMount "${volume}" of container "${container}": ${subPath} does not exist`)
    const parent = await stat(handle.hostPath)
    await mkdir(joined, {recursive: true, mode: parent.mode & 0o777})
  }
  const [root, resolved] = await Promise.all([realpath(handle.hostPath), realpath(joined)])
  if (resolved !== root && !resolved.startsWith(root + path.sep)) {
    throw configError(`failed to prepare subPath for volumeMount "${volume}" of container "${container}": subpath "${resolved}" not within volume path "${root}"`)
  }
  return resolved
}
