// Taint/toleration matching as v1.Toleration.ToleratesTaint: an empty effect tolerates every effect,
// an empty key with Exists tolerates every taint, Equal (the default) needs the same value.
import type {Taint, Toleration} from 'kubernetes-types/core/v1.js'

export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false
  if (toleration.key && toleration.key !== taint.key) return false
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true
    case 'Equal':
    case '':
      return (toleration.value ?? '') === (taint.value ?? '')
    default:
      return false
  }
}

export function isTaintTolerated(taint: Taint, tolerations: readonly Toleration[]): boolean {
  return tolerations.some((t) => toleratesTaint(t, taint))
}

/** The first taint with one of the effects that no toleration covers (FindMatchingUntoleratedTaint). */
export function findUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[], effects: readonly string[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !isTaintTolerated(taint, tolerations))
}
