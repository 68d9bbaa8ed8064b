// `kcluster status`: what the state dir says (exists? pid alive?) plus, when running, the control
// plane's own report from `GET /kcluster/status`. Never throws for a missing or stopped cluster:
// those are states, and the CLI turns them into exit codes.
import {KubeApiError} from '../client/http-client.js'
import type {IngressListeners} from '../network/ingress-controller/ingress-controller.js'
import {readCertificates} from '../pki/certificates.js'
import type {DriverName} from '../runtime/registry.js'
import {apiUrl, clientFor} from './open-cluster.js'
import {runningPid} from './pid-file.js'
import {readConfig, statePaths} from './state-dir.js'

export type ClusterState = 'Running' | 'Degraded' | 'Stopped' | 'NotFound'

export interface ComponentStatus {
  name: string
  healthy: boolean
  message?: string
}

export interface ClusterStatus {
  name: string
  state: ClusterState
  stateDir: string
  driver?: DriverName
  apiURL?: string
  pid?: number
  /** RFC 3339, from the control plane. */
  startedAt?: string
  uptimeSeconds?: number
  components: ComponentStatus[]
  nodes: {name: string; ready: boolean}[]
  /** Keyed by `plural[.group]`. */
  objectCounts: Record<string, number>
  /** Why the cluster is not Running, in one line. */
  message?: string
  /** The built-in ingress controller's URLs, or why it has none (Docker clusters only). */
  ingress?: IngressListeners
}

/** The body of `GET /kcluster/status`, as the control plane serves it. */
interface ServerStatus {
  name: string
  driver: string
  startedAt: string
  apiURL: string
  components: ComponentStatus[]
  nodes: {name: string; ready: boolean}[]
  objectCounts: Record<string, number>
  ingress?: IngressListeners
}

export async function clusterStatus(name: string, options: {home?: string; now?: () => Date} = {}): Promise<ClusterStatus> {
  const paths = statePaths(name, options.home)
  const base = {stateDir: paths.dir, components: [], nodes: [], objectCounts: {}}
  const config = await readConfig(paths)
  if (!config) return {name, state: 'NotFound', ...base, message: `cluster "${name}" does not exist`}

  const known = {...base, driver: config.driver, apiURL: apiUrl(config.port)}
  const {pid} = await runningPid(paths.pid, name)
  if (pid === undefined) return {name, state: 'Stopped', ...known, message: `cluster "${name}" is stopped`}

  const certificates = await readCertificates(paths.pki)
  if (!certificates) return {name, state: 'Degraded', ...known, pid, message: `certificates are missing from ${paths.pki}`}
  const client = clientFor(config.port, certificates)
  let report: ServerStatus
  try {
    report = await client.get<ServerStatus>('/kcluster/status', {timeoutMs: 5000})
  } catch (error) {
    const why = error instanceof KubeApiError ? `${error.code} ${error.message}` : error instanceof Error ? error.message : String(error)
    return {name, state: 'Degraded', ...known, pid, message: `the control plane (pid ${pid}) does not answer: ${why}`}
  } finally {
    client.close()
  }

  const now = (options.now ?? (() => new Date()))()
  const started = Date.parse(report.startedAt)
  const unhealthy = [
    ...report.components.filter((c) => !c.healthy).map((c) => `${c.name}${c.message ? `: ${c.message}` : ''}`),
    ...report.nodes.filter((n) => !n.ready).map((n) => `node ${n.name} is not Ready`),
  ]
  return {
    name,
    state: unhealthy.length ? 'Degraded' : 'Running',
    ...known,
    pid,
    apiURL: report.apiURL || known.apiURL,
    startedAt: report.startedAt,
    uptimeSeconds: Number.isNaN(started) ? undefined : Math.max(0, Math.floor((now.getTime() - started) / 1000)),
    components: report.components,
    nodes: report.nodes,
    objectCounts: report.objectCounts,
    message: unhealthy.length ? unhealthy.join('; ') : undefined,
    ...(report.ingress ? {ingress: report.ingress} : {}),
  }
}
