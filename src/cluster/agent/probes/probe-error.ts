// Errors of the prober itself (a probe that cannot be run), as opposed to a probe that ran and failed.

export type ProbeErrorCode = 'NoHandler' | 'InvalidPort' | 'NoPodIP' | 'ExecFailed'

export class ProbeError extends Error {
  override readonly name = 'ProbeError'

  constructor(message: string, readonly code: ProbeErrorCode, options?: {cause?: unknown}) {
    super(message, options)
  }
}
