// What every command after `start` needs: the cluster's config, whether its control plane runs, and
// an HTTPS client with the admin identity. Missing or stopped clusters become errors that say what to run.
import {HttpClient} from '../client/http-client.js'
import {readCertificates, type ClusterCertificates} from '../pki/certificates.js'
import {ClusterError} from './cluster-error.js'
import {runningPid} from './pid-file.js'
import {nameArg, readConfig, statePaths, type ClusterConfig, type StatePaths} from './state-dir.js'

export interface ClusterHandle {
  name: string
  paths: StatePaths
  config: ClusterConfig
  /** The live control plane's pid, if any. */
  pid?: number
}

export function apiUrl(port: number): string {
  return `https://127.0.0.1:${port}`
}

export function clientFor(port: number, certificates: ClusterCertificates): HttpClient {
  return new HttpClient({server: apiUrl(port), ca: certificates.caCert, cert: certificates.adminCert, key: certificates.adminKey})
}

/** The cluster's state; NotFound when it was never created. */
export async function findCluster(name: string, home?: string): Promise<ClusterHandle> {
  const paths = statePaths(name, home)
  const config = await readConfig(paths)
  if (!config) {
    throw new ClusterError('NotFound', `cluster "${name}" does not exist`, {
      why: `there is no ${paths.config}`,
      fix: `create it with: kcluster start${nameArg(name)}`,
    })
  }
  const {pid} = await runningPid(paths.pid, name)
  return {name, paths, config, pid}
}

/** A client for a running cluster; NotRunning when its control plane is down. */
export async function connect(name: string, home?: string): Promise<ClusterHandle & {client: HttpClient; certificates: ClusterCertificates}> {
  const handle = await findCluster(name, home)
  if (handle.pid === undefined) {
    throw new ClusterError('NotRunning', `cluster "${name}" is not running`, {fix: startHint(name)})
  }
  const certificates = await readCertificates(handle.paths.pki)
  if (!certificates) {
    throw new ClusterError('NotRunning', `cluster "${name}" has no certificates in ${handle.paths.pki}`, {fix: startHint(name)})
  }
  return {...handle, certificates, client: clientFor(handle.config.port, certificates)}
}

function startHint(name: string): string {
  return `start it with: kcluster start${nameArg(name)}`
}
