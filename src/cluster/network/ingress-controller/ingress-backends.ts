// Where an Ingress backend's requests go: the Service port the backend names (by number or by name),
// then that port's endpoints in the Service's EndpointSlices. The EndpointSlice controller names each
// slice port after the Service port and has already resolved named targetPorts per pod, so the Service
// is only needed to turn a port number into the Service port's name (and protocol).
import type {Service, ServicePort} from 'kubernetes-types/core/v1.js'
import type {EndpointSlice} from 'kubernetes-types/discovery/v1.js'
import type {KubeObject} from '../../api/types.js'
import type {IndexFunc} from '../../controllers/informers/informer-cache.js'
import type {IngressBackendRef} from '../ingress/ingress-routes.js'
import type {Endpoint} from '../ingress/ingress-server.js'
import {servicePortEndpoints} from '../proxy/slice-endpoints.js'

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
/** EndpointSlices by `namespace/service`, from their service-name label. */
export const SLICES_BY_SERVICE_INDEX = 'ingress:slices-by-service'

const NONE: readonly string[] = []

/** The index function for SLICES_BY_SERVICE_INDEX (one function object, so adding it twice is a no-op). */
export const slicesByServiceIndex: IndexFunc = (obj: KubeObject) => {
  const service = obj.metadata.labels?.[SERVICE_NAME_LABEL]
  return service ? [`${obj.metadata.namespace ?? ''}/${service}`] : NONE
}

export type BackendResolution =
  | {endpoints: Endpoint[]}
  /** Why there is no endpoint to send to (the server answers 503). */
  | {endpoints: []; problem: string}

/**
 * The Service port a backend names: `port.number` matches ServicePort.port, `port.name` matches
 * ServicePort.name. Only TCP ports carry HTTP; a number matching a UDP port only is no match.
 */
export function servicePortFor(service: Service, port: number | string): ServicePort | undefined {
  const ports = (service.spec?.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP')
  return typeof port === 'number' ? ports.find((p) => p.port === port) : ports.find((p) => p.name === port)
}

/** The endpoints of `backend`: ready ones, or serving-terminating ones while none is ready (kube-proxy's rule). */
export function backendEndpoints(backend: IngressBackendRef, service: Service | undefined, slices: readonly EndpointSlice[]): BackendResolution {
  const name = `${backend.namespace}/${backend.service}`
  if (!service) return {endpoints: [], problem: `service ${name} not found`}
  if (service.spec?.type === 'ExternalName') return {endpoints: [], problem: `service ${name} is of type ExternalName`}
  const port = servicePortFor(service, backend.port)
  if (!port) return {endpoints: [], problem: `service ${name} has no TCP port ${backend.port}`}
  const endpoints = servicePortEndpoints(slices, {name: port.name, protocol: 'TCP'})
  return endpoints.length > 0 ? {endpoints} : {endpoints: [], problem: `service ${name} has no ready endpoint`}
}
