// Answers for the cluster zone, as CoreDNS's kubernetes plugin gives them (handler.go and the
// backend_lookup.go helpers) with `pods insecure`, `ttl 5` and `fallthrough in-addr.arpa ip6.arpa`:
// records when the name has them, NODATA (NOERROR, SOA only) when it exists without them, NXDOMAIN
// when it does not exist. Reverse names of unknown addresses and names outside the zone are not ours.
import {indexSnapshot} from './cluster-index.js'
import {resolveClusterName, type NameTarget} from './cluster-names.js'
import type {DnsQuestion} from './dns-message.js'
import {canonicalName} from './dns-name.js'
import {DnsType, type DnsRecord} from './dns-records.js'
import {ipFromReverseName, isReverseName} from './dns-reverse.js'
import type {ClusterDnsSnapshot} from './dns-snapshot.js'

/** What to do with one question. */
export type DnsLookup =
  /** Not the cluster's: ask the upstream resolver. */
  | {kind: 'forward'}
  /** Zone transfers are refused. */
  | {kind: 'refused'}
  | {
    kind: 'answer'
    rcode: 0 | 3
    answers: DnsRecord[]
    authorities: DnsRecord[]
    additionals: DnsRecord[]
    /** The answer ends in a CNAME out of the zone: the caller may resolve this upstream and append. */
    chase?: {name: string; type: number}
  }

/** A question answered from the cluster's records. */
export type DnsAnswer = Extract<DnsLookup, {kind: 'answer'}>

export interface ClusterRecords {
  readonly zone: string
  lookup(question: DnsQuestion): DnsLookup
}

export interface ClusterRecordsOptions {
  /** The cluster domain; default `cluster.local`. */
  zone?: string
  /** TTL of every record; default 5 s, CoreDNS's kubernetes default. */
  ttl?: number
  /** SOA serial; CoreDNS uses the time of the last change it saw. */
  serial?: number
}

export const DNS_SCHEMA_VERSION = '1.1.0'
// CoreDNS stops following CNAMEs inside its zone after this many.
const MAX_ALIAS_DEPTH = 8

