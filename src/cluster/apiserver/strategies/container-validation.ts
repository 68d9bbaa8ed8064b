// Container rules of ValidatePodSpec (pkg/apis/core/validation): names, image, ports, env, volume
// mounts, probes, pull policy and resources, with the real paths and messages.
import type {FieldError} from '../../api/errors.js'
import {isPlainObject} from '../../api/types.js'
import {child, duplicate, forbidden, index, invalid, invalidEach, key, nonNegative, notFound, notSupported, required, pushAll} from './field-errors.js'
import {isDNS1123Label, isQualifiedName, isValidPortName, isValidPortNum} from './name-rules.js'
import {compareQuantities, formatQuantity, QUANTITY_REGEX_MESSAGE, tryParseQuantity, type Quantity} from './quantity.js'

type Obj = Record<string, unknown>
const list = (v: unknown): Obj[] => (Array.isArray(v) ? (v as unknown[]).map((x) => (isPlainObject(x) ? x : {})) : [])
const obj = (v: unknown): Obj | undefined => (isPlainObject(v) ? v : undefined)
const str = (v: unknown): string => (typeof v === 'string' ? v : '')

const PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP']
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never']
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage'])

/** validateContainers for regular (kind 'containers') or init containers; `taken` collects names across both. */
export function validateContainerList(containers: unknown, path: string, volumes: ReadonlySet<string>, taken: Set<string>, init: boolean): FieldError[] {
  const errs: FieldError[] = []
  if (!init && list(containers).length === 0) errs.push(required(path))
  list(containers).forEach((c, i) => {
    const p = index(path, i)
    pushAll(errs, validateContainer(c, p, volumes))
    const name = str(c.name)
    if (taken.has(name)) errs.push(duplicate(child(p, 'name'), name))
    else taken.add(name)
    if (!init && c.restartPolicy !== undefined) errs.push(forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'))
    if (!init) {
      pushAll(errs, validateProbe(c.livenessProbe, child(p, 'livenessProbe'), true))
      pushAll(errs, validateProbe(c.readinessProbe, child(p, 'readinessProbe'), false))
      pushAll(errs, validateProbe(c.startupProbe, child(p, 'startupProbe'), true))
    }
  })
  return errs
}

function validateContainer(c: Obj, path: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = []
  const name = str(c.name)
  if (!name) errs.push(required(child(path, 'name')))
  else pushAll(errs, invalidEach(child(path, 'name'), name, isDNS1123Label(name)))
  if (!str(c.image)) errs.push(required(child(path, 'image')))
  const policy = str(c.terminationMessagePolicy)
  if (!policy) errs.push(required(child(path, 'terminationMessagePolicy')))
  else if (policy !== 'File' && policy !== 'FallbackToLogsOnError')
    errs.push(notSupported(child(path, 'terminationMessagePolicy'), policy, ['File', 'FallbackToLogsOnError']))
  pushAll(errs, validateContainerPorts(c.ports, child(path, 'ports')))
  pushAll(errs, validateEnv(c.env, child(path, 'env')))
  pushAll(errs, validateVolumeMounts(c.volumeMounts, child(path, 'volumeMounts'), volumes))
  const pull = str(c.imagePullPolicy)
  if (!pull) errs.push(required(child(path, 'imagePullPolicy')))
  else if (!PULL_POLICIES.includes(pull)) errs.push(notSupported(child(path, 'imagePullPolicy'), pull, PULL_POLICIES))
  pushAll(errs, validateResources(obj(c.resources), child(path, 'resources')))
  return errs
}

function validateContainerPorts(ports: unknown, path: string): FieldError[] {
  const errs: FieldError[] = []
  const names = new Set<string>()
  list(ports).forEach((port, i) => {
    const p = index(path, i)
    const name = str(port.name)
    if (name) {
      const msgs = isValidPortName(name)
      if (msgs.length > 0) pushAll(errs, invalidEach(child(p, 'name'), name, msgs))
      else if (names.has(name)) errs.push(duplicate(child(p, 'name'), name))
      else names.add(name)
    }
    if (!port.containerPort) errs.push(required(child(p, 'containerPort')))
    else pushAll(errs, invalidEach(child(p, 'containerPort'), port.containerPort, isValidPortNum(port.containerPort)))
    if (port.hostPort) pushAll(errs, invalidEach(child(p, 'hostPort'), port.hostPort, isValidPortNum(port.hostPort)))
    const protocol = str(port.protocol)
    if (!protocol) errs.push(required(child(p, 'protocol')))
    else if (!PORT_PROTOCOLS.includes(protocol)) errs.push(notSupported(child(p, 'protocol'), protocol, PORT_PROTOCOLS))
  })
  return errs
}

// RelaxedEnvironmentVariableValidation is on in 1.32: any printable ASCII except '='.
function validateEnv(env: unknown, path: string): FieldError[] {
  const errs: FieldError[] = []
  list(env).forEach((e, i) => {
    const p = index(path, i)
    const name = str(e.name)
    if (!name) errs.push(required(child(p, 'name')), invalid(child(p, 'name'), name, 'environment variable name must be non-empty'))
    else if (!/^[\x20-\x7e]+$/.test(name) || name.includes('='))
      errs.push(invalid(child(p, 'name'), name, "a valid environment variable name must consist only of printable ASCII characters other than '='"))
    const from = obj(e.valueFrom)
    if (!from) return
    const fp = child(p, 'valueFrom')
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) => from[k] !== undefined)
    if (str(e.value)) errs.push(invalid(fp, '', 'may not be specified when `value` is not empty'))
    if (sources.length === 0) errs.push(invalid(fp, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'))
    else if (sources.length > 1) errs.push(invalid(fp, '', 'may not have more than one field specified at a time'))
    const fieldRef = obj(from.fieldRef)
    if (fieldRef && !str(fieldRef.fieldPath)) errs.push(required(child(fp, 'fieldRef', 'fieldPath')))
    for (const k of ['configMapKeyRef', 'secretKeyRef']) {
      const ref = obj(from[k])
      if (ref && !str(ref.key)) errs.push(required(child(fp, k, 'key')))
    }
  })
  return errs
}

function validateVolumeMounts(mounts: unknown, path: string, volumes: ReadonlySet<string>): FieldError[] {
  const errs: FieldError[] = []
  const mountPaths = new Set<string>()
  list(mounts).forEach((m, i) => {
    const p = index(path, i)
    const name = str(m.name)
    if (!name) errs.push(required(child(p, 'name')))
    if (!volumes.has(name)) errs.push(notFound(child(p, 'name'), name))
    const mountPath = str(m.mountPath)
    if (!mountPath) errs.push(required(child(p, 'mountPath')))
    if (mountPaths.has(mountPath)) errs.push(invalid(child(p, 'mountPath'), mountPath, 'must be unique'))
    mountPaths.add(mountPath)
  })
  return errs
}

const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc']

function validateProbe(probe: unknown, path: string, successMustBeOne: boolean): FieldError[] {
  const p = obj(probe)
  if (!p) return []
  const errs: FieldError[] = []
  const handlers = HANDLERS.filter((h) => p[h] !== undefined && p[h] !== null)
  if (handlers.length === 0) errs.push(required(path, 'must specify a handler type'))
  for (const extra of handlers.slice(1)) errs.push(forbidden(child(path, extra), 'may not specify more than 1 handler type'))
  const exec = obj(p.exec)
  if (exec && !(Array.isArray(exec.command) && exec.command.length > 0)) errs.push(required(child(path, 'exec', 'command')))
  const httpGet = obj(p.httpGet)
  if (httpGet) {
    if (!str(httpGet.path)) errs.push(required(child(path, 'httpGet', 'path')))
    pushAll(errs, validatePortNumOrName(httpGet.port, child(path, 'httpGet', 'port')))
    const scheme = str(httpGet.scheme)
    if (scheme !== 'HTTP' && scheme !== 'HTTPS') errs.push(notSupported(child(path, 'httpGet', 'scheme'), scheme, ['HTTP', 'HTTPS']))
  }
  const tcp = obj(p.tcpSocket)
  if (tcp) pushAll(errs, validatePortNumOrName(tcp.port, child(path, 'tcpSocket', 'port')))
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'])
    pushAll(errs, nonNegative(p[f], child(path, f)))
  if (successMustBeOne && p.successThreshold !== undefined && p.successThreshold !== 1)
    errs.push(invalid(child(path, 'successThreshold'), p.successThreshold, 'must be 1'))
  return errs
}

/** ValidatePortNumOrName: an int port 1-65535 or an IANA service name. */
export function validatePortNumOrName(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isValidPortNum(port))
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port))
  return [invalid(path, port ?? null, 'must be an integer or a name')]
}

