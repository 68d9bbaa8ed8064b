// `kcluster start` as steps: pick the driver, prepare the state dir (port chosen once), certificates,
// the control plane (detached, or in this process with --foreground), optionally the Node's
// readiness, and the kubeconfig context. Starting a running cluster only refreshes the kubeconfig.
import type {HttpClient} from '../client/http-client.js'
import {kubeconfigPath} from '../kubeconfig/kubeconfig-file.js'
import {mergeKubeconfig} from '../kubeconfig/merge.js'
import {ensureCertificates, type ClusterCertificates} from '../pki/certificates.js'
import type {DriverName} from '../runtime/registry.js'
import {ClusterError} from './cluster-error.js'
import {acquireStartLock} from './start-lock.js'
import {logTail, spawnControlPlane} from './daemon.js'
import {resolveDriver, type DriverRequest} from './drivers.js'
import {apiUrl, clientFor} from './open-cluster.js'
import {runningPid, writePid} from './pid-file.js'
import {runControlPlane, type RunningControlPlane} from './run-control-plane.js'
import {findFreePort, nameArg, portInUse, readConfig, statePaths, TUNABLE_SETTINGS, writeConfig, type ClusterConfig, type StatePaths} from './state-dir.js'
import type {Step} from './steps.js'
import {stopControlPlane} from './stop.js'
import {waitForApi, waitForNodeReady} from './wait-ready.js'

/**
 * The node and runtime settings are ClusterConfig's (documented there): the tunable ones are kept in
 * config.json and may change on any start; `nodes` only shapes a new cluster.
 */
export interface StartOptions extends Partial<Pick<ClusterConfig, (typeof TUNABLE_SETTINGS)[number] | 'nodes'>> {
  name: string
  driver: DriverRequest
  port?: number
  foreground?: boolean
  /** Also wait this long for the Node to be Ready. */
  waitMs?: number
  home?: string
  env?: NodeJS.ProcessEnv
}

export interface StartResult {
  name: string
  context: string
  driver: DriverName
  apiURL: string
  port: number
  pid: number
  stateDir: string
  kubeconfig: string
  created: boolean
  alreadyRunning: boolean
  nodeReady?: boolean
  notices: string[]
}

export interface StartContext {
  options: StartOptions
  paths: StatePaths
  config?: ClusterConfig
  created: boolean
  driver?: DriverName
  notices: string[]
  certificates?: ClusterCertificates
  client?: HttpClient
  pid?: number
  alreadyRunning: boolean
  nodeReady?: boolean
  kubeconfig?: string
  /** Set with --foreground: the control plane running in this process. */
  foreground?: RunningControlPlane
  /** Releases the start lock (taken by the first step, released by the last one or at exit). */
  releaseLock?: () => void
}

const API_TIMEOUT_MS = 60_000

export function planStart(options: StartOptions): {steps: Step<StartContext>[]; context: StartContext} {
  const context: StartContext = {options, paths: statePaths(options.name, options.home), created: false, notices: [], alreadyRunning: false}
  const steps: Step<StartContext>[] = [
    {title: 'Choosing a driver', run: chooseDriver},
    {title: 'Preparing the state directory', run: prepareState},
    {title: 'Preparing certificates', run: prepareCertificates},
    {title: 'Starting the control plane', run: startControlPlaneStep},
    {title: `Waiting for node ${options.name} to be Ready`, enabled: (ctx) => Boolean(ctx.options.waitMs), run: waitForNode},
    {title: 'Configuring kubectl', run: configureKubectl},
  ]
  return {steps, context}
}

/** The typed result once every step ran. */
export function startResult(ctx: StartContext): StartResult {
  if (!ctx.config || !ctx.driver || ctx.pid === undefined || !ctx.kubeconfig) throw new Error('start did not complete')
  return {
    name: ctx.options.name,
    context: ctx.options.name,
    driver: ctx.driver,
    apiURL: apiUrl(ctx.config.port),
    port: ctx.config.port,
    pid: ctx.pid,
    stateDir: ctx.paths.dir,
    kubeconfig: ctx.kubeconfig,
    created: ctx.created,
    alreadyRunning: ctx.alreadyRunning,
    nodeReady: ctx.nodeReady,
    notices: ctx.notices,
  }
}

