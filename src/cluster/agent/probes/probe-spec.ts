// A container's probe as the prober runs it: the API defaults filled in (pkg/apis/core/v1/defaults.go:
// period 10 s, timeout 1 s, success 1, failure 3) and the handler reduced to one tagged case, so the
// worker and the probers never look at optional API fields again.
import type {Container, Probe} from 'kubernetes-types/core/v1.js'
import {ProbeError} from './probe-error.js'

export type ProbeKind = 'liveness' | 'readiness' | 'startup'

export const PROBE_KINDS: readonly ProbeKind[] = ['startup', 'liveness', 'readiness']

export type ProbeHandler =
  | {type: 'exec'; command: string[]}
  | {type: 'httpGet'; scheme: 'http' | 'https'; host?: string; port: number | string; path: string; headers: Array<{name: string; value: string}>}
  | {type: 'tcpSocket'; host?: string; port: number | string}
  | {type: 'grpc'; port: number; service: string}

export interface ProbeSpec {
  kind: ProbeKind
  handler: ProbeHandler
  initialDelaySeconds: number
  periodSeconds: number
  timeoutSeconds: number
  successThreshold: number
  failureThreshold: number
  /** The probe-level grace period a liveness/startup kill uses instead of the pod's, when set. */
  terminationGracePeriodSeconds?: number
}

/** The container's probe of this kind, normalised; undefined when the container has none. */
export function probeSpec(container: Container, kind: ProbeKind): ProbeSpec | undefined {
  const probe = kind === 'liveness' ? container.livenessProbe : kind === 'readiness' ? container.readinessProbe : container.startupProbe
  return probe ? normalizeProbe(probe, kind) : undefined
}

export function normalizeProbe(probe: Probe, kind: ProbeKind): ProbeSpec {
  return {
    kind,
    handler: handlerOf(probe, kind),
    initialDelaySeconds: atLeast(probe.initialDelaySeconds, 0, 0),
    // Zero means "unset" to the API's defaulting as well; validation rejects negatives before we get here.
    periodSeconds: atLeast(probe.periodSeconds, 10, 1),
    timeoutSeconds: atLeast(probe.timeoutSeconds, 1, 1),
    // Liveness and startup must have successThreshold 1 (validation enforces it for stored pods).
    successThreshold: kind === 'readiness' ? atLeast(probe.successThreshold, 1, 1) : 1,
    failureThreshold: atLeast(probe.failureThreshold, 3, 1),
    ...(probe.terminationGracePeriodSeconds === undefined || probe.terminationGracePeriodSeconds === null
      ? {}
      : {terminationGracePeriodSeconds: probe.terminationGracePeriodSeconds}),
  }
}

function handlerOf(probe: Probe, kind: ProbeKind): ProbeHandler {
  if (probe.exec) return {type: 'exec', command: probe.exec.command ?? []}
  if (probe.httpGet) {
    const h = probe.httpGet
    return {
      type: 'httpGet',
      scheme: (h.scheme ?? 'HTTP').toLowerCase() === 'https' ? 'https' : 'http',
      ...(h.host ? {host: h.host} : {}),
      port: h.port,
      path: h.path ?? '',
      headers: (h.httpHeaders ?? []).map((x) => ({name: x.name, value: x.value})),
    }
  }
  if (probe.tcpSocket) return {type: 'tcpSocket', ...(probe.tcpSocket.host ? {host: probe.tcpSocket.host} : {}), port: probe.tcpSocket.port}
  if (probe.grpc) return {type: 'grpc', port: probe.grpc.port, service: probe.grpc.service ?? ''}
  throw new ProbeError(`${kind} probe has no handler (exec, httpGet, tcpSocket or grpc)`, 'NoHandler')
}

function atLeast(value: number | undefined | null, fallback: number, min: number): number {
  if (value === undefined || value === null || !Number.isFinite(value) || value <= 0) return Math.max(fallback, min)
  return Math.max(Math.trunc(value), min)
}

/**
 * pkg/probe ResolveContainerPort: a number, or the name of one of the container's ports, or a number
 * written as a string. The errors read as the kubelet's (they end up in "probe errored" events).
 */
export function resolveContainerPort(port: number | string, container: Container): number {
  let resolved: number
  if (typeof port === 'number') resolved = port
  else {
    const named = (container.ports ?? []).find((p) => p.name === port)
    if (named) resolved = named.containerPort
    else if (/^[+-]?\d+$/.test(port)) resolved = Number.parseInt(port, 10)
    // Go's strconv.Atoi error wins because it is the last one the kubelet sees.
    else throw new ProbeError(`strconv.Atoi: parsing ${goQuote(port)}: invalid syntax`, 'InvalidPort')
  }
  if (Number.isInteger(resolved) && resolved > 0 && resolved < 65536) return resolved
  throw new ProbeError(`invalid port number: ${resolved}`, 'InvalidPort')
}

/** Go's %q for the strings probes print (command lines, port names). */
export function goQuote(s: string): string {
  return JSON.stringify(s)
}
