// `kcluster service NAME`: the URLs on 127.0.0.1 where a Service answers from the host. A
// LoadBalancer Service answers on its own ports once its address is 127.0.0.1; a NodePort Service (and
// a LoadBalancer one whose ports are not all listening) on its nodePorts. ClusterIP Services are only
// reachable inside the cluster, so asking for one says how to expose it.
import type {Service} from 'kubernetes-types/core/v1.js'
import {KubeApiError, type HttpClient} from '../client/http-client.js'
import {ClusterError} from '../lifecycle/cluster-error.js'
import type {DriverName} from '../runtime/registry.js'
import {connect} from '../lifecycle/open-cluster.js'
import {servesLoadBalancer} from '../network/host-services/host-entries.js'

const HOST = '127.0.0.1'

export interface ServiceUrlsOptions {
  namespace?: string
  home?: string
}

export interface ServiceUrlsResult {
  cluster: string
  namespace: string
  service: string
  type: string
  /** `http://127.0.0.1:<port>` per TCP port (`udp://...` for UDP ports), in the Service's port order. */
  urls: string[]
  /** Things the user should know about these URLs (printed on stderr). */
  notes: string[]
}

/** The URLs of Service `service` in a running cluster. */
export async function serviceUrls(cluster: string, service: string, options: ServiceUrlsOptions = {}): Promise<ServiceUrlsResult> {
  const {client, config} = await connect(cluster, options.home)
  try {
    return await serviceUrlsVia(client, {cluster, driver: config.driver, namespace: options.namespace ?? 'default', service})
  } finally {
    client.close()
  }
}

export async function serviceUrlsVia(
  client: Pick<HttpClient, 'get'>,
  target: {cluster: string; driver: DriverName; namespace: string; service: string},
): Promise<ServiceUrlsResult> {
  const {cluster, namespace, service} = target
  let svc: Service
  try {
    svc = await client.get<Service>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}`)
  } catch (error) {
    if (error instanceof KubeApiError && error.code === 404) {
      throw new ClusterError('NotFound', `service "${service}" not found in namespace "${namespace}" of cluster "${cluster}"`, {
        why: error.message,
        fix: `list the Services with: kubectl get services -n ${namespace}${namespace === 'default' ? ' (or pick another namespace with -n)' : ''}`,
        cause: error,
      })
    }
    throw error
  }
  const type = svc.spec?.type ?? 'ClusterIP'
  if (type !== 'NodePort' && type !== 'LoadBalancer') throw notExposed(svc, namespace, service, type)
  if (target.driver !== 'docker') {
    throw new ClusterError('DriverUnavailable', `cluster "${cluster}" runs the ${target.driver} driver, which serves no Service on ${HOST}`, {
      why: 'simulated pods have no network, so there is nothing to forward to',
      fix: `use a cluster on Docker: kcluster start --driver docker --name <new name>`,
    })
  }
  const ports = svc.spec?.ports ?? []
  const result: ServiceUrlsResult = {cluster, namespace, service, type, urls: [], notes: []}
  const advertised = (svc.status?.loadBalancer?.ingress ?? []).some((i) => i.ip === HOST)
  if (servesLoadBalancer(svc) && advertised) {
    result.urls = ports.map((p) => urlOf(p.protocol, p.port))
    return result
  }
  result.urls = ports.filter((p) => typeof p.nodePort === 'number' && p.nodePort > 0).map((p) => urlOf(p.protocol, p.nodePort!))
  if (type === 'LoadBalancer') {
    result.notes.push(
      servesLoadBalancer(svc)
        ? `the load balancer of ${namespace}/${service} is still pending (see: kubectl describe service ${service} -n ${namespace}); ${result.urls.length > 0 ? 'showing its NodePorts' : 'it has no NodePorts either'}`
        : `${namespace}/${service} belongs to load balancer class "${svc.spec?.loadBalancerClass}"; showing its NodePorts`,
    )
  }
  return result
}

function urlOf(protocol: string | undefined, port: number): string {
  return `${protocol === 'UDP' ? 'udp' : 'http'}://${HOST}:${port}`
}

function notExposed(svc: Service, namespace: string, service: string, type: string): ClusterError {
  const port = svc.spec?.ports?.[0]?.port ?? 80
  const ns = namespace === 'default' ? '' : ` -n ${namespace}`
  const fix =
    type === 'ExternalName'
      ? `an ExternalName Service is a DNS alias for ${svc.spec?.externalName ?? 'another name'}; open that name instead`
      : [
          `make it reachable from the host: kubectl patch service ${service}${ns} -p '{"spec":{"type":"NodePort"}}'`,
          `  or expose its pods anew: kubectl expose deployment <name>${ns} --type=NodePort --port=${port}`,
          `  or forward a local port: kubectl port-forward${ns} service/${service} 8080:${port}`,
        ].join('\n')
  return new ClusterError('InvalidInput', `service "${service}" in namespace "${namespace}" is of type ${type} and has no URL on the host`, {
    why: `only NodePort and LoadBalancer Services listen on ${HOST}; a ${type} Service is reachable from inside the cluster only`,
    fix,
  })
}
