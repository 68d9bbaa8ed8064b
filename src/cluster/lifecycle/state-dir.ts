// Where a cluster keeps everything it owns: `<home>/<name>/` with config.json, the store, the PKI, the
// pid file and the control-plane log. The API port is chosen once and kept in config.json so the
// kubeconfig written at the first start stays valid across restarts.
import {mkdir, readFile, rm} from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type {DriverName} from '../runtime/registry.js'
import {writeFileAtomic} from './atomic-write.js'
import {ClusterError} from './cluster-error.js'

export const DEFAULT_CLUSTER_NAME = 'kcluster'

/** ` --name N` for hints in messages, empty for the default cluster. */
export function nameArg(name: string): string {
  return name === DEFAULT_CLUSTER_NAME ? '' : ` --name ${name}`
}

export interface ClusterConfig {
  name: string
  driver: DriverName
  port: number
  /** RFC 3339. */
  createdAt: string
  /** The kubeconfig file `start` last merged the context into, so `delete` cleans the same file. */
  kubeconfig?: string
  /** Simulated runtime: how long a container takes to start (default 50 ms). */
  simStartDelayMs?: number
  /** Pods each node admits (default 110). */
  nodePods?: number
  /** Nodes the cluster was created with (default 1); later nodes come from `kcluster node add`. */
  nodes?: number
  /** Each node's cpu and memory (Kubernetes quantities; default: the host's). */
  nodeCpu?: string
  nodeMemory?: string
  /** How long a node may miss heartbeats before it is NotReady (default 40 s, kube-controller-manager's). */
  nodeMonitorGraceMs?: number
}

/** Settings any start may change; they take effect when the control plane (re)starts. */
export const TUNABLE_SETTINGS = ['simStartDelayMs', 'nodePods', 'nodeCpu', 'nodeMemory', 'nodeMonitorGraceMs'] as const

export interface StatePaths {
  home: string
  dir: string
  config: string
  store: string
  pki: string
  pid: string
  log: string
}

/** `$KCLUSTER_HOME`, or `~/.kcluster`. */
export function kclusterHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.KCLUSTER_HOME ? path.resolve(env.KCLUSTER_HOME) : path.join(os.homedir(), '.kcluster')
}

// The name becomes a directory, a kubeconfig context and the Node's name, so it must be a DNS label.
const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/

export function validateClusterName(name: string): void {
  if (name.length > 63 || !NAME_PATTERN.test(name)) {
    throw new ClusterError('InvalidInput', `invalid cluster name "${name}"`, {
      why: 'the name is used as a directory, a kubeconfig context and the node name, so it must be a DNS label',
      fix: 'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit (e.g. --name dev-1)',
    })
  }
}

export function statePaths(name: string, home = kclusterHome()): StatePaths {
  validateClusterName(name)
  const dir = path.join(home, name)
  return {
    home,
    dir,
    config: path.join(dir, 'config.json'),
    store: path.join(dir, 'store.db'),
    pki: path.join(dir, 'pki'),
    pid: path.join(dir, 'control-plane.pid'),
    log: path.join(dir, 'control-plane.log'),
  }
}

/** The cluster's config, or undefined when the cluster was never created. */
export async function readConfig(paths: StatePaths): Promise<ClusterConfig | undefined> {
  let text: string
  try {
    text = await readFile(paths.config, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    const config = JSON.parse(text) as ClusterConfig
    if (typeof config.port !== 'number' || typeof config.driver !== 'string') throw new Error('missing port or driver')
    return config
  } catch (error) {
    throw new ClusterError('InvalidInput', `cannot read ${paths.config}`, {
      why: error instanceof Error ? error.message : String(error),
      fix: `fix the file by hand, or remove the cluster with: kcluster delete${nameArg(path.basename(paths.dir))}`,
      cause: error,
    })
  }
}

export async function writeConfig(paths: StatePaths, config: ClusterConfig): Promise<void> {
  await mkdir(paths.dir, {recursive: true, mode: 0o700})
  await writeFileAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`, 0o600)
}

/** Removes everything the cluster owns: store, certificates, logs, config. */
export async function removeStateDir(paths: StatePaths): Promise<void> {
  await rm(paths.dir, {recursive: true, force: true})
}

/** A port the OS says is free on 127.0.0.1 right now. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.once('error', reject)
    server.listen({host: '127.0.0.1', port: 0}, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

/** Whether something already listens on 127.0.0.1:port (used to explain a start that cannot bind). */
export async function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.unref()
    server.once('error', () => resolve(true))
    server.listen({host: '127.0.0.1', port}, () => server.close(() => resolve(false)))
  })
}
