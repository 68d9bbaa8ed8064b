// The reconciler contract: level-based and idempotent. reconcile() reads the current state for the key,
// computes the difference and writes; it never depends on which event caused it to run.

export interface ObjectKey {
  /** `group/Kind` for controllers that handle several kinds (the garbage collector); absent otherwise. */
  kind?: string
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
  const base = key.namespace ? `${key.namespace}/${key.name}` : key.name
  return key.kind ? `${key.kind}|${base}` : base
}

export function keyFromString(text: string): ObjectKey {
  const bar = text.indexOf('|')
  const kind = bar < 0 ? undefined : text.slice(0, bar)
  const rest = bar < 0 ? text : text.slice(bar + 1)
  const slash = rest.indexOf('/')
  const key: ObjectKey = slash < 0 ? {name: rest} : {namespace: rest.slice(0, slash), name: rest.slice(slash + 1)}
  if (kind !== undefined) key.kind = kind
  return key
}
