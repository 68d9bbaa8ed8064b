// Deep equality of JSON data, used wherever "did anything change?" is asked (no-op writes, status
// planning, managedFields): object key order does not matter, undefined members count as absent.

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  let countA = 0
  for (const k in ra) {
    if (ra[k] === undefined) continue
    countA++
    if (!jsonEqual(ra[k], rb[k])) return false
  }
  let countB = 0
  for (const k in rb) if (rb[k] !== undefined) countB++
  return countA === countB
}
