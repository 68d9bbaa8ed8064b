// One run of one probe against one container (pkg/kubelet/prober/prober.go runProbeWithRetries): the
// handler picked from the spec, ports resolved against the container, the pod IP as the default host,
// and up to three attempts while the probe cannot even be run (an `error` outcome).
import type {Container} from 'kubernetes-types/core/v1.js'
import type {ExecInContainer} from './exec-probe.js'
import {execProbe} from './exec-probe.js'
import {grpcProbe} from './grpc-probe.js'
import {httpProbe} from './http-probe.js'
import {ProbeError} from './probe-error.js'
import {errored, type ProbeOutcome} from './probe-outcome.js'
import {resolveContainerPort, type ProbeSpec} from './probe-spec.js'
import {tcpProbe} from './tcp-probe.js'

const MAX_PROBE_RETRIES = 3

export interface ProbeContext {
  container: Container
  podIP?: string
  exec: ExecInContainer
}

export async function runProbe(spec: ProbeSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  let outcome = errored('probe not run')
  for (let attempt = 0; attempt < MAX_PROBE_RETRIES; attempt++) {
    outcome = await runProbeOnce(spec, ctx)
    if (outcome.result !== 'error') return outcome
  }
  return outcome
}

export async function runProbeOnce(spec: ProbeSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const timeoutMs = spec.timeoutSeconds * 1000
  const h = spec.handler
  try {
    switch (h.type) {
      case 'exec':
        return await execProbe(ctx.exec, h.command, timeoutMs)
      case 'httpGet':
        return await httpProbe({scheme: h.scheme, host: h.host ?? podIP(ctx), port: resolveContainerPort(h.port, ctx.container), path: h.path, headers: h.headers, timeoutMs})
      case 'tcpSocket':
        return await tcpProbe(h.host ?? podIP(ctx), resolveContainerPort(h.port, ctx.container), timeoutMs)
      case 'grpc':
        return await grpcProbe(podIP(ctx), h.port, h.service, timeoutMs)
    }
  } catch (error) {
    return errored(error instanceof Error ? error.message : String(error))
  }
}

function podIP(ctx: ProbeContext): string {
  if (!ctx.podIP) throw new ProbeError(`container ${ctx.container.name} has no pod IP to probe`, 'NoPodIP')
  return ctx.podIP
}
