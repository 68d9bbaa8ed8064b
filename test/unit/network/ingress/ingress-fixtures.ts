// Builders for Ingress objects in tests: one rule per call keeps each case's table readable.
import type {HTTPIngressPath, Ingress, IngressClass, IngressRule} from 'kubernetes-types/networking/v1.js'
import {buildRouteTable, type RouteTable} from '../../../../src/cluster/network/ingress/ingress-routes.js'

export interface PathSpec {
  path?: string
  pathType?: string
  service: string
  port?: number | string
}

export function httpPath(p: PathSpec): HTTPIngressPath {
  const port = typeof p.port === 'string' ? {name: p.port} : {number: p.port ?? 80}
  return {
    ...(p.path === undefined ? {} : {path: p.path}),
    pathType: p.pathType ?? 'Prefix',
    backend: {service: {name: p.service, port}},
  }
}

export function rule(host: string | undefined, ...paths: PathSpec[]): IngressRule {
  return {...(host === undefined ? {} : {host}), http: {paths: paths.map(httpPath)}}
}

export interface IngressSpecInput {
  name: string
  namespace?: string
  created?: string
  className?: string | null
  annotations?: Record<string, string>
  rules?: IngressRule[]
  defaultService?: string
  tls?: Array<{hosts?: string[]; secretName?: string}>
}

export function ingress(input: IngressSpecInput): Ingress {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: input.name,
      namespace: input.namespace ?? 'default',
      creationTimestamp: input.created ?? '2024-01-01T00:00:00Z',
      ...(input.annotations ? {annotations: input.annotations} : {}),
    },
    spec: {
      ...(input.className === null ? {} : {ingressClassName: input.className ?? 'kcluster'}),
      ...(input.rules ? {rules: input.rules} : {}),
      ...(input.defaultService ? {defaultBackend: {service: {name: input.defaultService, port: {number: 80}}}} : {}),
      ...(input.tls ? {tls: input.tls} : {}),
    },
  }
}

export function ingressClass(name: string, isDefault: boolean): IngressClass {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      ...(isDefault ? {annotations: {'ingressclass.kubernetes.io/is-default-class': 'true'}} : {}),
    },
    spec: {controller: 'kcluster.dev/ingress'},
  }
}

/** A route table of kcluster-class Ingresses, class-less ones claimed. */
export function tableOf(...ingresses: Ingress[]): RouteTable {
  return buildRouteTable({ingresses, ingressClasses: [], defaultClass: 'always'})
}
