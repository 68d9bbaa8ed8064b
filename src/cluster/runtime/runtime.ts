// The node agent drives containers through this small interface; Docker and the simulated runtime
// implement it. Streams (exec, attach, port-forward) get their own interface rather than growing this one.
import type {ClusterAddressing} from '../network/cluster-addressing.js'

export interface ContainerSpec {
  /** Pod identity, also written as labels so state can be rediscovered from the runtime. */
  namespace: string
  podName: string
  podUid: string
  containerName: string
  image: string
  command?: string[]
  args?: string[]
  env?: Record<string, string>
  restartCount: number
  /** Optional settings a runtime may honour (the Docker runtime does; the simulated one ignores them). */
  workingDir?: string
  /** resources.limits.memory in bytes. */
  memoryLimitBytes?: number
  /** resources.limits.cpu in millicores (500 = half a CPU). */
  cpuLimitMillicores?: number
  /** `uid`, `uid:gid` or a user name (securityContext.runAsUser/runAsGroup). */
  user?: string
  tty?: boolean
  stdin?: boolean
  stdinOnce?: boolean
  /** securityContext.privileged. */
  privileged?: boolean
  /** securityContext.readOnlyRootFilesystem. */
  readOnlyRootFilesystem?: boolean
  /** securityContext.capabilities, as Linux capability names without the CAP_ prefix (ALL allowed). */
  capabilities?: {add?: string[]; drop?: string[]}
  /** Host paths (pod volume dirs, hostPath volumes) bind-mounted into the container. */
  mounts?: ContainerMount[]
  /** Memory-backed emptyDir volumes (medium: Memory), private to this container instance. */
  tmpfs?: ContainerTmpfs[]
}

export interface ContainerMount {
  hostPath: string
  containerPath: string
  readOnly: boolean
}

export interface ContainerTmpfs {
  containerPath: string
  /** emptyDir.sizeLimit in bytes; unset means the runtime's default. */
  sizeBytes?: number
}

export type ContainerState =
  | {state: 'created'}
  | {state: 'running'; startedAt: Date}
  | {state: 'exited'; startedAt?: Date; finishedAt: Date; exitCode: number; reason: string; /** The termination message, filled in by the agent. */ message?: string}

export interface RuntimeContainer {
  id: string
  spec: ContainerSpec
  state: ContainerState
  /** The pod's IP once its network exists. */
  podIP?: string
}

export interface ImageResult {
  /** False when the image was already present and the policy allowed using it. */
  pulled: boolean
  /** Bytes, when the runtime knows. */
  size?: number
}

/** What `kubectl logs --timestamps --since/--since-time` ask of a container's output. */
export interface LogQuery {
  timestamps?: boolean
  since?: Date
}

/** Where a pull stands, summed over the image's layers (sizes are the compressed ones the engine reports). */
export interface PullProgress {
  layers: number
  layersDone: number
  downloadedBytes: number
  totalBytes: number
}

/** Told when a pull really starts (after the policy said the image must be fetched), then as it progresses. */
export interface PullObserver {
  pullStarted(): void
  progress?(progress: PullProgress): void
}

/** A container's instances in a pod, newest (highest restart count) first. */
export function instancesOf(containers: readonly RuntimeContainer[], containerName: string): RuntimeContainer[] {
  return containers.filter((c) => c.spec.containerName === containerName).sort((a, b) => b.spec.restartCount - a.spec.restartCount)
}

export interface ContainerFilter {
  podUid?: string
  /** With podName: the containers of whatever pod has (or had) this name. */
  namespace?: string
  podName?: string
}

export interface ContainerRuntime {
  readonly name: string
  /** Whether this runtime can run here now (engine reachable, permissions ok). */
  available(): Promise<{ok: true} | {ok: false; reason: string; fix: string}>
  /** Make the image present locally according to the pull policy; says whether it had to pull (for the kubelet's events). */
  ensureImage(image: string, pullPolicy: 'Always' | 'IfNotPresent' | 'Never', observer?: PullObserver): Promise<ImageResult>
  /**
   * Sets up the pod's network namespace before any of its containers, as the kubelet's RunPodSandbox
   * does, so that status.podIP is known to env and the downward API of the first container. Runtimes
   * whose pods get their IP with the first container leave it out.
   */
  preparePod?(pod: Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>): Promise<{podIP?: string}>
  /** Create and start one container; resolves once it is running (or failed to start). */
  start(spec: ContainerSpec): Promise<RuntimeContainer>
  /** Stop a container, giving it `graceSeconds` before it is killed. */
  stop(id: string, graceSeconds: number): Promise<void>
  /**
   * Where pod IPs and ClusterIPs come from (Docker: the halves of the cluster network, made now if
   * missing, asking for `preferredNetwork` — the network the cluster's Services were allocated from).
   */
  addressing?(preferredNetwork?: string): Promise<ClusterAddressing>
  /** Removes what preparePod set up, when the pod has no container left. */
  removePod?(podUid: string): Promise<void>
  /** The pods preparePod set something up for (with or without containers), so that a pod deleted while the agent was away can be cleaned. */
  preparedPods?(filter?: Pick<ContainerFilter, 'namespace' | 'podName'>): Promise<Array<Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>>>
  /** Remove a container (stopped or not). */
  remove(id: string): Promise<void>
  /** Every container this runtime holds for the cluster; this is how state is recovered after a restart. */
  list(filter?: ContainerFilter): Promise<RuntimeContainer[]>
  /** The container's output so far, each line prefixed with its RFC 3339 time if asked, only what came at or after `since`. */
  logs(id: string, query?: LogQuery): Promise<string>
  /**
   * The pod has terminated (Succeeded or Failed): release what keeps it alive besides its containers
   * (Docker: stop the sandbox, freeing its IP), keeping the containers for `kubectl logs`.
   */
  stopPod?(podUid: string): Promise<void>
  /** Output so far (the last `tail` lines), then new output until the container stops or `signal` aborts (`kubectl logs -f`). */
  followLogs?(id: string, options?: LogQuery & {tail?: number; signal?: AbortSignal}): Promise<import('node:stream').Readable>
  /**
   * Calls `listener` when a container changes state on its own (its process exited), like the
   * kubelet's PLEG; returns the unsubscribe function. A runtime without it is only looked at when
   * the agent reconciles a pod for another reason.
   */
  subscribe?(listener: (container: RuntimeContainer) => void): () => void
}
