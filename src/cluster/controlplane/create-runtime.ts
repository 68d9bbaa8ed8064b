// The container runtime a control plane's kubelets drive, by driver. Docker's module (and dockerode,
// ~100 ms to load) is imported only for Docker clusters.
import {join} from 'node:path'
import type {StreamRuntime} from '../apiserver/streams/stream-runtime.js'
import type {Clock} from '../clock.js'
import {ClusterError} from '../lifecycle/cluster-error.js'
import type {ContainerRuntime} from '../runtime/runtime.js'
import {SimulatedRuntime} from '../runtime/simulated/simulated-runtime.js'

export interface NodeRuntime {
  runtime: ContainerRuntime
  /** exec, attach and port-forward; absent where the runtime has no processes (sim). */
  streams?: StreamRuntime
  /** A clean stop of the control plane: Docker stops every pod container (they restart with the next start). */
  shutdown(): Promise<void>
  /** kcluster-net, for runtimes whose pods share a network where ClusterIPs can live (Docker). */
  clusterNetwork?: {ensureNetContainer(token: string): Promise<{ip: string; controlPort: number} | undefined>}
}

export interface RuntimeOptions {
  driver: 'sim' | 'docker'
  cluster: string
  stateDir: string
  clock: Clock
  simStartDelayMs?: number
}

export async function createRuntime(opts: RuntimeOptions): Promise<NodeRuntime> {
  if (opts.driver === 'docker') {
    const {DockerRuntime, DockerStreams, stopAllContainers} = await import('../runtime/docker/index.js')
    const runtime = new DockerRuntime({cluster: opts.cluster, clock: opts.clock})
    const available = await runtime.available()
    if (!available.ok) throw new ClusterError('DriverUnavailable', 'the Docker engine cannot be used', {why: available.reason, fix: available.fix})
    return {runtime, streams: new DockerStreams(runtime), shutdown: async () => void (await stopAllContainers(opts.cluster)), clusterNetwork: runtime}
  }
  const runtime = new SimulatedRuntime({clock: opts.clock, startDelayMs: opts.simStartDelayMs, statePath: join(opts.stateDir, 'sim-runtime.json')})
  return {runtime, shutdown: async () => runtime.flush()}
}
