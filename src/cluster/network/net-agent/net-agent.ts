// kcluster-net's reconciler: makes the machine match one NetState (net-protocol.ts) and says what it
// could not do. The order matters: addresses first, since a proxy or the DNS server can only bind an
// address the interface holds; then the proxies; then DNS, whose records are rebuilt from every
// snapshot while its sockets stay put until the listen address changes. Level-based: every state is
// the whole truth, and what failed last time is simply tried again. Bad state is reported, never thrown.
import {logger} from '../../log.js'
import {buildClusterRecords, type ClusterRecords} from '../dns/cluster-records.js'
import type {DnsUpstream} from '../dns/dns-forwarder.js'
import {startDnsServer, type DnsServer} from '../dns/dns-server.js'
import type {NetReport, NetState} from '../net-protocol.js'
import {ProxyTable, type ProxyTableOptions} from '../proxy/proxy-table.js'
import type {AddressHolder} from './address-holder.js'
import {checkNetState, STATE_KEY} from './net-state-check.js'

export type NetFailure = NetReport['failures'][number]

export interface NetAgentOptions {
  addresses: AddressHolder
  /** Where the DNS server listens on `dns.listen`; default 53. Tests use 0 (a free port) since 53 needs root. */
  dnsPort?: number
  /** Where names outside the cluster go (Docker's embedded resolver in the container); none: REFUSED. */
  forward?: DnsUpstream
  proxy?: Omit<ProxyTableOptions, 'onListenError'>
}

/** Failure keys of the steps that are not one address or one proxy. */
export const FAILURE_KEY = {addresses: 'addresses', proxies: 'proxies', dnsRecords: 'dns/records', dnsListen: 'dns/listen'} as const

const log = logger('net-agent')
const EMPTY_SNAPSHOT = {namespaces: [], services: [], endpoints: [], pods: []}

export class NetAgent {
  private readonly table: ProxyTable
  private records: ClusterRecords = buildClusterRecords(EMPTY_SNAPSHOT)
  private dns: {listen: string; server: DnsServer} | undefined
  private queue: Promise<unknown> = Promise.resolve()
  private closed = false

  constructor(private readonly options: NetAgentOptions) {
    this.table = new ProxyTable({...options.proxy, onListenError: (key, err) => log.warn({key, err: err.message}, 'proxy cannot listen')})
  }

  /** The DNS server's address and port while it runs. */
  dnsAddress(): {host: string; port: number} | undefined {
    return this.dns && {host: this.dns.listen, port: this.dns.server.port}
  }

  /** Applies one state (states run one at a time, in call order) and resolves with what failed. */
  apply(state: NetState | unknown): Promise<NetFailure[]> {
    const run = this.queue.then(() => this.applyNow(state))
    this.queue = run.catch(() => {})
    return run
  }

  /** Closes every proxy and the DNS server; later states do nothing. Held addresses die with the container. */
  close(): Promise<void> {
    const run = this.queue.then(async () => {
      this.closed = true
      const dns = this.dns
      this.dns = undefined
      await Promise.all([this.table.close(), dns?.server.close()])
    })
    this.queue = run.catch(() => {})
    return run
  }

  private async applyNow(input: unknown): Promise<NetFailure[]> {
    if (this.closed) return [{key: STATE_KEY, message: 'state refused: kcluster-net is shutting down'}]
    const checked = checkNetState(input)
    if (!checked.ok) return checked.failures
    const {state} = checked
    const failures: NetFailure[] = [...checked.failures]
    const step = async (key: string, work: () => Promise<NetFailure[]>): Promise<void> => {
      try {
        failures.push(...(await work()))
      } catch (error) {
        failures.push({key, message: error instanceof Error ? error.message : String(error)})
      }
    }
    await step(FAILURE_KEY.addresses, () => this.options.addresses.sync(state.addresses))
    await step(FAILURE_KEY.proxies, async () => {
      const result = await this.table.sync(state.proxies)
      return result.failed.map(({key, error}) => ({key, message: error.message}))
    })
    await step(FAILURE_KEY.dnsRecords, async () => {
      this.records = buildClusterRecords(state.dns.snapshot, {zone: state.dns.zone || undefined})
      return []
    })
    await step(FAILURE_KEY.dnsListen, () => this.syncDnsServer(state.dns.listen))
    log.info({addresses: state.addresses.length, proxies: state.proxies.length, dns: state.dns.listen, failures: failures.length}, 'state applied')
    if (failures.length > 0) log.debug({failures}, 'state failures')
    return failures
  }

  // Started on the first state that names an address, moved when the address changes, stopped when a
  // state names none; a server that could not start is tried again with the next state.
  private async syncDnsServer(listen: string): Promise<NetFailure[]> {
    if (this.dns?.listen === listen) return []
    if (this.dns) {
      const old = this.dns
      this.dns = undefined
      await old.server.close()
      log.info({listen: old.listen}, 'dns server stopped')
    }
    if (listen === '') return []
    const port = this.options.dnsPort ?? 53
    try {
      const server = await startDnsServer({host: listen, port, records: () => this.records, ...(this.options.forward ? {forward: this.options.forward} : {})})
      this.dns = {listen, server}
      return []
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      return [{key: FAILURE_KEY.dnsListen, message: `listen DNS on ${listen}:${port}: ${reason}`}]
    }
  }
}