async function chooseDriver(ctx: StartContext, ui: {setTitle(t: string): void}): Promise<void> {
  const {name, driver} = ctx.options
  ctx.releaseLock = acquireStartLock(ctx.paths)
  ctx.config = await readConfig(ctx.paths)
  if (ctx.config) {
    if (driver !== 'auto' && driver !== ctx.config.driver) {
      throw new ClusterError('InvalidInput', `cluster "${name}" was created with the ${ctx.config.driver} driver`, {
        why: 'a cluster keeps its driver for its whole life',
        fix: `omit --driver to resume it, or delete it first: kcluster delete${nameArg(name)}`,
      })
    }
    ctx.driver = ctx.config.driver
    ui.setTitle(`Driver: ${ctx.driver} (kept from the existing cluster)`)
    return
  }
  const resolved = await resolveDriver(driver)
  ctx.driver = resolved.driver
  if (resolved.notice) ctx.notices.push(resolved.notice)
  ui.setTitle(resolved.notice ? `Driver: ${resolved.driver} (${resolved.notice})` : `Driver: ${resolved.driver}`)
}

async function prepareState(ctx: StartContext, ui: {setTitle(t: string): void}): Promise<void> {
  const {name, port} = ctx.options
  ctx.pid = (await runningPid(ctx.paths.pid, name)).pid
  ctx.alreadyRunning = ctx.pid !== undefined
  if (ctx.config) {
    if (port !== undefined && port !== ctx.config.port) {
      throw new ClusterError('InvalidInput', `cluster "${name}" uses port ${ctx.config.port}`, {
        why: 'the port is chosen once so the kubeconfig stays valid',
        fix: `omit --port to resume it, or delete it first: kcluster delete${nameArg(name)}`,
      })
    }
    if (!ctx.alreadyRunning) await ensurePortFree(ctx.config.port, name, `delete the cluster (kcluster delete${nameArg(name)}) and start it with another --port`)
    const changed: Partial<ClusterConfig> = {}
    for (const key of TUNABLE_SETTINGS) {
      const value = ctx.options[key]
      if (value !== undefined && value !== ctx.config[key]) Object.assign(changed, {[key]: value})
    }
    if (ctx.options.nodes !== undefined && ctx.options.nodes !== (ctx.config.nodes ?? 1)) {
      ctx.notices.push(`--nodes only shapes a new cluster; add nodes with: kcluster node add NAME${nameArg(name)}`)
    }
    if (Object.keys(changed).length > 0) {
      ctx.config = {...ctx.config, ...changed}
      await writeConfig(ctx.paths, ctx.config)
      if (ctx.alreadyRunning) ctx.notices.push('the new node settings apply from the next start (the cluster is running)')
    }
    ui.setTitle(`Using ${ctx.paths.dir} (port ${ctx.config.port})`)
    return
  }
  if (port !== undefined) await ensurePortFree(port, name, 'choose another --port, or omit it to get a free one')
  ctx.config = {name, driver: ctx.driver!, port: port ?? (await findFreePort()), createdAt: new Date().toISOString()}
  for (const key of TUNABLE_SETTINGS) if (ctx.options[key] !== undefined) Object.assign(ctx.config, {[key]: ctx.options[key]})
  if (ctx.options.nodes !== undefined) ctx.config.nodes = ctx.options.nodes
  await writeConfig(ctx.paths, ctx.config)
  ctx.created = true
  ui.setTitle(`Created ${ctx.paths.dir} (port ${ctx.config.port})`)
}

async function ensurePortFree(port: number, name: string, alternative: string): Promise<void> {
  if (await portInUse(port)) {
    throw new ClusterError('StartFailed', `port ${port} on 127.0.0.1 is already in use`, {
      why: `cluster "${name}" serves its API on that port and another program holds it`,
      fix: `stop the other program (find it with: ss -ltnp 'sport = :${port}'), or ${alternative}`,
    })
  }
}

