// Ingress and IngressClass tables (printIngress, formatHosts, ingressLoadBalancerStatusStringer and
// printIngressClass in printers.go). The server renders with Wide=true, so addresses are not shortened.
import type {Ingress, IngressClass, IngressRule} from 'kubernetes-types/networking/v1.js'
import {ageColumn, column, nameColumn, since} from './format.js'
import type {TablePrinter} from './table.js'

const MAX_HOSTS = 3

/** formatHosts: up to three rule hosts, `+ N more...` past them, `*` when no rule names a host. */
export function formatIngressHosts(rules: IngressRule[] | undefined): string {
  const all = rules ?? []
  const hosts = all.slice(0, MAX_HOSTS).flatMap((r) => (r.host ? [r.host] : []))
  if (hosts.length === 0) return '*'
  return all.length > MAX_HOSTS ? `${hosts.join(',')} + ${all.length - MAX_HOSTS} more...` : hosts.join(',')
}

/** ingressLoadBalancerStatusStringer: the IPs, or hostnames, joined. */
export function formatIngressAddress(ingress: Ingress): string {
  return (ingress.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : i.hostname ? [i.hostname] : [])).join(',')
}

export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Class', 'string', 'The name of the IngressClass resource that should be used for ingress'),
    column('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    column('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    column('Ports', 'string', 'Ports of TLS configurations that open'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ingress = obj as unknown as Ingress
    return [
      ingress.metadata?.name ?? '',
      ingress.spec?.ingressClassName ?? '<none>',
      formatIngressHosts(ingress.spec?.rules),
      formatIngressAddress(ingress),
      (ingress.spec?.tls ?? []).length > 0 ? '80, 443' : '80',
      since(ingress.metadata?.creationTimestamp, now),
    ]
  },
}

export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Controller', 'string', 'Controller that is responsible for handling this class'),
    column('Parameters', 'string', 'A reference to a resource with additional parameters'),
    ageColumn(),
  ],
  cells(obj, now) {
    const ingressClass = obj as unknown as IngressClass
    const p = ingressClass.spec?.parameters
    const parameters = p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : '<none>'
    return [ingressClass.metadata?.name ?? '', ingressClass.spec?.controller ?? '', parameters, since(ingressClass.metadata?.creationTimestamp, now)]
  },
}
