// Which apiVersion/kind pairs the decoder understands, and the one registry all schemas live in.
// A kind missing here is answered with 415, exactly as before the decoder existed.
import type {SchemaRegistry} from './schema.js'
import {AUTH_SCHEMAS} from './schemas-auth.js'
import {CORE_CONTAINER_SCHEMAS} from './schemas-core-container.js'
import {CORE_OBJECT_SCHEMAS} from './schemas-core-objects.js'
import {CORE_POD_SCHEMAS} from './schemas-core-pod.js'
import {CORE_VOLUME_SCHEMAS} from './schemas-core-volume.js'
import {META_SCHEMAS} from './schemas-meta.js'
import {NETWORKING_SCHEMAS} from './schemas-networking.js'
import {WORKLOAD_SCHEMAS} from './schemas-workloads.js'

export const SCHEMAS: SchemaRegistry = {
  ...META_SCHEMAS,
  ...CORE_CONTAINER_SCHEMAS,
  ...CORE_POD_SCHEMAS,
  ...CORE_VOLUME_SCHEMAS,
  ...CORE_OBJECT_SCHEMAS,
  ...WORKLOAD_SCHEMAS,
  ...AUTH_SCHEMAS,
  ...NETWORKING_SCHEMAS,
}

/** `apiVersion/kind` -> top-level schema. */
export const KIND_SCHEMAS: Readonly<Record<string, string>> = {
  'v1/Namespace': 'core.Namespace',
  'v1/ConfigMap': 'core.ConfigMap',
  'v1/Secret': 'core.Secret',
  'v1/Service': 'core.Service',
  'v1/ServiceAccount': 'core.ServiceAccount',
  'v1/Pod': 'core.Pod',
  'apps/v1/Deployment': 'apps.Deployment',
  'batch/v1/Job': 'batch.Job',
  'batch/v1/CronJob': 'batch.CronJob',
  'networking.k8s.io/v1/Ingress': 'networking.Ingress',
  'networking.k8s.io/v1/IngressClass': 'networking.IngressClass',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'authz.SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'authz.SelfSubjectRulesReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'authn.SelfSubjectReview',
  'authentication.k8s.io/v1/TokenRequest': 'authn.TokenRequest',
}

export function schemaForKind(apiVersion: string, kind: string): string | undefined {
  return Object.hasOwn(KIND_SCHEMAS, `${apiVersion}/${kind}`) ? KIND_SCHEMAS[`${apiVersion}/${kind}`] : undefined
}
