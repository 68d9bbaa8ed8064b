// v1.NodeSelector matching (component-helpers/scheduling/corev1/nodeaffinity): terms are ORed, the
// requirements inside a term ANDed; a term with no requirements matches nothing; matchFields knows
// only metadata.name. A malformed requirement makes its term match nothing, as the lazy-error
// selector upstream does, instead of failing the whole pod.
import type {NodeSelectorRequirement, NodeSelectorTerm, Pod} from 'kubernetes-types/core/v1.js'

export interface NodeIdentity {
  name: string
  labels: Readonly<Record<string, string>>
}

const INTEGER = /^[+-]?\d+$/

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? []
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value)
    case 'NotIn':
      return value === undefined || !values.includes(value)
    case 'Exists':
      return value !== undefined
    case 'DoesNotExist':
      return value === undefined
    case 'Gt':
    case 'Lt': {
      if (value === undefined || values.length !== 1 || !INTEGER.test(values[0]) || !INTEGER.test(value)) return false
      const [actual, bound] = [BigInt(value), BigInt(values[0])]
      return r.operator === 'Gt' ? actual > bound : actual < bound
    }
    default:
      return false
  }
}

function fieldMatches(r: NodeSelectorRequirement, node: NodeIdentity): boolean {
  // Only metadata.name with In/NotIn is a valid field requirement.
  if (r.key !== 'metadata.name' || (r.operator !== 'In' && r.operator !== 'NotIn')) return false
  return requirementMatches(r, node.name)
}

export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: NodeIdentity): boolean {
  const expressions = term.matchExpressions ?? []
  const fields = term.matchFields ?? []
  if (expressions.length === 0 && fields.length === 0) return false
  const labels = node.labels
  return (
    expressions.every((r) => requirementMatches(r, Object.hasOwn(labels, r.key) ? labels[r.key] : undefined)) &&
    fields.every((r) => fieldMatches(r, node))
  )
}

export function nodeSelectorTermsMatch(terms: readonly NodeSelectorTerm[], node: NodeIdentity): boolean {
  return terms.some((t) => nodeSelectorTermMatches(t, node))
}

/** spec.nodeSelector and required node affinity together: what the NodeAffinity filter enforces. */
export function podMatchesNodeSelectorAndAffinity(pod: Pod, node: NodeIdentity): boolean {
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (!Object.hasOwn(node.labels, key) || node.labels[key] !== value) return false
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution
  if (required) return nodeSelectorTermsMatch(required.nodeSelectorTerms ?? [], node)
  return true
}
