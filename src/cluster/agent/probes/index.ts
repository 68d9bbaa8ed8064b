// Container probes (liveness, readiness, startup) for the node agent.
export {ProbeManager, type ProbeEvents, type ProbeManagerOptions, type ProbeTarget} from './probe-manager.js'
export {KILLING_REASON, PROBE_WARNING_REASON, UNHEALTHY_REASON, probeKillMessage, probeWarningMessage, unhealthyMessage} from './probe-messages.js'
export {normalizeProbe, probeSpec, resolveContainerPort, type ProbeKind, type ProbeSpec} from './probe-spec.js'
export {ProbeError, type ProbeErrorCode} from './probe-error.js'
export type {ProbeOutcome} from './probe-outcome.js'
export {execViaStreams} from './exec-via-streams.js'
