// Keeps kcluster-net in line with the cluster: every change to a Service, EndpointSlice, Pod or
// Namespace (through the shared informers, so no extra watches) schedules one recomputation of the
// whole state a moment later — bursts (a rollout's dozens of slice updates) collapse into one send.
import type {Namespace, Pod, Service} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {Clock} from '../clock.js'
import type {SharedInformerFactory} from '../controllers/informers/shared-informer-factory.js'
import {logger} from '../log.js'
import {NetClient} from './net-client.js'
import type {NetReport} from './net-protocol.js'
import {netState, type NetAddresses} from './net-state.js'

/** How long changes are gathered before the state is sent: well under the "within a second or two" issue 5 asks. */
const SETTLE_MS = 50

export interface NetworkControllerOptions {
  informers: SharedInformerFactory
  clock: Clock
  addresses: NetAddresses
  target: () => Promise<{host: string; port: number}>
  token: string
  onReport?: (report: NetReport) => void
}

export class NetworkController {
  readonly name = 'kcluster-net'
  private readonly log = logger('net-controller')
  private readonly client: NetClient
  private readonly releases: Array<() => void> = []
  private timer?: NodeJS.Timeout

  constructor(private readonly opts: NetworkControllerOptions) {
    this.client = new NetClient({target: opts.target, token: opts.token, clock: opts.clock, onReport: (r) => this.report(r)})
  }

  async start(): Promise<void> {
    const informers = ['Service', 'EndpointSlice', 'Pod', 'Namespace'].map((kind) => this.opts.informers.informerFor(resourceOfKind(kind)))
    for (const informer of informers) {
      this.releases.push(informer.acquire())
      this.releases.push(informer.addEventHandler({onAdd: () => this.schedule(), onUpdate: () => this.schedule(), onDelete: () => this.schedule()}))
    }
    await Promise.all(informers.map((i) => i.whenSynced()))
    this.schedule()
  }

  /** The control connection to kcluster-net, as NetClient.connection() reports it. */
  connection(): ReturnType<NetClient['connection']> {
    return this.client.connection()
  }

  stop(): void {
    clearTimeout(this.timer)
    for (const release of this.releases.splice(0)) release()
    this.client.close()
  }

  private schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      this.send()
    }, SETTLE_MS)
  }

  private send(): void {
    const list = <T>(kind: string) => this.opts.informers.informerFor(resourceOfKind(kind)).cache.list() as unknown as T[]
    const state = netState(
      {services: list<Service>('Service'), endpointSlices: list<EndpointSlice>('EndpointSlice'), pods: list<Pod>('Pod'), namespaces: list<Namespace>('Namespace')},
      this.opts.addresses,
    )
    this.client.send(state)
  }

  private report(report: NetReport): void {
    for (const failure of report.failures) this.log.warn({key: failure.key}, failure.message)
    this.opts.onReport?.(report)
  }
}
