// Cluster IPs (from the cluster's Service range, 10.96.0.0/16 by default) and NodePorts (30000-32767)
// for Services, allocated by scanning the Services that exist; the store is the single source of
// truth, so restarts need no side table. Automatic allocation starts above the fixed addresses (the
// kubernetes Service's .1, cluster DNS's .10), which stay free for them.
import {ApiError} from '../api/errors.js'
import {resourceOfKind} from '../api/resources.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {Cidr} from '../network/cidr.js'
import {FIRST_DYNAMIC_SERVICE_OFFSET, SIMULATED_ADDRESSING} from '../network/cluster-addressing.js'

const SERVICES = resourceOfKind('Service')

interface ServiceSpecLike {
  clusterIP?: string
  clusterIPs?: string[]
  ports?: Array<{nodePort?: number}>
}

export class ServiceAllocator {
  // Handed out but maybe not yet stored: keeps two concurrent creates from getting the same address.
  private readonly pendingIPs = new Set<string>()
  private readonly pendingPorts = new Set<number>()

  private readonly range: Cidr

  constructor(
    private readonly registry: () => ObjectRegistry,
    serviceCIDR = SIMULATED_ADDRESSING.serviceCIDR,
  ) {
    this.range = Cidr.parse(serviceCIDR)
  }

  async allocateClusterIP(requested?: string): Promise<string> {
    const used = await this.usedIPs()
    if (requested) {
      const offset = this.range.offsetOf(requested)
      // The network and broadcast addresses of the range are not Service addresses either.
      if (offset === undefined || offset === 0 || offset === this.range.size - 1)
        throw invalidField('spec.clusterIPs', requested, `failed to allocate IP: the provided IP is not in the valid range. The range of valid IPs is ${this.range.toString()}`)
      if (used.has(requested)) throw invalidField('spec.clusterIPs', requested, 'failed to allocate IP: provided IP is already allocated')
      return this.hold(this.pendingIPs, requested)
    }
    for (let i = FIRST_DYNAMIC_SERVICE_OFFSET; i < this.range.size - 1; i++) {
      const ip = this.range.nth(i)
      if (!used.has(ip) && !this.pendingIPs.has(ip)) return this.hold(this.pendingIPs, ip)
    }
    throw new ApiError(500, 'InternalError', 'Internal error occurred: failed to allocate a serviceIP: range is full')
  }

  async allocateNodePort(requested?: number): Promise<number> {
    const used = await this.usedPorts()
    if (requested !== undefined) {
      if (requested < 30000 || requested > 32767)
        throw invalidField('spec.ports[0].nodePort', requested, 'provided port is not in the valid range. The range of valid ports is 30000-32767')
      if (used.has(requested)) throw invalidField('spec.ports[0].nodePort', requested, 'provided port is already allocated')
      return this.hold(this.pendingPorts, requested)
    }
    // Start from a random point, as the real allocator does, so ports are not predictable.
    const start = 30000 + Math.floor(Math.random() * 2768)
    for (let i = 0; i < 2768; i++) {
      const port = 30000 + ((start - 30000 + i) % 2768)
      if (!used.has(port) && !this.pendingPorts.has(port)) return this.hold(this.pendingPorts, port)
    }
    throw new ApiError(500, 'InternalError', 'Internal error occurred: failed to allocate a nodePort: range is full')
  }

  private hold<T>(set: Set<T>, value: T): T {
    set.add(value)
    setTimeout(() => set.delete(value), 5000).unref()
    return value
  }

  private async usedIPs(): Promise<Set<string>> {
    const {items} = await this.registry().list(SERVICES)
    const used = new Set<string>()
    for (const s of items) for (const ip of (s.spec as ServiceSpecLike | undefined)?.clusterIPs ?? []) used.add(ip)
    return used
  }

  private async usedPorts(): Promise<Set<number>> {
    const {items} = await this.registry().list(SERVICES)
    const used = new Set<number>()
    for (const s of items) for (const p of (s.spec as ServiceSpecLike | undefined)?.ports ?? []) if (p.nodePort) used.add(p.nodePort)
    return used
  }
}

function invalidField(field: string, value: unknown, detail: string): ApiError {
  return new ApiError(422, 'Invalid', `Service "" is invalid: ${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`, {
    kind: 'Service',
    causes: [{reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field}],
  })
}
