// kcluster-net, the cluster's in-network proxy (docs/networking.md): one container per cluster on the
// cluster network, NET_ADMIN in its own namespace only, holding the ClusterIPs and answering DNS. It
// runs kcluster's own code with the host's Node: the pause image (which kcluster builds) with the node
// binary, the libraries `ldd` lists for it, the kcluster package and the kcluster-addr helper
// bind-mounted read-only — no image to import, nothing from a registry. Linux only, like reaching pod
// IPs from the host; macOS would build an image instead (docs/networking.md "macOS").
import {createHash} from 'node:crypto'
import {existsSync, statSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import type Dockerode from 'dockerode'
import {execa} from 'execa'
import {NET_CONTROL_PORT} from '../../network/net-protocol.js'
import {DockerRuntimeError, engineStatus, tolerating} from './errors.js'
import {createPastPhantom, engineAway} from './engine-faults.js'
import {LABEL} from './labels.js'
import {PAUSE_IMAGE} from './pause-image.js'

export const NET_ROLE = 'net'
const CONFIG_LABEL = 'kcluster.io/net-config'
const ARCH: Partial<Record<NodeJS.Architecture, string>> = {x64: 'amd64', arm64: 'arm64'}

export function netContainerName(cluster: string): string {
  return `kcluster-net-${cluster}`
}

/** The kcluster package directory (dist/ and node_modules/), from src/ and dist/ alike. */
export function packageRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
}

export interface NetContainerOptions {
  docker: Dockerode
  cluster: string
  network: string
  /** The address to ask for (the top of the pod range, out of the way of Docker's bottom-up allocation). */
  ip?: string
  token: string
  ensurePauseImage(): Promise<unknown>
}

export interface NetContainer {
  id: string
  ip: string
  controlPort: number
}

/** The running kcluster-net of the cluster: adopted when its configuration is unchanged, made again otherwise. */
export async function ensureNetContainer(opts: NetContainerOptions): Promise<NetContainer> {
  const {docker, cluster} = opts
  const binds = await netBinds()
  const config = createHash('sha256').update(JSON.stringify({binds, token: opts.token, ip: opts.ip, network: opts.network, node: process.version})).digest('hex').slice(0, 16)
  const name = netContainerName(cluster)
  const existing = await tolerating([404], () => docker.getContainer(name).inspect())
  const adopted = existing?.Config.Labels?.[CONFIG_LABEL] === config && (existing.State.Running || (await startedAgain(docker, name)))
  if (!adopted) {
    if (existing) await tolerating([404, 409], () => docker.getContainer(name).remove({force: true}))
    await opts.ensurePauseImage()
    await create(opts, name, binds, config)
  }
  const info = await docker.getContainer(name).inspect()
  const ip = info.NetworkSettings.Networks?.[opts.network]?.IPAddress
  if (!ip) throw new DockerRuntimeError(`${name} has no address on ${opts.network}`, 'NetContainerError')
  return {id: info.Id, ip, controlPort: NET_CONTROL_PORT}
}

/**
 * Starts the stopped kcluster-net again. False when it cannot start again and is to be made anew: it
 * holds no state (the control plane sends it everything on connecting), and after an engine restart a
 * start can fail for good ("task ...: already exists"). An engine that does not answer is thrown, to be
 * retried: nothing is gained by a new container then.
 */
async function startedAgain(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await tolerating([304], () => docker.getContainer(name).start())
    return true
  } catch (error) {
    if (engineAway(error)) throw error
    return false
  }
}

async function create(opts: NetContainerOptions, name: string, binds: string[], config: string): Promise<void> {
  const options = (ip?: string) => ({
    name,
    Image: PAUSE_IMAGE,
    Entrypoint: ['/usr/local/bin/node'],
    Cmd: ['/kcluster/dist/cluster/network/net-agent/net-main.js'],
    Env: [`KCLUSTER_NET_TOKEN=${opts.token}`, `KCLUSTER_NET_LISTEN=${ip ?? '0.0.0.0'}`, 'NODE_ENV=production'],
    Labels: {[LABEL.cluster]: opts.cluster, [LABEL.role]: NET_ROLE, [CONFIG_LABEL]: config},
    HostConfig: {Binds: binds, CapAdd: ['NET_ADMIN'], NetworkMode: opts.network, RestartPolicy: {Name: 'unless-stopped'}},
    NetworkingConfig: {EndpointsConfig: {[opts.network]: ip ? {IPAMConfig: {IPv4Address: ip}} : {}}},
  })
  try {
    let container
    try {
      container = await createPastPhantom(opts.docker, name, () => opts.docker.createContainer(options(opts.ip)))
    } catch (error) {
      // The wanted address is taken (a pod got it): any address on the network does.
      if (!opts.ip || engineStatus(error) === 404) throw error
      container = await createPastPhantom(opts.docker, name, () => opts.docker.createContainer(options()))
    }
    await container.start()
  } catch (error) {
    throw new DockerRuntimeError(`create ${name}: ${(error as Error).message}`, 'NetContainerError', {cause: error})
  }
}

/** The binds do not change while the process runs: `ldd` runs once, not on every (re)connection to kcluster-net. */
let listed: Promise<string[]> | undefined
function netBinds(): Promise<string[]> {
  listed ??= listNetBinds().catch((error: unknown) => {
    listed = undefined
    throw error
  })
  return listed
}

/** node, its shared libraries (as `ldd` lists them), the package and kcluster-addr, each read-only at its own path or a fixed one. */
async function listNetBinds(): Promise<string[]> {
  const arch = ARCH[process.arch]
  const addr = join(packageRoot(), 'assets', 'net', `kcluster-addr-linux-${arch}`)
  if (!arch || !existsSync(addr)) throw new DockerRuntimeError(`no kcluster-addr helper for ${process.arch} at ${addr}; run assets/net/build.sh`, 'NetContainerError')
  const libraries = await sharedLibraries(process.execPath)
  return [`${process.execPath}:/usr/local/bin/node:ro`, ...libraries.map((lib) => `${lib}:${lib}:ro`), `${packageRoot()}:/kcluster:ro`, `${addr}:/kcluster-addr:ro`]
}

/** The files `ldd` names for a binary (`lib => /path (addr)` and the loader's own `/path (addr)` lines). */
export async function sharedLibraries(binary: string): Promise<string[]> {
  const {stdout} = await execa('ldd', [binary]).catch((error: unknown) => {
    throw new DockerRuntimeError(`ldd ${binary}: ${(error as Error).message}`, 'NetContainerError', {cause: error})
  })
  return parseLdd(stdout).filter((path) => existsSync(path) && statSync(path).isFile())
}

export function parseLdd(output: string): string[] {
  const paths: string[] = []
  for (const line of output.split('\n')) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line)
    if (match) paths.push(match[1]!)
  }
  return [...new Set(paths)]
}
