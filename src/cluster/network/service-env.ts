// The Service environment variables the kubelet gives every container (pkg/kubelet/envvars/envvars.go
// FromServices, kubelet_pods.go getServiceEnvVarMap and the end of makeEnvironmentVariables): Docker-link
// style `<SVC>_PORT_<port>_<PROTO>...` plus `<SVC>_SERVICE_HOST/PORT`, for the Services of the pod's
// namespace that exist when the container starts (enableServiceLinks, default true) and always for the
// `kubernetes` Service of `default`, which in-cluster clients find the API server by.
import type {Service} from 'kubernetes-types/core/v1.js'

export interface ServiceEnvVar {
  name: string
  value: string
}

export interface ServiceEnvOptions {
  /** The pod's namespace. */
  namespace: string
  /** pod.spec.enableServiceLinks; the API server defaults it to true. */
  enableServiceLinks?: boolean
}

/** The namespace and names whose variables every pod gets (the kubelet's masterServices). */
const MASTER_NAMESPACE = 'default'
const MASTER_SERVICES = new Set(['kubernetes'])

/** v1helper.IsServiceIPSet: headless (`None`) and not-yet-allocated Services give no variables. */
function isServiceIPSet(svc: Service): boolean {
  const ip = svc.spec?.clusterIP
  return ip !== undefined && ip !== '' && ip !== 'None'
}

/** makeEnvVariableName: upper case, `-` to `_` (Service and port names are DNS labels, so nothing else is needed). */
export function envVariableName(name: string): string {
  return name.replaceAll('-', '_').toUpperCase()
}

/**
 * envvars.FromServices, in its order: per Service `<SVC>_SERVICE_HOST`, `<SVC>_SERVICE_PORT` (the first
 * port), `<SVC>_SERVICE_PORT_<PORTNAME>` for each named port, then the Docker link variables. A Service
 * with no ports (which validation forbids unless headless) gets only its host variable.
 */
export function envVarsFromServices(services: readonly Service[]): ServiceEnvVar[] {
  const out: ServiceEnvVar[] = []
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue
    const prefix = envVariableName(svc.metadata?.name ?? '')
    const clusterIP = svc.spec!.clusterIP!
    const ports = svc.spec?.ports ?? []
    out.push({name: `${prefix}_SERVICE_HOST`, value: clusterIP})
    if (ports.length === 0) continue
    out.push({name: `${prefix}_SERVICE_PORT`, value: String(ports[0]!.port)})
    for (const port of ports) {
      if (port.name) out.push({name: `${prefix}_SERVICE_PORT_${envVariableName(port.name)}`, value: String(port.port)})
    }
    ports.forEach((port, i) => {
      const protocol = port.protocol || 'TCP'
      const url = `${protocol.toLowerCase()}://${clusterIP}:${port.port}`
      // Docker special-cases the first port.
      if (i === 0) out.push({name: `${prefix}_PORT`, value: url})
      const portPrefix = `${prefix}_PORT_${port.port}_${protocol.toUpperCase()}`
      out.push(
        {name: portPrefix, value: url},
        {name: `${portPrefix}_PROTO`, value: protocol.toLowerCase()},
        {name: `${portPrefix}_PORT`, value: String(port.port)},
        {name: `${portPrefix}_ADDR`, value: clusterIP},
      )
    })
  }
  return out
}

/**
 * getServiceEnvVarMap: the variables for a pod in `namespace`, from every Service the caller knows
 * (any namespace; the others are ignored). The pod's own namespace's Service wins over `default`'s for
 * a master name, as in the kubelet. The kubelet walks a Go map, so its order and the winner of a name
 * two Services both produce are random; here Services go by name, a later one winning a shared name.
 */
export function serviceEnvVarMap(services: readonly Service[], options: ServiceEnvOptions): Map<string, string> {
  const links = options.enableServiceLinks ?? true
  const chosen = new Map<string, Service>()
  for (const svc of services) {
    if (!isServiceIPSet(svc)) continue
    const name = svc.metadata?.name ?? ''
    const namespace = svc.metadata?.namespace ?? ''
    if (namespace === MASTER_NAMESPACE && MASTER_SERVICES.has(name)) {
      if (!chosen.has(name)) chosen.set(name, svc)
    } else if (namespace === options.namespace && links) {
      chosen.set(name, svc)
    }
  }
  const ordered = [...chosen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, svc]) => svc)
  const env = new Map<string, string>()
  for (const v of envVarsFromServices(ordered)) env.set(v.name, v.value)
  return env
}

/**
 * The container's final environment as makeEnvironmentVariables ends it: the container's own variables
 * (envFrom and env, already resolved, in their order) win; the Service variables they do not define follow.
 */
export function withServiceEnv(containerEnv: ReadonlyMap<string, string>, serviceEnv: ReadonlyMap<string, string>): Map<string, string> {
  const env = new Map(containerEnv)
  for (const [name, value] of serviceEnv) if (!env.has(name)) env.set(name, value)
  return env
}