// Native resources may be overcommitted (request below limit); hugepages and extended resources may not.
const overcommitAllowed = (name: string) => (!name.includes('/') || name.startsWith('kubernetes.io/')) && !name.startsWith('hugepages-')

function validateResources(res: Obj | undefined, path: string): FieldError[] {
  if (!res) return []
  const errs: FieldError[] = []
  const parsed = (section: string): Map<string, Quantity> => {
    const out = new Map<string, Quantity>()
    for (const [name, value] of Object.entries(obj(res[section]) ?? {})) {
      const p = key(child(path, section), name)
      pushAll(errs, validateResourceName(name, p))
      const q = tryParseQuantity(value)
      if (!q) errs.push(invalid(p, value, QUANTITY_REGEX_MESSAGE))
      else if (q.nano < 0n) errs.push(invalid(p, formatQuantity(q), 'must be greater than or equal to 0'))
      else out.set(name, q)
    }
    return out
  }
  const limits = parsed('limits')
  const requests = parsed('requests')
  const reqPath = child(path, 'requests')
  for (const [name, request] of requests) {
    const limit = limits.get(name)
    if (limit) {
      const cmp = compareQuantities(request, limit)
      if (cmp !== 0 && !overcommitAllowed(name))
        errs.push(invalid(reqPath, formatQuantity(request), `must be equal to ${name} limit of ${formatQuantity(limit)}`))
      else if (cmp > 0) errs.push(invalid(reqPath, formatQuantity(request), `must be less than or equal to ${name} limit of ${formatQuantity(limit)}`))
    } else if (!overcommitAllowed(name)) {
      errs.push(required(child(path, 'limits'), 'Limit must be set for non overcommitable resources'))
    }
  }
  return errs
}

function validateResourceName(name: string, path: string): FieldError[] {
  const errs = invalidEach(path, name, isQualifiedName(name))
  if (errs.length > 0) return errs
  if (!name.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-'))
      return [invalid(path, name, 'must be a standard resource for containers')]
  } else if (!name.startsWith('kubernetes.io/') && name.includes('requests.')) {
    return [invalid(path, name, "must not have 'requests.' prefix")]
  }
  return []
}
