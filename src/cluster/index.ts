// The façade the CLI commands call. Each command makes one call here; everything below is reachable
// only through these functions and types.
import {applyDocuments, type ApplyOptions, type ApplyResult} from './apply/apply-manifests.js'
import {standaloneKubeconfig} from './kubeconfig/standalone.js'
import {ClusterError} from './lifecycle/cluster-error.js'
import {apiUrl, connect, findCluster} from './lifecycle/open-cluster.js'
import {planStart, startResult, type StartOptions, type StartResult} from './lifecycle/start.js'
import {nameArg} from './lifecycle/state-dir.js'
import {runStepsQuietly} from './lifecycle/steps.js'
import {readCertificates} from './pki/certificates.js'

export {ClusterError, type ClusterErrorCode} from './lifecycle/cluster-error.js'
export {DEFAULT_CLUSTER_NAME, kclusterHome} from './lifecycle/state-dir.js'
export {parseDuration, parseGracePeriod} from './lifecycle/duration.js'
export {parseQuantityFlag} from './lifecycle/quantity-flag.js'
export type {Step, StepUi} from './lifecycle/steps.js'
export {planStart, startResult, type StartContext, type StartOptions, type StartResult} from './lifecycle/start.js'
export {stopCluster, type StopResult} from './lifecycle/stop.js'
export {deleteCluster, type DeleteResult} from './lifecycle/delete.js'
export {clusterStatus, type ClusterState, type ClusterStatus, type ComponentStatus} from './lifecycle/status.js'
export {runControlPlane, type RunningControlPlane} from './lifecycle/run-control-plane.js'
export type {DriverRequest} from './lifecycle/drivers.js'
export type {ApplyOptions, ApplyResult} from './apply/apply-manifests.js'
export type {AppliedObject, ApplyAction} from './apply/apply-object.js'
export type {ManifestProblem} from './apply/read-manifests.js'

/** Starts (or resumes) a cluster with no progress output. Not for --foreground: use planStart and keep the context. */
export async function startCluster(options: StartOptions): Promise<StartResult> {
  const {steps, context} = planStart({...options, foreground: false})
  await runStepsQuietly(steps, context)
  return startResult(context)
}

/** A kubeconfig holding only this cluster, valid whether or not it runs. */
export async function kubeconfigFor(name: string, home?: string): Promise<string> {
  const handle = await findCluster(name, home)
  const certificates = await readCertificates(handle.paths.pki)
  if (!certificates) {
    throw new ClusterError('NotFound', `cluster "${name}" has no certificates yet`, {
      why: `${handle.paths.pki} is incomplete`,
      fix: `start it once with: kcluster start${nameArg(name)}`,
    })
  }
  return standaloneKubeconfig({name, server: apiUrl(handle.config.port), certificates})
}

/** Applies manifests to a running cluster; problems are returned, not thrown, so good documents still count. */
export async function applyManifests(name: string, options: ApplyOptions & {home?: string}): Promise<ApplyResult> {
  const {client} = await connect(name, options.home)
  try {
    return await applyDocuments(client, options)
  } finally {
    client.close()
  }
}

export {addNode, type AddNodeOptions, type AddNodeResult} from './nodes/add-node.js'
export {removeNode, type RemoveNodeOptions, type RemoveNodeResult} from './nodes/remove-node.js'
export {setNodeHeartbeat, type HeartbeatResult} from './nodes/heartbeat.js'
