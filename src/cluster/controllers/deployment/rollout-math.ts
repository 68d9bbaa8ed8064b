// The arithmetic of a Deployment rollout, as pkg/controller/deployment/util does it: resolving
// maxSurge/maxUnavailable, and how far the new ReplicaSet may grow and the old ones shrink.

export type IntOrPercent = number | string | undefined

/** An int-or-percent against `total`: percentages round up for surge and down for unavailability. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (value === undefined) return 0
  if (typeof value === 'number') return value
  const m = /^(\d+)%$/.exec(value.trim())
  if (!m) {
    const n = Number(value)
    if (Number.isInteger(n)) return n
    throw new Error(`invalid int or percent: ${JSON.stringify(value)}`)
  }
  const exact = (Number(m[1]) * total) / 100
  return roundUp ? Math.ceil(exact) : Math.floor(exact)
}

/** ResolveFenceposts: both 0 would deadlock a rollout, so unavailability becomes 1. */
export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): {surge: number; unavailable: number} {
  const surge = scaledValue(maxSurge ?? '25%', desired, true)
  let unavailable = scaledValue(maxUnavailable ?? '25%', desired, false)
  if (surge === 0 && unavailable === 0) unavailable = 1
  return {surge, unavailable}
}

export interface ReplicaCounts {
  /** spec.replicas of the ReplicaSet. */
  replicas: number
  /** status.availableReplicas. */
  available: number
}

/** How many replicas the new ReplicaSet should have now (NewRSNewReplicas for RollingUpdate). */
export function newReplicaSetReplicas(desired: number, surge: number, newRS: ReplicaCounts, all: ReplicaCounts[]): number {
  if (newRS.replicas >= desired) return desired
  const total = all.reduce((sum, rs) => sum + rs.replicas, 0)
  const maxTotal = desired + surge
  if (total >= maxTotal) return newRS.replicas
  const scaleUp = Math.min(maxTotal - total, desired - newRS.replicas)
  return newRS.replicas + scaleUp
}

/**
 * How many old replicas may be removed now (reconcileOldReplicaSets): never below desired - maxUnavailable
 * available pods, counting the new ReplicaSet's unavailable pods against the budget.
 */
export function oldReplicasToRemove(desired: number, unavailable: number, newRS: ReplicaCounts, all: ReplicaCounts[]): number {
  const total = all.reduce((sum, rs) => sum + rs.replicas, 0)
  const minAvailable = desired - unavailable
  const newUnavailable = newRS.replicas - newRS.available
  const maxScaledDown = total - minAvailable - newUnavailable
  return Math.max(0, maxScaledDown)
}
