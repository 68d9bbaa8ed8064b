// Shared pieces of the kcluster-net tests: free ports on loopback "ClusterIPs" (Linux answers on every
// 127.0.0.0/8 address without adding it), a TCP client for them, a control-protocol client, and a
// desired state with two Services and the cluster DNS Service.
import net from 'node:net'
import type {ProxyEndpoint} from '../../../../src/cluster/network/proxy/endpoint-picker.js'
import type {NetReport, NetState} from '../../../../src/cluster/network/net-protocol.js'

export const WEB_IP = '127.0.0.21'
export const DNS_IP = '127.0.0.22'
export const API_IP = '127.0.0.23'

/** A port free on `host` right now (bound and released), to give a Service port a fixed number. */
export async function freePort(host: string): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export {askAt} from '../proxy/backends.js'

/** The error code connecting to host:port ends with, or 'connected'. */
export function connectOutcome(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({host, port})
    socket.on('connect', () => {
      socket.destroy()
      resolve('connected')
    })
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
}

export function netState(opts: {web: ProxyEndpoint; webPort: number; api?: {endpoint: ProxyEndpoint; port: number}}): NetState {
  const proxies: NetState['proxies'] = [
    {key: 'default/web:http/TCP', host: WEB_IP, port: opts.webPort, protocol: 'TCP', endpoints: [opts.web]},
  ]
  const services: NetState['dns']['snapshot']['services'] = [
    {namespace: 'kube-system', name: 'kube-dns', type: 'ClusterIP', clusterIPs: [DNS_IP], headless: false, ports: [{name: 'dns', port: 53, protocol: 'UDP'}]},
    {namespace: 'default', name: 'web', type: 'ClusterIP', clusterIPs: [WEB_IP], headless: false, ports: [{name: 'http', port: opts.webPort, protocol: 'TCP'}]},
  ]
  const addresses = [DNS_IP, WEB_IP]
  if (opts.api) {
    proxies.push({key: 'default/api:grpc/TCP', host: API_IP, port: opts.api.port, protocol: 'TCP', endpoints: [opts.api.endpoint]})
    services.push({namespace: 'default', name: 'api', type: 'ClusterIP', clusterIPs: [API_IP], headless: false, ports: [{name: 'grpc', port: opts.api.port, protocol: 'TCP'}]})
    addresses.push(API_IP)
  }
  return {addresses, proxies, dns: {listen: DNS_IP, zone: 'cluster.local', snapshot: {namespaces: ['default', 'kube-system'], services, endpoints: [], pods: []}}}
}

/** One control-protocol connection: writes lines, reads report lines, notices when the server hangs up. */
export class ControlClient {
  private readonly reports: NetReport[] = []
  private readonly readers: Array<(report: NetReport) => void> = []
  private buffered = ''
  readonly closed: Promise<void>

  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8')
    socket.on('data', (text: string) => {
      this.buffered += text
      for (let nl = this.buffered.indexOf('\n'); nl !== -1; nl = this.buffered.indexOf('\n')) {
        const report = JSON.parse(this.buffered.slice(0, nl)) as NetReport
        this.buffered = this.buffered.slice(nl + 1)
        const reader = this.readers.shift()
        if (reader) reader(report)
        else this.reports.push(report)
      }
    })
    socket.on('error', () => {})
    this.closed = new Promise((resolve) => socket.on('close', () => resolve()))
  }

  static connect(port: number, host = '127.0.0.1'): Promise<ControlClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({host, port})
      socket.once('error', reject)
      socket.once('connect', () => resolve(new ControlClient(socket)))
    })
  }

  send(line: unknown): void {
    this.socket.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`)
  }

  report(timeoutMs = 5000): Promise<NetReport> {
    const ready = this.reports.shift()
    if (ready) return Promise.resolve(ready)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no report in time')), timeoutMs)
      this.readers.push((report) => {
        clearTimeout(timer)
        resolve(report)
      })
    })
  }

  /** Whether the server closed the connection within `timeoutMs`. */
  async closedWithin(timeoutMs = 2000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)))
    const result = await Promise.race([this.closed.then(() => true), timedOut])
    clearTimeout(timer)
    return result
  }

  close(): void {
    this.socket.destroy()
  }
}
