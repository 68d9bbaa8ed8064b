// Pure status planning, as the kubelet's generateAPIPodStatus: from the pod spec and what the runtime
// reports, compute phase, conditions and container statuses. Transition times are kept from the
// previous status when a condition did not change, so an unchanged world writes nothing.
// Conditions of types the kubelet does not own (readiness gates' conditions, DisruptionTarget...)
// are other writers' and are kept, first, as the kubelet's status manager merges them.
import type {ContainerStatus, Pod, PodCondition, PodStatus} from 'kubernetes-types/core/v1.js'
import {rfc3339} from '../clock.js'
import {instancesOf, type RuntimeContainer} from '../runtime/runtime.js'

export interface PodStatusInput {
  pod: Pod
  containers: RuntimeContainer[]
  hostIP: string
  runtimeName: string
  now: Date
  /** Containers waiting to be (re)started (CrashLoopBackOff, CreateContainerConfigError), by name. */
  waiting?: ReadonlyMap<string, {reason: string; message?: string}>
  /** Probe results of a running container instance (default: ready and started, as with no probes). */
  probe?: (containerId: string) => {ready: boolean; started: boolean}
}

export function planPodStatus({pod, containers, hostIP, runtimeName, now, waiting, probe}: PodStatusInput): PodStatus {
  const old = pod.status ?? {}
  const specContainers = pod.spec?.containers ?? []
  const statusOf = (c: {name: string; image?: string}, fallbackWaiting?: {reason: string}) => {
    const [current, previous] = instancesOf(containers, c.name)
    return containerStatus(c.name, c.image ?? '', current, previous, runtimeName, waiting?.get(c.name) ?? (current ? undefined : fallbackWaiting), probe)
  }
  // Init containers: done when each exited 0, in order; until then app containers wait with PodInitializing.
  const initStatuses = (pod.spec?.initContainers ?? []).map((c) => {
    const s = statusOf(c)
    // A finished init container is not "ready"; only running ones would be (sidecars are not supported).
    return s.state?.terminated ? {...s, ready: false} : s
  })
  const pendingInits = initStatuses.filter((s) => s.state?.terminated?.exitCode !== 0)
  const initialized = pendingInits.length === 0
  const initFailed = pod.spec?.restartPolicy === 'Never' && initStatuses.some((s) => s.state?.terminated && s.state.terminated.exitCode !== 0)
  const statuses = specContainers.map((c) => statusOf(c, initialized ? undefined : {reason: 'PodInitializing'}))
  const running = statuses.filter((s) => s.state?.running).length
  const terminated = statuses.filter((s) => s.state?.terminated)
  // Waiting to be restarted after running once: the kubelet counts it as running for the phase.
  const restarting = statuses.filter((s) => s.state?.waiting && s.lastState?.terminated).length
  const allReady = statuses.length > 0 && statuses.every((s) => s.ready)
  let phase: PodStatus['phase'] = 'Pending'
  if (running + restarting > 0 && running + restarting + terminated.length === statuses.length) phase = 'Running'
  if (statuses.length > 0 && terminated.length === statuses.length && pod.spec?.restartPolicy !== 'Always')
    phase = terminated.every((s) => s.state!.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed'
  if (!initialized) phase = initFailed ? 'Failed' : 'Pending'
  const podIP = containers.find((c) => c.podIP)?.podIP
  const started = containers.some((c) => c.state.state !== 'created')

  const foreign = (old.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type))
  const containersReady = allReady ? undefined : {reason: 'ContainersNotReady', message: notReadyMessage(statuses)}
  const notReady = containersReady ?? gatesNotReady(pod, foreign)
  const conditions: PodCondition[] = [
    ...foreign,
    condition('PodReadyToStartContainers', podIP ? 'True' : 'False', old.conditions, now),
    initialized
      ? condition('Initialized', 'True', old.conditions, now)
      : condition('Initialized', 'False', old.conditions, now, 'ContainersNotInitialized', `containers with incomplete status: [${pendingInits.map((s) => s.name).join(' ')}]`),
    condition('Ready', notReady ? 'False' : 'True', old.conditions, now, notReady?.reason, notReady?.message),
    condition('ContainersReady', containersReady ? 'False' : 'True', old.conditions, now, containersReady?.reason, containersReady?.message),
    condition('PodScheduled', 'True', old.conditions, now),
  ]
  const status: PodStatus = {
    ...old,
    phase,
    conditions,
    hostIP,
    hostIPs: [{ip: hostIP}],
    startTime: old.startTime ?? rfc3339(now),
    containerStatuses: statuses,
  }
  if (initStatuses.length > 0) status.initContainerStatuses = initStatuses
  if (podIP && started) {
    status.podIP = podIP
    status.podIPs = [{ip: podIP}]
  }
  return status
}

