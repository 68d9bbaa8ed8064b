// The strategy of each kind in api/resources.ts, listed explicitly (no registration on import).
import type {ResourceType} from '../../api/resources.js'
import {configMapStrategy, secretStrategy} from './data-strategies.js'
import {deploymentStrategy} from './deployment-strategy.js'
import {endpointSliceStrategy} from './endpointslice-strategy.js'
import {namespaceStrategy} from './namespace-strategy.js'
import {ingressClassStrategy, ingressStrategy} from './networking-strategies.js'
import {nodeStrategy} from './node-strategy.js'
import {podStrategy} from './pod-strategy.js'
import {replicaSetStrategy} from './replicaset-strategy.js'
import {serviceStrategy} from './service-strategy.js'
import {endpointsStrategy, eventStrategy, leaseStrategy, serviceAccountStrategy} from './simple-strategies.js'
import type {ResourceStrategy} from './strategy.js'

export type {ResourceStrategy, StrategyContext} from './strategy.js'

/** Keyed by `group/Kind` (`/Pod` for the core group). */
const STRATEGIES: Readonly<Record<string, ResourceStrategy>> = {
  '/Namespace': namespaceStrategy,
  '/Node': nodeStrategy,
  '/Pod': podStrategy,
  '/Service': serviceStrategy,
  '/Endpoints': endpointsStrategy,
  '/ConfigMap': configMapStrategy,
  '/Secret': secretStrategy,
  '/ServiceAccount': serviceAccountStrategy,
  '/Event': eventStrategy,
  'coordination.k8s.io/Lease': leaseStrategy,
  'apps/Deployment': deploymentStrategy,
  'apps/ReplicaSet': replicaSetStrategy,
  'discovery.k8s.io/EndpointSlice': endpointSliceStrategy,
  'networking.k8s.io/Ingress': ingressStrategy,
  'networking.k8s.io/IngressClass': ingressClassStrategy,
}

export class UnknownStrategyError extends Error {
  override name = 'UnknownStrategyError'
  readonly code = 'UNKNOWN_STRATEGY'
}

export function strategyFor(resource: Pick<ResourceType, 'group' | 'kind'>): ResourceStrategy {
  const strategy = STRATEGIES[`${resource.group}/${resource.kind}`]
  if (!strategy) throw new UnknownStrategyError(`no strategy for ${resource.kind}${resource.group ? `.${resource.group}` : ''}`)
  return strategy
}
