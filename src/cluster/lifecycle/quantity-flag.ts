// Node sizes on the command line are Kubernetes quantities (2, 1500m, 4Gi); a bad one is refused
// before anything is written, with the form it should take.
import {tryParseQuantity, quantityToMilli} from '../apiserver/strategies/quantity.js'
import {ClusterError} from './cluster-error.js'

export function parseQuantityFlag(flag: string, text: string): string {
  const trimmed = text.trim()
  const quantity = tryParseQuantity(trimmed)
  if (!quantity || quantityToMilli(trimmed) <= 0) {
    throw new ClusterError('InvalidInput', `invalid ${flag} "${text}"`, {
      why: 'node sizes are positive Kubernetes quantities',
      fix: `use e.g. ${flag} ${flag === '--node-memory' || flag === '--memory' ? '4Gi' : '2 (or 1500m)'}`,
    })
  }
  return trimmed
}