/** The condition types the kubelet writes (kubetypes.PodConditionByKubelet). */
const KUBELET_CONDITIONS = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'])

/**
 * The kubelet's GeneratePodReadyCondition once containers are ready: the pod is Ready only when the
 * condition of every readiness gate exists and is True; otherwise say which gates hold it back.
 */
function gatesNotReady(pod: Pod, conditions: PodCondition[]): {reason: string; message: string} | undefined {
  const messages: string[] = []
  for (const gate of pod.spec?.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType)
    if (!c) messages.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`)
    else if (c.status !== 'True') messages.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`)
  }
  return messages.length ? {reason: 'ReadinessGatesNotReady', message: messages.join(', ')} : undefined
}

function terminatedState(c: RuntimeContainer, runtimeName: string): NonNullable<ContainerStatus['lastState']>['terminated'] {
  if (c.state.state !== 'exited') return undefined
  return {
    exitCode: c.state.exitCode,
    reason: c.state.reason,
    ...(c.state.message && {message: c.state.message}),
    startedAt: c.state.startedAt ? rfc3339(c.state.startedAt) : undefined,
    finishedAt: rfc3339(c.state.finishedAt),
    containerID: `${runtimeName}://${c.id}`,
  }
}

/**
 * One container's status from its newest instance and the one before (lastState, as `kubectl logs
 * --previous` reads it). A container waiting out its crash back-off shows that wait, with the exit
 * it is recovering from as lastState.
 */
function containerStatus(
  name: string,
  image: string,
  c: RuntimeContainer | undefined,
  before: RuntimeContainer | undefined,
  runtimeName: string,
  waiting: {reason: string; message?: string} | undefined,
  probe: PodStatusInput['probe'],
): ContainerStatus {
  const base = {name, image, imageID: '', restartCount: c?.spec.restartCount ?? 0, ready: false, started: false}
  const previousExit = before ? terminatedState(before, runtimeName) : undefined
  const last = previousExit ? {terminated: previousExit} : {}
  if (!c || c.state.state === 'created') return {...base, lastState: last, state: {waiting: !c && waiting ? waiting : {reason: 'ContainerCreating'}}}
  const withId = {...base, containerID: `${runtimeName}://${c.id}`, imageID: `${runtimeName}://${image}`, lastState: last}
  if (c.state.state === 'running') {
    const probed = probe?.(c.id) ?? {ready: true, started: true}
    return {...withId, ready: probed.ready, started: probed.started, state: {running: {startedAt: rfc3339(c.state.startedAt)}}}
  }
  if (waiting) return {...withId, lastState: {terminated: terminatedState(c, runtimeName)}, state: {waiting}}
  return {...withId, state: {terminated: terminatedState(c, runtimeName)}}
}

function notReadyMessage(statuses: ContainerStatus[]): string | undefined {
  const names = statuses.filter((s) => !s.ready).map((s) => s.name)
  return names.length ? `containers with unready status: [${names.join(' ')}]` : undefined
}

function condition(type: string, status: 'True' | 'False', old: PodCondition[] | undefined, now: Date, reason?: string, message?: string): PodCondition {
  const previous = old?.find((c) => c.type === type)
  const c: PodCondition = {type, status, lastProbeTime: null as unknown as string, lastTransitionTime: previous?.status === status ? previous.lastTransitionTime : rfc3339(now)}
  if (reason) c.reason = reason
  if (message) c.message = message
  return c
}
