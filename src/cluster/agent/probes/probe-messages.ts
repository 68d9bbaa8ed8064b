// The kubelet's texts around probes: the Unhealthy event (pkg/kubelet/prober/prober.go, "%s probe
// failed: %s" with the capitalised probe type) and the Killing event a failed liveness or startup
// probe leads to (pkg/kubelet/kuberuntime/kuberuntime_manager.go computePodActions).
import type {ProbeOutcome} from './probe-outcome.js'
import type {ProbeKind} from './probe-spec.js'

export const UNHEALTHY_REASON = 'Unhealthy'
export const PROBE_WARNING_REASON = 'ProbeWarning'
export const KILLING_REASON = 'Killing'

const TITLE: Record<ProbeKind, string> = {liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup'}

/** `Readiness probe failed: HTTP probe failed with statuscode: 500`, or `... probe errored: ...`; undefined on success. */
export function unhealthyMessage(kind: ProbeKind, outcome: ProbeOutcome): string | undefined {
  if (outcome.result === 'failure') return `${TITLE[kind]} probe failed: ${outcome.output}`
  if (outcome.result === 'error') return `${TITLE[kind]} probe errored: ${outcome.output}`
  return undefined
}

/** `Readiness probe warning: Probe terminated redirects, Response body: ...`, for a ProbeWarning event. */
export function probeWarningMessage(kind: ProbeKind, warning: string): string {
  return `${TITLE[kind]} probe warning: ${warning}`
}

/**
 * The Killing event's message when a failed probe kills a container:
 * `Container web failed liveness probe, will be restarted` (without the suffix under restartPolicy Never).
 */
export function probeKillMessage(containerName: string, kind: 'liveness' | 'startup', willRestart: boolean): string {
  return `Container ${containerName} failed ${kind} probe${willRestart ? ', will be restarted' : ''}`
}
