// A pod's /etc/resolv.conf as the kubelet writes it (pkg/kubelet/network/dns): ClusterFirst (the
// default) points at the cluster DNS Service with the search path `<ns>.svc.<zone> svc.<zone> <zone>`
// and `ndots:5`; Default leaves the runtime's own resolver (Docker's, which uses the host's); None uses
// only the pod's dnsConfig, which the other policies are extended with. The file is written once per
// pod and bind-mounted into each of its containers.
import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import type {Pod, PodDNSConfig} from 'kubernetes-types/core/v1.js'
import type {ContainerMount} from '../../runtime/runtime.js'
import {podDir} from './volumes.js'

export interface ClusterDns {
  /** The cluster DNS Service's ClusterIP. */
  nameserver: string
  /** The cluster domain, `cluster.local`. */
  zone: string
}

export interface ResolvConf {
  nameservers: string[]
  searches: string[]
  options: string[]
}

/** The kubelet's limits (validation.MaxDNSNameservers and the search list limits). */
const MAX_NAMESERVERS = 3
const MAX_SEARCHES = 32

/** What the pod's resolv.conf says, or undefined when the runtime's own file stays (dnsPolicy Default without dnsConfig). */
export function podResolvConf(pod: Pod, dns: ClusterDns): ResolvConf | undefined {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst'
  const config = pod.spec?.dnsConfig
  const namespace = pod.metadata?.namespace ?? 'default'
  let base: ResolvConf
  // ClusterFirstWithHostNet matters only with hostNetwork, which this runtime does not offer: it is ClusterFirst.
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    base = {nameservers: [dns.nameserver], searches: [`${namespace}.svc.${dns.zone}`, `svc.${dns.zone}`, dns.zone], options: ['ndots:5']}
  } else if (policy === 'None') base = {nameservers: [], searches: [], options: []}
  else if (!config) return undefined
  else base = {nameservers: [], searches: [], options: []}
  return merged(base, config)
}

/** dnsConfig extends the base: nameservers and searches appended (duplicates dropped), options by name, the pod's winning. */
function merged(base: ResolvConf, config: PodDNSConfig | undefined): ResolvConf {
  const nameservers = unique([...base.nameservers, ...(config?.nameservers ?? [])]).slice(0, MAX_NAMESERVERS)
  const searches = unique([...base.searches, ...(config?.searches ?? [])]).slice(0, MAX_SEARCHES)
  const options = new Map(base.options.map((o) => [o.split(':')[0]!, o]))
  for (const o of config?.options ?? []) options.set(o.name ?? '', o.value === undefined ? `${o.name}` : `${o.name}:${o.value}`)
  return {nameservers, searches, options: [...options.values()]}
}

export function renderResolvConf(conf: ResolvConf): string {
  const lines = conf.nameservers.map((n) => `nameserver ${n}`)
  if (conf.searches.length) lines.push(`search ${conf.searches.join(' ')}`)
  if (conf.options.length) lines.push(`options ${conf.options.join(' ')}`)
  return `${lines.join('\n')}\n`
}

/** Writes the pod's resolv.conf and returns its mount, or undefined when the runtime's own file stays. */
export async function resolvConfMount(podsDir: string, pod: Pod, dns: ClusterDns): Promise<ContainerMount | undefined> {
  const conf = podResolvConf(pod, dns)
  if (!conf) return undefined
  const file = path.join(podDir(podsDir, pod.metadata!.uid!), 'resolv.conf')
  await mkdir(path.dirname(file), {recursive: true})
  await writeFile(file, renderResolvConf(conf), {mode: 0o644})
  return {hostPath: file, containerPath: '/etc/resolv.conf', readOnly: true}
}

function unique(values: string[]): string[] {
  return [...new Set(values)]
}
