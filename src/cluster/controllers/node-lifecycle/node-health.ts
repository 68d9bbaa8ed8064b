// When a node last showed signs of life and what its conditions become once it stops (the health half
// of tryUpdateNodeHealth in pkg/controller/nodelifecycle). Heartbeats are the Lease's renewTime and the
// Ready condition's lastHeartbeatTime; a node that never posted Ready is measured from its creation
// with the longer startup grace period.
import type {Node, NodeCondition} from 'kubernetes-types/core/v1.js'
import {rfc3339} from '../../clock.js'

/** The conditions the kubelet owns; the controller sets all of them to Unknown when it goes silent. */
export const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const

export const DEFAULT_GRACE_PERIOD_MS = 40_000
export const DEFAULT_STARTUP_GRACE_PERIOD_MS = 60_000

export interface HealthTiming {
  gracePeriodMs: number
  startupGracePeriodMs: number
}

export interface LeaseLike {
  spec?: {renewTime?: string | null}
}

export interface NodeHealth {
  /** The latest heartbeat (ms since the epoch), or the creation time for a node that never posted Ready. */
  probeMs: number
  /** After this instant (strictly) the node counts as silent. */
  expiresAtMs: number
}

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready')
}

/** The Ready condition's status, or undefined when the node never posted one. */
export function readyStatus(node: Node): string | undefined {
  return readyCondition(node)?.status
}

export function nodeHealth(node: Node, lease: LeaseLike | undefined, timing: HealthTiming): NodeHealth {
  const ready = readyCondition(node)
  const times = [parseTime(lease?.spec?.renewTime), parseTime(ready ? ready.lastHeartbeatTime : node.metadata?.creationTimestamp)]
  let known = times.filter((t): t is number => t !== undefined)
  // A Ready condition without a heartbeat and no Lease: measure from creation, as for a new node.
  if (known.length === 0) known = [parseTime(node.metadata?.creationTimestamp)].filter((t): t is number => t !== undefined)
  const grace = ready ? timing.gracePeriodMs : timing.startupGracePeriodMs
  // No time at all (an object that never went through the API server) cannot be judged; it never expires.
  if (known.length === 0) return {probeMs: Number.NaN, expiresAtMs: Number.POSITIVE_INFINITY}
  const probeMs = Math.max(...known)
  return {probeMs, expiresAtMs: probeMs + grace}
}

export function isExpired(health: NodeHealth, now: Date): boolean {
  return now.getTime() > health.expiresAtMs
}

/**
 * The conditions of a node whose kubelet went silent: every kubelet condition Unknown, a missing one
 * added as never updated. Heartbeat times are kept (they say when the kubelet was last heard from).
 * Undefined when nothing changes (all already Unknown), so repeated passes write nothing.
 */
export function unknownConditions(node: Node, now: Date): NodeCondition[] | undefined {
  const nowText = rfc3339(now)
  const conditions = (node.status?.conditions ?? []).map((c) => ({...c}))
  let changed = false
  for (const type of KUBELET_CONDITIONS) {
    const current = conditions.find((c) => c.type === type)
    if (!current) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        ...(node.metadata?.creationTimestamp ? {lastHeartbeatTime: node.metadata.creationTimestamp} : {}),
        lastTransitionTime: nowText,
      })
      changed = true
    } else if (current.status !== 'Unknown') {
      current.status = 'Unknown'
      current.reason = 'NodeStatusUnknown'
      current.message = 'Kubelet stopped posting node status.'
      current.lastTransitionTime = nowText
      changed = true
    }
  }
  return changed ? conditions : undefined
}

function parseTime(text: string | null | undefined): number | undefined {
  if (!text) return undefined
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? undefined : ms
}
