// The metav1.Status an exec/attach session ends with, on channel 3 (WebSocket) or the `error`
// stream (SPDY). kubectl reads the exit code from the ExitCode cause and exits with it (§7.2).

export interface ExecStatus {
  metadata: Record<string, never>
  status: 'Success' | 'Failure'
  message?: string
  reason?: string
  details?: {causes: Array<{reason?: string; message: string}>}
  code?: number
}

export function successStatus(): ExecStatus {
  return {metadata: {}, status: 'Success'}
}

/** Go prints a []string as `[sh -c exit 3]`; the message keeps that shape. */
export function nonZeroExitStatus(command: string[], exitCode: number): ExecStatus {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: {causes: [{reason: 'ExitCode', message: String(exitCode)}]},
  }
}

/** The runtime could not start or run the process (apierrors.NewInternalError). */
export function internalErrorStatus(error: unknown): ExecStatus {
  const text = error instanceof Error ? error.message : String(error)
  return {metadata: {}, status: 'Failure', message: `Internal error occurred: ${text}`, reason: 'InternalError', details: {causes: [{message: text}]}, code: 500}
}

/** Parses one resize message, `{"Width":100,"Height":30}`; undefined when malformed. */
export function parseTerminalSize(text: string): {width: number; height: number} | undefined {
  try {
    const size = JSON.parse(text) as {Width?: unknown; Height?: unknown}
    const width = Number(size.Width)
    const height = Number(size.Height)
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0 || width > 65535 || height > 65535) return undefined
    return {width, height}
  } catch {
    return undefined
  }
}
