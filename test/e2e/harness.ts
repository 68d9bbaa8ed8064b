// Drives the real CLI (bin/run.js, built) and the real kubectl against a cluster in a temporary home.
// Every cluster gets its own KCLUSTER_HOME, KUBECONFIG and kubectl cache, so tests never touch the
// user's files and can run side by side.
import {afterAll, beforeAll} from 'vitest'
import {pollUntil} from '../support/eventually.js'
import {execa} from 'execa'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {randomBytes} from 'node:crypto'

export const REPO = resolve(import.meta.dirname, '../..')
export const CLI = join(REPO, 'bin/run.js')

export interface RunOptions {
  input?: string
  env?: Record<string, string>
  timeout?: number
}

export interface RunResult {
  exitCode: number
  stdout: string
  stderr: string
  /** stdout and stderr interleaved. */
  all: string
}

async function run(file: string, args: string[], env: Record<string, string>, opts: RunOptions): Promise<RunResult> {
  const r = await execa(file, args, {env: {...env, ...opts.env}, input: opts.input, reject: false, timeout: opts.timeout ?? 60_000, all: true})
  return {exitCode: r.exitCode ?? -1, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), all: String(r.all ?? '')}
}

export interface E2ECluster {
  name: string
  driver: string
  home: string
  kubeconfig: string
  env: Record<string, string>
  kubectl(args: string[], opts?: RunOptions): Promise<RunResult>
  kcluster(args: string[], opts?: RunOptions): Promise<RunResult>
  /** Run kubectl and fail with its stderr unless it exits 0. */
  kubectlOk(args: string[], opts?: RunOptions): Promise<string>
  destroy(): Promise<void>
}

export async function startE2ECluster(driver: 'sim' | 'docker', extraStartArgs: string[] = []): Promise<E2ECluster> {
  const base = mkdtempSync(join(tmpdir(), 'kcluster-e2e-'))
  const name = `e2e-${randomBytes(3).toString('hex')}`
  const home = join(base, 'home')
  const kubeconfig = join(base, 'kubeconfig')
  const env: Record<string, string> = {
    KCLUSTER_HOME: home,
    KUBECONFIG: kubeconfig,
    HOME: base,
    NO_COLOR: '1',
    CI: process.env.CI ?? '',
  }
  const kcluster = (args: string[], opts: RunOptions = {}) => run(process.execPath, [CLI, ...args], env, opts)
  const kubectl = (args: string[], opts: RunOptions = {}) => run('kubectl', [`--cache-dir=${join(base, 'kube-cache')}`, ...args], env, opts)
  const started = await kcluster(['start', '--name', name, '--driver', driver, '--wait', '60s', ...extraStartArgs], {timeout: 120_000})
  if (started.exitCode !== 0) {
    rmSync(base, {recursive: true, force: true})
    throw new Error(`kcluster start failed (${started.exitCode}):\n${started.all}`)
  }
  return {
    name,
    driver,
    home,
    kubeconfig,
    env,
    kubectl,
    kcluster,
    async kubectlOk(args, opts) {
      const r = await kubectl(args, opts)
      if (r.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.exitCode}): ${r.stderr}\n${r.stdout}`)
      return r.stdout
    },
    async destroy() {
      const deleted = await kcluster(['delete', '--name', name], {timeout: 60_000})
      rmSync(base, {recursive: true, force: true})
      if (deleted.exitCode !== 0) throw new Error(`kcluster delete failed (${deleted.exitCode}):\n${deleted.all}`)
    },
  }
}

/** Poll until fn returns a truthy value or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000, intervalMs = 200): Promise<T> {
  return pollUntil(fn, what, timeoutMs, intervalMs)
}

/**
 * Starts a cluster for the enclosing describe block (beforeAll) and deletes it after (afterAll);
 * returns the getter the cases take.
 */
export function useE2ECluster(driver: 'sim' | 'docker', extraStartArgs: string[] = []): () => E2ECluster {
  let cluster: E2ECluster
  beforeAll(async () => {
    cluster = await startE2ECluster(driver, extraStartArgs)
  }, 120_000)
  afterAll(async () => cluster?.destroy())
  return () => cluster
}
