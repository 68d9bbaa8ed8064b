// The reconciler contract: level-based and idempotent. reconcile() reads the current state for the key,
// computes the difference and writes; it never depends on which event caused it to run.

export interface ObjectKey {
  namespace?: string
  name: string
}

export interface ReconcileResult {
  /** Run again after this long even if nothing changes (timers: grace periods, heartbeats). */
  requeueAfterMs?: number
}

export interface Reconciler {
  readonly name: string
  reconcile(key: ObjectKey, signal: AbortSignal): Promise<ReconcileResult | void>
}

export function keyToString(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name
}

export function keyFromString(text: string): ObjectKey {
  const slash = text.indexOf('/')
  return slash < 0 ? {name: text} : {namespace: text.slice(0, slash), name: text.slice(slash + 1)}
}
