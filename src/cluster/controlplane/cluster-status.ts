// GET /kcluster/status: the summary `kcluster status` prints (components, nodes, object counts).
import {RESOURCES} from '../api/resources.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {IngressListeners} from '../network/ingress-controller/ingress-controller.js'

export interface ClusterStatusInput {
  name: string
  driver: string
  startedAt: string
  apiURL: string
  registry: ObjectRegistry
  controllersRunning: number
  /** The built-in ingress controller's listeners (absent: no ingress controller, as on the simulated runtime). */
  ingress?: IngressListeners
  /** Components beyond the built-in four (kcluster-net on Docker). */
  extraComponents?: Array<{name: string; healthy: boolean; message?: string}>
}

export async function clusterStatus(input: ClusterStatusInput) {
  const objectCounts: Record<string, number> = {}
  let nodes: Array<{name: string; ready: boolean}> = []
  for (const r of RESOURCES) {
    const {items} = await input.registry.list(r)
    objectCounts[r.group ? `${r.plural}.${r.group}` : r.plural] = items.length
    if (r.kind === 'Node')
      nodes = items.map((n) => ({
        name: n.metadata.name!,
        ready: ((n.status as {conditions?: Array<{type: string; status: string}>})?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
      }))
  }
  return {
    name: input.name,
    driver: input.driver,
    startedAt: input.startedAt,
    apiURL: input.apiURL,
    components: [
      {name: 'store', healthy: true},
      {name: 'apiserver', healthy: true},
      {name: 'controllers', healthy: input.controllersRunning > 0, message: `${input.controllersRunning} running`},
      {name: 'node-agent', healthy: nodes.some((n) => n.ready)},
      ...(input.extraComponents ?? []),
    ],
    nodes,
    objectCounts,
    ...(input.ingress ? {ingress: input.ingress} : {}),
  }
}
