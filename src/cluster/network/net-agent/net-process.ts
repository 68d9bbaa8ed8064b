// kcluster-net as one process: its settings from the environment the container is started with, and
// the pieces wired together (address holder → agent → control server). Kept apart from net-main.ts so
// it can be started and stopped in a test without signals or process.exit.
import type {DnsUpstream} from '../dns/dns-forwarder.js'
import {DOCKER_EMBEDDED_DNS, NET_CONTROL_PORT} from '../net-protocol.js'
import {CommandAddressHolder, type AddressHolder} from './address-holder.js'
import {startControlServer} from './control-server.js'
import {NetAgent} from './net-agent.js'

export interface NetConfig {
  /** KCLUSTER_NET_TOKEN: what the control plane must send first. */
  token: string
  /** KCLUSTER_NET_LISTEN: the container's own address, where the control port listens. */
  listen: string
  /** KCLUSTER_NET_CONTROL_PORT, default NET_CONTROL_PORT. */
  controlPort: number
  /** KCLUSTER_NET_DNS_PORT, default 53. */
  dnsPort: number
  /** KCLUSTER_NET_ADDR_COMMAND, default /kcluster-addr. */
  addrCommand: string
  /** KCLUSTER_NET_INTERFACE, default eth0. */
  interfaceName: string
  /** KCLUSTER_NET_DNS_UPSTREAM as host:port, default Docker's embedded resolver; `none` refuses outside names. */
  upstream: DnsUpstream | undefined
}

export class NetConfigError extends Error {
  override name = 'NetConfigError'
  readonly code = 'NET_CONFIG'
}

export function readNetConfig(env: Record<string, string | undefined>): NetConfig {
  const required = (name: string): string => {
    const value = env[name]
    if (!value) throw new NetConfigError(`${name} is not set`)
    return value
  }
  return {
    token: required('KCLUSTER_NET_TOKEN'),
    listen: required('KCLUSTER_NET_LISTEN'),
    controlPort: portFrom(env, 'KCLUSTER_NET_CONTROL_PORT', NET_CONTROL_PORT),
    dnsPort: portFrom(env, 'KCLUSTER_NET_DNS_PORT', 53),
    addrCommand: env.KCLUSTER_NET_ADDR_COMMAND || '/kcluster-addr',
    interfaceName: env.KCLUSTER_NET_INTERFACE || 'eth0',
    upstream: upstreamFrom(env.KCLUSTER_NET_DNS_UPSTREAM),
  }
}

export interface NetProcess {
  readonly controlPort: number
  readonly agent: NetAgent
  /** Stops taking commands, then closes every proxy and the DNS server. */
  close(): Promise<void>
}

export async function startNetProcess(config: NetConfig, deps: {addresses?: AddressHolder} = {}): Promise<NetProcess> {
  const addresses = deps.addresses ?? new CommandAddressHolder({command: config.addrCommand, interfaceName: config.interfaceName})
  const agent = new NetAgent({addresses, dnsPort: config.dnsPort, ...(config.upstream ? {forward: config.upstream} : {})})
  const control = await startControlServer({host: config.listen, port: config.controlPort, token: config.token, apply: (state) => agent.apply(state)})
  return {
    controlPort: control.port,
    agent,
    async close() {
      await control.close()
      await agent.close()
    },
  }
}

function portFrom(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name]
  if (!text) return fallback
  const port = Number(text)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new NetConfigError(`${name}=${text} is not a port number`)
  return port
}

function upstreamFrom(text: string | undefined): DnsUpstream | undefined {
  if (!text) return DOCKER_EMBEDDED_DNS
  if (text === 'none') return undefined
  const colon = text.lastIndexOf(':')
  const port = Number(text.slice(colon + 1))
  if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new NetConfigError(`KCLUSTER_NET_DNS_UPSTREAM=${text} is not host:port or none`)
  }
  return {host: text.slice(0, colon), port}
}
