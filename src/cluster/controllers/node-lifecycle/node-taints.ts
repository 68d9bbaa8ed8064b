// The taints the node lifecycle controller keeps on a node, from its conditions (doNoScheduleTaintingPass
// and the NoExecute pass of pkg/controller/nodelifecycle): NoSchedule taints mirror Ready False/Unknown,
// the pressure conditions and spec.unschedulable; the NoExecute not-ready/unreachable taint mirrors Ready
// and is what the taint eviction controller acts on. Taints with other keys are never touched.
import type {Node, Taint} from 'kubernetes-types/core/v1.js'
import {rfc3339} from '../../clock.js'

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready'
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable'
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable'

// nodeConditionToTaintKeyStatusMap.
const CONDITION_TAINTS: Record<string, Record<string, string>> = {
  Ready: {False: TAINT_NOT_READY, Unknown: TAINT_UNREACHABLE},
  MemoryPressure: {True: 'node.kubernetes.io/memory-pressure'},
  DiskPressure: {True: 'node.kubernetes.io/disk-pressure'},
  NetworkUnavailable: {True: 'node.kubernetes.io/network-unavailable'},
  PIDPressure: {True: 'node.kubernetes.io/pid-pressure'},
}

const NO_SCHEDULE_KEYS = new Set([...Object.values(CONDITION_TAINTS).flatMap((m) => Object.values(m)), TAINT_UNSCHEDULABLE])
const NO_EXECUTE_KEYS = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE])

/** Whether the controller owns this taint (by key and effect, as taints are identified). */
export function isControllerTaint(taint: Taint): boolean {
  if (taint.effect === 'NoSchedule') return NO_SCHEDULE_KEYS.has(taint.key)
  if (taint.effect === 'NoExecute') return NO_EXECUTE_KEYS.has(taint.key)
  return false
}

/**
 * The controller-owned taints the node should carry, as key:effect pairs. The NoExecute taint is
 * undefined when the node never posted Ready: then whatever is there stays (upstream skips such nodes).
 */
export function desiredControllerTaints(node: Node): {noSchedule: string[]; noExecute: string[] | undefined} {
  const noSchedule: string[] = []
  for (const c of node.status?.conditions ?? []) {
    const key = CONDITION_TAINTS[c.type]?.[c.status]
    if (key && !noSchedule.includes(key)) noSchedule.push(key)
  }
  if (node.spec?.unschedulable) noSchedule.push(TAINT_UNSCHEDULABLE)
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status
  const noExecute = ready === undefined ? undefined : ready === 'False' ? [TAINT_NOT_READY] : ready === 'Unknown' ? [TAINT_UNREACHABLE] : []
  return {noSchedule, noExecute}
}

/**
 * The node's taints after adding the missing controller taints (stamped with timeAdded, as
 * SwapNodeControllerTaint does) and removing the stale ones. Existing taints keep their place and
 * timeAdded, so the eviction countdown is not restarted. Undefined when nothing changes.
 */
export function planNodeTaints(node: Node, now: Date): Taint[] | undefined {
  const current = node.spec?.taints ?? []
  const desired = desiredControllerTaints(node)
  const wanted = (taint: Taint): boolean => {
    if (!isControllerTaint(taint)) return true
    if (taint.effect === 'NoSchedule') return desired.noSchedule.includes(taint.key)
    return desired.noExecute === undefined || desired.noExecute.includes(taint.key)
  }
  const kept = current.filter(wanted)
  const has = (key: string, effect: string) => kept.some((t) => t.key === key && t.effect === effect)
  const timeAdded = rfc3339(now)
  const added: Taint[] = [
    ...desired.noSchedule.filter((key) => !has(key, 'NoSchedule')).map((key) => ({key, effect: 'NoSchedule', timeAdded})),
    ...(desired.noExecute ?? []).filter((key) => !has(key, 'NoExecute')).map((key) => ({key, effect: 'NoExecute', timeAdded})),
  ]
  if (added.length === 0 && kept.length === current.length) return undefined
  return [...kept, ...added]
}
