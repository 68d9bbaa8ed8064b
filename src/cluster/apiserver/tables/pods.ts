// The Pod table: printPod in kubernetes/pkg/printers/internalversion/printers.go (1.32), including
// sidecar (restartable init container) accounting and the Status precedence kubectl users know.
import type {Container, ContainerStatus, Pod, PodCondition} from 'kubernetes-types/core/v1.js'
import {humanDuration} from '../../api/human-duration.js'
import type {RowConditionsPrinter} from './build-table.js'
import {ageColumn, column, nameColumn, parseTime, since, wide} from './format.js'

// node.NodeUnreachablePodReason: a pod being deleted on an unreachable node shows `Unknown`.
const NODE_UNREACHABLE_POD_REASON = 'NodeLost'

const isRestartableInit = (c: Container | undefined): boolean => c?.restartPolicy === 'Always'
const hasCondition = (conditions: PodCondition[] | undefined, type: string): boolean =>
  (conditions ?? []).some((c) => c.type === type && c.status === 'True')
const isTerminalPhase = (phase: string | undefined): boolean => phase === 'Succeeded' || phase === 'Failed'

/** Tracks the restart count and the most recent `lastState.terminated.finishedAt` of a set of containers. */
class Restarts {
  count = 0
  last: number | undefined

  add(status: ContainerStatus): void {
    this.count += status.restartCount ?? 0
    const finished = parseTime(status.lastState?.terminated?.finishedAt)
    if (finished !== undefined && (this.last === undefined || finished > this.last)) this.last = finished
  }
}

interface PodSummary {
  ready: number
  total: number
  reason: string
  restarts: Restarts
}

/** Walks init containers then regular containers exactly as printPod does. */
function summarize(pod: Pod): PodSummary {
  const spec = pod.spec
  const status = pod.status ?? {}
  let total = spec?.containers?.length ?? 0
  let ready = 0
  let reason = status.reason || status.phase || ''
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated'

  const initSpecs = new Map<string, Container>()
  for (const c of spec?.initContainers ?? []) {
    initSpecs.set(c.name, c)
    if (isRestartableInit(c)) total++
  }

  let restarts = new Restarts()
  const sidecarRestarts = new Restarts()
  let initializing = false
  const initStatuses = status.initContainerStatuses ?? []
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]
    restarts.add(c)
    const sidecar = isRestartableInit(initSpecs.get(c.name))
    if (sidecar) sidecarRestarts.add(c)
    const terminated = c.state?.terminated
    const waiting = c.state?.waiting
    if (terminated && terminated.exitCode === 0) continue
    if (sidecar && c.started === true) {
      if (c.ready) ready++
      continue
    }
    if (terminated) {
      if (!terminated.reason) {
        reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode}`
      } else {
        reason = `Init:${terminated.reason}`
      }
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`
    } else {
      reason = `Init:${i}/${spec?.initContainers?.length ?? 0}`
    }
    initializing = true
    break
  }

  if (!initializing || hasCondition(status.conditions, 'Initialized')) {
    restarts = sidecarRestarts
    let hasRunning = false
    const statuses = status.containerStatuses ?? []
    // Last container first, so the first container's state wins the Status cell.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]
      restarts.add(c)
      const {waiting, terminated, running} = c.state ?? {}
      if (waiting?.reason) reason = waiting.reason
      else if (terminated?.reason) reason = terminated.reason
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode}`
      else if (c.ready && running) {
        hasRunning = true
        ready++
      }
    }
    if (reason === 'Completed' && hasRunning) reason = hasCondition(status.conditions, 'Ready') ? 'Running' : 'NotReady'
  }

  if (pod.metadata?.deletionTimestamp && status.reason === NODE_UNREACHABLE_POD_REASON) reason = 'Unknown'
  else if (pod.metadata?.deletionTimestamp && !isTerminalPhase(status.phase)) reason = 'Terminating'
  return {ready, total, reason, restarts}
}

function podIP(pod: Pod): string {
  return pod.status?.podIPs?.[0]?.ip || pod.status?.podIP || '<none>'
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? []
  if (gates.length === 0) return '<none>'
  const conditions = pod.status?.conditions ?? []
  const passed = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length
  return `${passed}/${gates.length}`
}

export const podPrinter: RowConditionsPrinter = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    column('Status', 'string', 'The aggregate status of the containers in this pod.'),
    column('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn(),
    wide(column('IP', 'string', 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.')),
    wide(column('Node', 'string', 'NodeName indicates in which node this pod is scheduled.')),
    wide(column('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.')),
    wide(column('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.')),
  ],
  cells(obj, now) {
    const pod = obj as Pod
    const {ready, total, reason, restarts} = summarize(pod)
    const restartsCell =
      restarts.count !== 0 && restarts.last !== undefined
        ? `${restarts.count} (${humanDuration(now.getTime() - restarts.last)} ago)`
        : String(restarts.count)
    return [
      pod.metadata?.name ?? '',
      `${ready}/${total}`,
      reason,
      restartsCell,
      since(pod.metadata?.creationTimestamp, now),
      podIP(pod),
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ]
  },
  // The server marks finished pods so clients may treat them as done.
  conditions(obj) {
    const phase = (obj as Pod).status?.phase
    if (phase === 'Succeeded') return [{type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.'}]
    if (phase === 'Failed') return [{type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.'}]
    return undefined
  },
}
