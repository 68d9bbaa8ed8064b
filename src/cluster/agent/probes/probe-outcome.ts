// What one run of one probe produced. `error` is the kubelet's probe.Unknown with an error: the probe
// could not be run (bad port, exec machinery failed); the worker records an event and throws it away.

export interface ProbeOutcome {
  result: 'success' | 'failure' | 'error'
  /** Failure: the text after "<Kind> probe failed: "; error: after "<Kind> probe errored: ". */
  output: string
  /** Success that the kubelet reports with a ProbeWarning event (an HTTP redirect it did not follow). */
  warning?: string
}

export const success = (output = ''): ProbeOutcome => ({result: 'success', output})
export const failure = (output: string): ProbeOutcome => ({result: 'failure', output})
export const errored = (output: string): ProbeOutcome => ({result: 'error', output})