export function buildClusterRecords(snapshot: ClusterDnsSnapshot, options: ClusterRecordsOptions = {}): ClusterRecords {
  const zone = canonicalName(options.zone ?? 'cluster.local')
  const ttl = options.ttl ?? 5
  const index = indexSnapshot(snapshot, zone)
  const soa: DnsRecord = {
    name: zone, ttl: Math.min(ttl, 300), type: 'SOA', mname: `ns.dns.${zone}`, rname: `hostmaster.${zone}`,
    serial: options.serial ?? 1, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl,
  }
  const nameServerIPs = index.services.get('kube-system/kube-dns')?.clusterIPs ?? []
  const answer = (answers: DnsRecord[], additionals: DnsRecord[] = []): DnsAnswer =>
    answers.length === 0
      ? {kind: 'answer', rcode: 0, answers, authorities: [soa], additionals: []}
      : {kind: 'answer', rcode: 0, answers, authorities: [], additionals}
  const nxdomain: DnsAnswer = {kind: 'answer', rcode: 3, answers: [], authorities: [soa], additionals: []}

  function lookup(question: DnsQuestion): DnsLookup {
    const name = canonicalName(question.name)
    if (name !== zone && !name.endsWith(`.${zone}`)) {
      if (question.type !== DnsType.PTR || !isReverseName(name)) return {kind: 'forward'}
      const ip = ipFromReverseName(name)
      const targets = ip === undefined ? undefined : index.reverse.get(ip)
      if (!targets) return {kind: 'forward'}
      return answer(targets.map((target) => ({name: question.name, ttl, type: 'PTR', target})))
    }
    const labels = name === zone ? [] : name.slice(0, -zone.length - 1).split('.')
    const type = question.type
    if (type === DnsType.AXFR || type === DnsType.IXFR) return {kind: 'refused'}
    if (type === DnsType.SOA) return answer(labels.length === 0 ? [{...soa, name: question.name}] : [])
    if (type === DnsType.NS && labels.length === 0) {
      const ns = `ns.dns.${zone}`
      return answer([{name: question.name, ttl, type: 'NS', target: ns}], addressRecords(ns, nameServerIPs, DnsType.A, ttl))
    }
    if ((type === DnsType.A || type === DnsType.AAAA) && labels.join('.') === 'ns.dns') {
      return answer(addressRecords(question.name, nameServerIPs, type, ttl))
    }
    if (type === DnsType.TXT && labels.join('.') === 'dns-version') {
      return answer([{name: question.name, ttl: 28800, type: 'TXT', texts: [DNS_SCHEMA_VERSION]}])
    }
    const resolved = resolveClusterName(index, labels)
    if (!resolved.exists) return nxdomain
    const {targets} = resolved
    switch (type) {
      case DnsType.A:
      case DnsType.AAAA:
        return addressAnswer(question.name, targets, type, 0)
      case DnsType.CNAME:
        return answer(targets.filter((t) => t.isAlias).map((t) => ({name: question.name, ttl, type: 'CNAME', target: t.host})))
      case DnsType.SRV:
        return srvAnswer(question.name, targets)
      case DnsType.TXT:
        // CoreDNS: a name with targets has no TXT (NODATA); one without any is NXDOMAIN, even the apex.
        return targets.length > 0 ? answer([]) : nxdomain
      default:
        return answer([])
    }
  }

  // A and AAAA: addresses of the family asked for; an alias becomes a CNAME followed inside the zone,
  // and handed to the caller (chase) when it leaves the zone.
  function addressAnswer(owner: string, targets: readonly NameTarget[], type: number, depth: number): DnsAnswer {
    const alias = targets.find((t) => t.isAlias)
    if (!alias) return answer(addressRecords(owner, targets.map((t) => t.host), type, ttl))
    const cname: DnsRecord = {name: owner, ttl, type: 'CNAME', target: alias.host}
    const target = canonicalName(alias.host)
    if (target !== zone && !target.endsWith(`.${zone}`)) return {...answer([cname]), chase: {name: alias.host, type}}
    const next = depth < MAX_ALIAS_DEPTH ? resolveClusterName(index, target === zone ? [] : target.slice(0, -zone.length - 1).split('.')) : undefined
    if (!next?.exists) return answer([cname])
    const rest = addressAnswer(alias.host, next.targets, type, depth + 1)
    return {...rest, rcode: 0, answers: [cname, ...rest.answers], authorities: []}
  }

  // SRV: one record per distinct target and port, equal weights summing to about 100 (CoreDNS's
  // arithmetic), priority 0, with the targets' addresses in the additional section.
  function srvAnswer(owner: string, targets: readonly NameTarget[]): DnsAnswer {
    const usable = targets.filter((t) => !t.isAlias && t.port >= 0)
    const weight = Math.max(1, Math.floor(100 / Math.max(1, targets.filter((t) => !t.isAlias).length)))
    const seen = new Set<string>()
    const answers: DnsRecord[] = []
    const additionals: DnsRecord[] = []
    for (const t of usable) {
      if (!seen.has(`srv ${t.domain} ${t.port}`)) {
        seen.add(`srv ${t.domain} ${t.port}`)
        answers.push({name: owner, ttl, type: 'SRV', priority: 0, weight, port: t.port, target: t.domain})
      }
      if (!seen.has(`addr ${t.domain} ${t.host}`)) {
        seen.add(`addr ${t.domain} ${t.host}`)
        additionals.push(...addressRecords(t.domain, [t.host], t.host.includes(':') ? DnsType.AAAA : DnsType.A, ttl))
      }
    }
    return answer(answers, additionals)
  }

  return {zone, lookup}
}

function addressRecords(owner: string, hosts: readonly string[], type: number, ttl: number): DnsRecord[] {
  const v6 = type === DnsType.AAAA
  const unique = [...new Set(hosts.filter((h) => h.includes(':') === v6))]
  return unique.map((address): DnsRecord => (v6 ? {name: owner, ttl, type: 'AAAA', address} : {name: owner, ttl, type: 'A', address}))
}
