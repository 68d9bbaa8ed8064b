// Services (pkg/registry/core/service: strategy.go and the storage layer's allocation): defaults, cluster
// IP and node port allocation on create, and on update keeping what the server allocated when a client
// resubmits its original manifest without those values (patchAllocatedValues).
import {isPlainObject, type KubeObject} from '../../api/types.js'
import {defineStrategy} from './define-strategy.js'
import {sameJson} from './field-errors.js'
import {nameIsDNS1035Label} from './name-rules.js'
import {validateObjectMeta} from './object-meta-validation.js'
import type {StrategyContext} from './strategy.js'
import {isHeadless, NODE_PORT_MAX, NODE_PORT_MIN, needsNodePorts, validateServiceSpec, validateServiceUpdate} from './service-validation.js'

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).filter(isPlainObject) : [])
const specOf = (obj: KubeObject): Obj => (isPlainObject(obj.spec) ? obj.spec : (obj.spec = {})) as Obj
const needsClusterIP = (spec: Obj) => spec.type !== 'ExternalName'
const accessible = (spec: Obj) => needsNodePorts(spec) || (spec.type === 'ClusterIP' && list(spec.externalIPs).length > 0)

/** SetDefaults_Service plus the clusterIP/clusterIPs mirroring the v1 conversion does. */
export function defaultService(obj: KubeObject): void {
  const spec = specOf(obj)
  spec.sessionAffinity ||= 'None'
  if (spec.sessionAffinity === 'ClientIP' && !isPlainObject(spec.sessionAffinityConfig))
    spec.sessionAffinityConfig = {clientIP: {timeoutSeconds: 10800}}
  spec.type ||= 'ClusterIP'
  for (const port of list(spec.ports)) {
    port.protocol ||= 'TCP'
    if (port.targetPort === undefined || port.targetPort === 0 || port.targetPort === '') port.targetPort = port.port
  }
  if (accessible(spec)) spec.externalTrafficPolicy ||= 'Cluster'
  if (spec.type !== 'ExternalName') {
    spec.internalTrafficPolicy ||= 'Cluster'
    // kcluster is a single-stack IPv4 cluster.
    spec.ipFamilyPolicy ||= 'SingleStack'
    if (!Array.isArray(spec.ipFamilies) || spec.ipFamilies.length === 0) spec.ipFamilies = ['IPv4']
  }
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true
  mirrorClusterIPs(spec)
}

function mirrorClusterIPs(spec: Obj): void {
  const ips = Array.isArray(spec.clusterIPs) ? (spec.clusterIPs as string[]) : []
  if (ips.length === 0 && spec.clusterIP) spec.clusterIPs = [spec.clusterIP]
  else if (ips.length > 0 && !spec.clusterIP) spec.clusterIP = ips[0]
}

const inNodePortRange = (p: unknown) => typeof p === 'number' && p >= NODE_PORT_MIN && p <= NODE_PORT_MAX

async function allocate(spec: Obj, ctx: StrategyContext, keptNodePorts: ReadonlySet<number>): Promise<void> {
  if (needsClusterIP(spec) && !isHeadless(spec) && !spec.clusterIP) {
    const ip = await ctx.allocateClusterIP()
    spec.clusterIP = ip
    spec.clusterIPs = [ip]
  }
  if (!needsNodePorts(spec)) return
  for (const port of list(spec.ports)) {
    if (!port.nodePort) port.nodePort = await ctx.allocateNodePort()
    else if (!keptNodePorts.has(port.nodePort as number) && inNodePortRange(port.nodePort)) port.nodePort = await ctx.allocateNodePort(port.nodePort as number)
  }
}

async function prepareCreate(obj: KubeObject, ctx: StrategyContext): Promise<void> {
  obj.status = {loadBalancer: {}}
  const spec = specOf(obj)
  // Allocate only for a valid object: validation runs after this hook and would otherwise leak allocations.
  if (validateServiceSpec(spec).length > 0) return
  if (needsClusterIP(spec) && spec.clusterIP && !isHeadless(spec)) {
    const ip = await ctx.allocateClusterIP(spec.clusterIP as string)
    spec.clusterIP = ip
    spec.clusterIPs = [ip]
  }
  await allocate(spec, ctx, new Set())
}

const nodePortsOf = (spec: Obj) => new Set(list(spec.ports).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number' && p > 0))

/** patchAllocatedValues + dropTypeDependentFields from the upstream service registry. */
function patchFromOld(spec: Obj, old: Obj): void {
  if (needsClusterIP(old) && needsClusterIP(spec)) {
    if (!spec.clusterIP) spec.clusterIP = old.clusterIP
    if (!Array.isArray(spec.clusterIPs) || spec.clusterIPs.length === 0) spec.clusterIPs = old.clusterIPs
    if (spec.clusterIP === undefined) delete spec.clusterIP
    if (spec.clusterIPs === undefined) delete spec.clusterIPs
  }
  if (needsNodePorts(old) && needsNodePorts(spec)) {
    const oldPorts = nodePortsOf(old)
    const used = new Set([...nodePortsOf(spec)].filter((p) => oldPorts.has(p)))
    const byName = new Map(list(old.ports).map((p) => [p.name ?? '', p.nodePort]))
    for (const port of list(spec.ports)) {
      const previous = byName.get((port.name as string | undefined) ?? '')
      if (!port.nodePort && typeof previous === 'number' && !used.has(previous)) port.nodePort = previous
    }
  }
  // Leaving NodePort/LoadBalancer: node ports the client merely carried over are dropped.
  if (needsNodePorts(old) && !needsNodePorts(spec)) {
    const oldPorts = list(old.ports)
    const newPorts = list(spec.ports)
    if (newPorts.every((p, i) => !p.nodePort || p.nodePort === oldPorts[i]?.nodePort)) for (const p of newPorts) delete p.nodePort
  }
  // Becoming ExternalName: the cluster IP and IP families the client merely carried over are dropped.
  if (needsClusterIP(old) && !needsClusterIP(spec)) {
    for (const field of ['clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'internalTrafficPolicy'])
      if (sameJson(spec[field], old[field])) delete spec[field]
  }
  if (!accessible(spec) && sameJson(spec.externalTrafficPolicy, old.externalTrafficPolicy)) delete spec.externalTrafficPolicy
  mirrorClusterIPs(spec)
}

async function prepareUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> {
  const spec = specOf(obj)
  const oldSpec = (isPlainObject(old.spec) ? old.spec : {}) as Obj
  patchFromOld(spec, oldSpec)
  if (validateServiceSpec(spec).length > 0 || validateServiceUpdate(obj, old).length > 0) return
  await allocate(spec, ctx, needsNodePorts(oldSpec) ? nodePortsOf(oldSpec) : new Set())
}

export const serviceStrategy = defineStrategy({
  hasStatus: true,
  applyDefaults: defaultService,
  prepareForCreate: prepareCreate,
  prepareForUpdate: prepareUpdate,
  validate(obj) {
    return [...validateObjectMeta(obj.metadata, {namespaced: true, name: nameIsDNS1035Label}), ...validateServiceSpec(obj.spec)]
  },
  validateUpdate: validateServiceUpdate,
})