async function prepareCertificates(ctx: StartContext, ui: {setTitle(t: string): void}): Promise<void> {
  ctx.certificates = await ensureCertificates(ctx.paths.pki)
  ctx.client = clientFor(ctx.config!.port, ctx.certificates)
  ui.setTitle(`Certificates in ${ctx.paths.pki}`)
}

async function startControlPlaneStep(ctx: StartContext, ui: {setTitle(t: string): void}): Promise<void> {
  const {name} = ctx.options
  const client = ctx.client!
  if (ctx.alreadyRunning) {
    const ready = await waitForApi(client, {timeoutMs: API_TIMEOUT_MS})
    if (!ready.ok) throw await startFailure(ctx, `the running control plane (pid ${ctx.pid}) does not answer: ${ready.reason}`, 0)
    ui.setTitle(`Control plane already running (pid ${ctx.pid})`)
    return
  }
  if (ctx.options.foreground) {
    ctx.foreground = await runControlPlane(name, ctx.paths.home)
    ctx.pid = process.pid
    const ready = await waitForApi(client, {timeoutMs: API_TIMEOUT_MS})
    if (!ready.ok) {
      await ctx.foreground.stop()
      throw await startFailure(ctx, ready.reason)
    }
    ui.setTitle(`Control plane running in this process (pid ${process.pid}) at ${apiUrl(ctx.config!.port)}`)
    return
  }

  const spawned = spawnControlPlane(name, ctx.paths, ctx.options.env)
  // Written now (the child rewrites it) so a second `start` during boot sees this one.
  await writePid(ctx.paths.pid, spawned.pid)
  const ready = await waitForApi(client, {timeoutMs: Math.max(API_TIMEOUT_MS, ctx.options.waitMs ?? 0), abandon: spawned.exited})
  if (!ready.ok) {
    await stopControlPlane(ctx.paths.pid, name, {graceMs: 5000})
    throw await startFailure(ctx, ready.reason, spawned.logOffset)
  }
  spawned.detach()
  ctx.pid = spawned.pid
  ui.setTitle(`Control plane running (pid ${spawned.pid}) at ${apiUrl(ctx.config!.port)}`)
}

/** A start failure; `tailFrom` is where in the log this run's lines start (omit when logs went to stdout). */
async function startFailure(ctx: StartContext, reason: string, tailFrom?: number): Promise<ClusterError> {
  const tail = tailFrom === undefined ? [] : await logTail(ctx.paths.log, 20, tailFrom)
  const lines = tail.map((l) => `  ${l}`).join('\n')
  return new ClusterError('StartFailed', `cluster "${ctx.options.name}" did not start`, {
    why: tail.length ? `${reason}\nlast ${tail.length} lines of ${ctx.paths.log}:\n${lines}` : reason,
    fix: `read the whole log in ${ctx.paths.log}; run kcluster start${nameArg(ctx.options.name)} --foreground to watch it boot`,
  })
}

async function waitForNode(ctx: StartContext, ui: {setTitle(t: string): void}): Promise<void> {
  const {name, waitMs} = ctx.options
  const outcome = await waitForNodeReady(ctx.client!, name, {timeoutMs: waitMs!, abandon: undefined})
  if (!outcome.ok) {
    throw new ClusterError('Timeout', `node ${name} did not become Ready`, {
      why: outcome.reason,
      fix: `the control plane keeps running; check it with: kcluster status${nameArg(name)} (logs in ${ctx.paths.log})`,
    })
  }
  ctx.nodeReady = true
  ui.setTitle(`Node ${name} is Ready`)
}

async function configureKubectl(ctx: StartContext, ui: {setTitle(t: string): void}): Promise<void> {
  const file = kubeconfigPath(ctx.options.env)
  await mergeKubeconfig(file, {name: ctx.options.name, server: apiUrl(ctx.config!.port), certificates: ctx.certificates!})
  if (ctx.config!.kubeconfig !== file) {
    ctx.config = {...ctx.config!, kubeconfig: file}
    await writeConfig(ctx.paths, ctx.config)
  }
  ctx.kubeconfig = file
  ctx.client?.close()
  ctx.releaseLock?.()
  ui.setTitle(`Context "${ctx.options.name}" set as current in ${file}`)
}
