// GET pods/<name>/log: the container's output as text/plain, with the real server's 400s for a
// missing, ambiguous or not-yet-started container.
import type {ContainerStatus, Pod} from 'kubernetes-types/core/v1.js'
import {badRequest, invalid, type FieldError} from '../../api/errors.js'
import type {ResourceRequest} from '../handler-context.js'

export async function handleLog(rr: ResourceRequest): Promise<void> {
  const {info, services, resource, res} = rr
  const name = info.name!
  const pod = (await services.registry.get(resource, info.namespace, name)) as unknown as Pod
  const containers = pod.spec?.containers ?? []
  let container = info.query.get('container') ?? ''
  if (!container) {
    const annotated = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container']
    if (annotated) container = annotated
    else if (containers.length === 1) container = containers[0].name
    else throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${containers.map((c) => c.name).join(' ')}]`)
  }
  if (!containers.some((c) => c.name === container) && !(pod.spec?.initContainers ?? []).some((c) => c.name === container))
    throw badRequest(`container ${container} is not valid for pod ${name}`)
  const previous = info.query.get('previous') === 'true'
  const status = [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])].find((s) => s.name === container)
  const containerID = logContainerID(status, previous, container, name)
  const reader = services.podLogs
  if (!reader) throw badRequest(`logs are not available for pod "${name}" on this node`)
  const id = containerID.replace(/^[a-z]+:\/\//, '')
  const timestamps = info.query.get('timestamps') === 'true'
  const since = sinceParam(info.query, rr.services.clock.now(), name)
  if (info.query.get('follow') === 'true' && !previous) {
    // Streams until the container stops or the client goes away; a runtime without live logs
    // (the simulated one) answers with what there is, as below.
    const abort = new AbortController()
    rr.req.once('close', () => abort.abort())
    const stream = await reader.follow(pod as never, id, {tailLines: numberParam(info.query, 'tailLines'), signal: abort.signal, timestamps, since})
    if (stream) {
      res.writeHead(200, {'Content-Type': 'text/plain', 'Transfer-Encoding': 'chunked'})
      stream.on('error', () => res.end())
      stream.pipe(res)
      res.once('close', () => stream.destroy())
      return
    }
  }
  const text = await reader.read(pod as never, id, {
    previous,
    tailLines: numberParam(info.query, 'tailLines'),
    limitBytes: numberParam(info.query, 'limitBytes'),
    timestamps,
    since,
  })
  if (text === undefined) {
    if (previous) throw badRequest(`previous terminated container "${container}" in pod "${name}" not found`)
    throw badRequest(`container "${container}" in pod "${name}" is not available on the node yet`)
  }
  res.writeHead(200, {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text)})
  res.end(text)
}

/**
 * Which container instance's output is meant, by the kubelet's rules (validateContainerLogStatus):
 * --previous is the last terminated one; otherwise the running one, else the terminated one, else the
 * last terminated one (a container in CrashLoopBackOff shows its last crash), else it is waiting.
 */
function logContainerID(status: ContainerStatus | undefined, previous: boolean, container: string, pod: string): string {
  const lastTerminated = status?.lastState?.terminated?.containerID
  if (previous) {
    if (!lastTerminated) throw badRequest(`previous terminated container "${container}" in pod "${pod}" not found`)
    return lastTerminated
  }
  const id = status?.state?.running ? status.containerID : status?.state?.terminated ? (status.state.terminated.containerID ?? lastTerminated) : lastTerminated
  if (id) return id
  const reason = status?.state?.waiting?.reason ?? 'ContainerCreating'
  if (reason === 'ErrImagePull' || reason === 'ImagePullBackOff') throw badRequest(`container "${container}" in pod "${pod}" is waiting to start: trying and failing to pull image`)
  throw badRequest(`container "${container}" in pod "${pod}" is waiting to start: ${reason}`)
}

function numberParam(query: URLSearchParams, key: string, signed = false): number | undefined {
  const raw = query.get(key)
  if (raw === null) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || (!signed && n < 0)) throw badRequest(`${key} must be a non-negative integer, got ${JSON.stringify(raw)}`)
  return n
}

/**
 * sinceSeconds (kubectl --since=1h) counts back from now; sinceTime (--since-time) is RFC 3339. A value
 * that does not parse is a 400; one that parses but breaks ValidatePodLogOptions (both given, a
 * sinceSeconds below 1) is a 422 on PodLogOptions, as on the real server.
 */
function sinceParam(query: URLSearchParams, now: Date, pod: string): Date | undefined {
  const seconds = numberParam(query, 'sinceSeconds', true)
  const time = query.get('sinceTime')
  const errors: FieldError[] = []
  if (seconds !== undefined && seconds < 1) errors.push({type: 'FieldValueInvalid', field: 'sinceSeconds', value: seconds, detail: 'must be greater than 0'})
  if (seconds !== undefined && time !== null) errors.push({type: 'FieldValueForbidden', field: 'sinceSeconds', detail: 'at most one of `sinceTime` or `sinceSeconds` may be specified'})
  if (errors.length > 0) throw invalid({group: '', kind: 'PodLogOptions'}, pod, errors)
  if (seconds !== undefined) return new Date(now.getTime() - seconds * 1000)
  if (time === null) return undefined
  const at = new Date(time)
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(time) || Number.isNaN(at.getTime())) {
    throw badRequest(`parsing time "${time}" as "2006-01-02T15:04:05Z07:00": cannot parse sinceTime`)
  }
  return at
}
