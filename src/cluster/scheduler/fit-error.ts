// The message of a failed scheduling attempt, byte for byte as kube-scheduler's FitError.Error():
// a histogram of the filter reasons (one count per node per reason, sorted as strings), then what
// preemption concluded. kcluster never preempts, so nodes rejected for resolvable reasons (resources,
// anti-affinity) report that no victims were found, and the rest that preemption cannot help —
// exactly what the real scheduler says when no lower-priority pods exist.
export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods'
export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling'
export const NO_PREEMPTION_VICTIMS = 'No preemption victims found for incoming pod'
export const PREEMPTION_POLICY_NEVER = 'not eligible due to preemptionPolicy=Never.'

export interface NodeFailure {
  reasons: readonly string[]
  unresolvable: boolean
}

function histogram(counts: Map<string, number>): string {
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ')
}

function bump(counts: Map<string, number>, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1)
}

export function fitErrorMessage(numNodes: number, failures: readonly NodeFailure[], preemptionPolicy?: string): string {
  const reasons = new Map<string, number>()
  for (const f of failures) for (const r of f.reasons) bump(reasons, r)
  let message = `0/${numNodes} nodes are available:`
  if (reasons.size > 0) message += ` ${histogram(reasons)}.`
  return `${message} preemption: ${preemptionMessage(numNodes, failures, preemptionPolicy)}`
}

function preemptionMessage(numNodes: number, failures: readonly NodeFailure[], preemptionPolicy?: string): string {
  if (preemptionPolicy === 'Never') return PREEMPTION_POLICY_NEVER
  const outcomes = new Map<string, number>()
  for (const f of failures) bump(outcomes, f.unresolvable ? PREEMPTION_NOT_HELPFUL : NO_PREEMPTION_VICTIMS)
  return `0/${numNodes} nodes are available: ${histogram(outcomes)}.`
}
