// Pod defaulting: pkg/apis/core/v1/defaults.go for PodSpec/containers/volumes/probes, SetDefaults_Pod
// (pods only: enableServiceLinks, requests from limits), and what admission plugins add to new pods
// (ServiceAccount, Priority, DefaultTolerationSeconds), which kcluster does here because it has no
// admission chain. Pod templates in Deployments/ReplicaSets get only the PodSpec defaults, as upstream.
import {randomInt} from 'node:crypto'
import type {Container, PodSpec, Probe, Toleration, Volume, VolumeMount} from 'kubernetes-types/core/v1.js'
import {isPlainObject} from '../../api/types.js'

type Obj = Record<string, unknown>
const asObj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined)
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : [])

const DEFAULT_MODE = 0o644
const DEFAULT_TOLERATION_SECONDS = 300
const SYSTEM_PRIORITIES: Record<string, number> = {'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000}

/** SetDefaults_PodSpec and everything nested in it. Used for pods and pod templates alike. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst'
  spec.restartPolicy ||= 'Always'
  if (!isPlainObject(spec.securityContext)) spec.securityContext = {}
  spec.terminationGracePeriodSeconds ??= 30
  spec.schedulerName ||= 'default-scheduler'
  for (const c of [...list<Container>(spec.containers), ...list<Container>(spec.initContainers)]) if (isPlainObject(c)) defaultContainer(c)
  for (const v of list<Volume>(spec.volumes)) if (isPlainObject(v)) defaultVolume(v)
  if (spec.hostNetwork) {
    for (const c of [...list<Container>(spec.containers), ...list<Container>(spec.initContainers)])
      for (const p of list<Obj>(c.ports)) if (p.hostPort === undefined && typeof p.containerPort === 'number') p.hostPort = p.containerPort
  }
}

/** SetDefaults_Pod plus the admission-time defaults of a pod (not of a template). */
export function defaultPodOnlyFields(spec: PodSpec): void {
  spec.enableServiceLinks ??= true
  for (const c of [...list<Container>(spec.containers), ...list<Container>(spec.initContainers)]) if (isPlainObject(c)) requestsFromLimits(c)
  // ServiceAccount admission: the deprecated serviceAccount field mirrors serviceAccountName.
  spec.serviceAccountName ||= spec.serviceAccount || 'default'
  spec.serviceAccount = spec.serviceAccountName
  // Priority admission, with only the built-in system classes known.
  spec.priority ??= SYSTEM_PRIORITIES[spec.priorityClassName ?? ''] ?? 0
  spec.preemptionPolicy ||= 'PreemptLowerPriority'
  addDefaultTolerations(spec)
}

export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount'
const TOKEN_VOLUME_PREFIX = 'kube-api-access-'
// serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour and 7 s marks the admission-made volume.
const TOKEN_VOLUME_EXPIRATION_SECONDS = 3607
// utilrand.String's alphabet: no vowels (no words) and no easily confused characters.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/**
 * ServiceAccount admission on a new pod (plugin/pkg/admission/serviceaccount mountServiceAccountToken):
 * unless spec.automountServiceAccountToken is false, a projected `kube-api-access-xxxxx` volume (token,
 * the cluster CA from kube-root-ca.crt, the namespace) mounted read-only at the in-cluster config path
 * in every container and init container that mounts nothing there yet. Mirror pods are left alone.
 * The ServiceAccount's own automountServiceAccountToken is the pod strategy's to consult (it needs the registry).
 */
export function mountServiceAccountToken(spec: PodSpec, annotations: Record<string, string> | undefined): void {
  if (spec.automountServiceAccountToken === false || annotations?.['kubernetes.io/config.mirror'] !== undefined) return
  const volumes = list<Volume>(spec.volumes)
  const existing = volumes.find((v) => isPlainObject(v) && typeof v.name === 'string' && v.name.startsWith(TOKEN_VOLUME_PREFIX))
  const name = existing?.name ?? uniqueVolumeName(new Set(volumes.map((v) => v?.name)))
  let needed = false
  // Containers are replaced, not edited: the caller's container objects may be shared (templates, fixtures).
  const withMount = (c: Container): Container => {
    if (!isPlainObject(c)) return c
    const mounts = list<VolumeMount>(c.volumeMounts)
    if (mounts.some((m) => m?.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) return c
    needed = true
    return {...c, volumeMounts: [...mounts, {name, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH}]}
  }
  if (Array.isArray(spec.initContainers)) spec.initContainers = spec.initContainers.map(withMount)
  if (Array.isArray(spec.containers)) spec.containers = spec.containers.map(withMount)
  if (needed && !existing) spec.volumes = [...volumes, {name, projected: tokenVolumeSource()}]
}

// TokenVolumeSource, with the defaults spelled out as upstream does (#104464), so the pod reads the same.
function tokenVolumeSource(): NonNullable<Volume['projected']> {
  return {
    defaultMode: DEFAULT_MODE,
    sources: [
      {serviceAccountToken: {expirationSeconds: TOKEN_VOLUME_EXPIRATION_SECONDS, path: 'token'}},
      {configMap: {name: 'kube-root-ca.crt', items: [{key: 'ca.crt', path: 'ca.crt'}]}},
      {downwardAPI: {items: [{path: 'namespace', fieldRef: {apiVersion: 'v1', fieldPath: 'metadata.namespace'}}]}},
    ],
  }
}

function uniqueVolumeName(taken: Set<string | undefined>): string {
  // Bounded: 27^5 names make a collision with a handful of volumes all but impossible.
  for (let i = 0; i < 100; i++) {
    const name = TOKEN_VOLUME_PREFIX + Array.from({length: 5}, () => NAME_ALPHABET[randomInt(NAME_ALPHABET.length)]).join('')
    if (!taken.has(name)) return name
  }
  throw new Error('no free kube-api-access volume name')
}

// If limits are given and requests are not, the request is the limit (SetDefaults_Pod).
function requestsFromLimits(c: Container): void {
  const limits = asObj(c.resources?.limits)
  if (!limits || Object.keys(limits).length === 0) return
  const requests = {...(asObj(c.resources?.requests) ?? {})}
  for (const [name, q] of Object.entries(limits)) if (!(name in requests)) requests[name] = q
  c.resources = {...c.resources, requests: requests as Record<string, string>}
}

// DefaultTolerationSeconds admission: tolerate not-ready/unreachable nodes for 5 minutes unless told otherwise.
function addDefaultTolerations(spec: PodSpec): void {
  const tolerations = list<Toleration>(spec.tolerations)
  const tolerates = (taint: string) =>
    tolerations.some((t) => (t.key === taint || !t.key) && (t.effect === 'NoExecute' || !t.effect))
  const added: Toleration[] = []
  for (const taint of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'])
    if (!tolerates(taint)) added.push({key: taint, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS})
  if (added.length > 0) spec.tolerations = [...tolerations, ...added]
}

/** The tag that decides imagePullPolicy: `latest` when the reference has neither tag nor digest. */
export function imageTag(image: string): string {
  if (image.includes('@')) return ''
  const lastSlash = image.lastIndexOf('/')
  const colon = image.indexOf(':', lastSlash + 1)
  return colon >= 0 ? image.slice(colon + 1) : 'latest'
}

export function defaultContainer(c: Container): void {
  if (!c.imagePullPolicy) c.imagePullPolicy = imageTag(c.image ?? '') === 'latest' ? 'Always' : 'IfNotPresent'
  c.terminationMessagePath ||= '/dev/termination-log'
  c.terminationMessagePolicy ||= 'File'
  if (!isPlainObject(c.resources)) c.resources = {}
  for (const p of list<Obj>(c.ports)) if (isPlainObject(p)) p.protocol ||= 'TCP'
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (isPlainObject(probe)) defaultProbe(probe)
  for (const hook of [c.lifecycle?.postStart, c.lifecycle?.preStop]) if (isPlainObject(hook?.httpGet)) defaultHttpGet(hook.httpGet as Obj)
  for (const e of list<Obj>(c.env)) defaultEnvSource(asObj(e?.valueFrom))
}

function defaultProbe(p: Probe): void {
  p.timeoutSeconds ??= 1
  p.periodSeconds ??= 10
  p.successThreshold ??= 1
  p.failureThreshold ??= 3
  if (isPlainObject(p.httpGet)) defaultHttpGet(p.httpGet as Obj)
}

function defaultHttpGet(h: Obj): void {
  h.path ||= '/'
  h.scheme ||= 'HTTP'
}

function defaultEnvSource(from: Obj | undefined): void {
  const fieldRef = asObj(from?.fieldRef)
  if (fieldRef) fieldRef.apiVersion ||= 'v1'
  const resourceFieldRef = asObj(from?.resourceFieldRef)
  if (resourceFieldRef) resourceFieldRef.divisor ??= '0'
}

const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi',
  'glusterfs', 'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc',
  'azureFile', 'configMap', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'ephemeral', 'image',
]

/** The volume source keys set on a volume (validation wants exactly one). */
export function volumeSourcesOf(v: Obj): string[] {
  return VOLUME_SOURCES.filter((k) => v[k] !== undefined && v[k] !== null)
}

export function defaultVolume(v: Volume): void {
  const vol = v as unknown as Obj
  // A volume with no source is an emptyDir (SetDefaults_Volume).
  if (volumeSourcesOf(vol).length === 0) vol.emptyDir = {}
  for (const k of ['configMap', 'secret', 'downwardAPI', 'projected']) {
    const src = asObj(vol[k])
    if (src) src.defaultMode ??= DEFAULT_MODE
  }
  const hostPath = asObj(vol.hostPath)
  if (hostPath) hostPath.type ??= ''
  for (const item of list<Obj>(asObj(vol.downwardAPI)?.items)) defaultEnvSource(item)
  for (const source of list<Obj>(asObj(vol.projected)?.sources)) {
    for (const item of list<Obj>(asObj(source?.downwardAPI)?.items)) defaultEnvSource(item)
    const token = asObj(source?.serviceAccountToken)
    if (token) token.expirationSeconds ??= 3600
  }
}
