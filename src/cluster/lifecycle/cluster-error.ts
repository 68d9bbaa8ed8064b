// The one error type the lifecycle and apply layers throw at the CLI. The code decides the exit code
// (src/cli/base-command.ts) and `fix` is the "what to do" line; `cause` keeps the original failure.

export type ClusterErrorCode =
  | 'NotFound' // no such cluster
  | 'NotRunning' // the cluster exists but its control plane is not running
  | 'InvalidInput' // bad flag value, bad manifest
  | 'DriverUnavailable'
  | 'StartFailed'
  | 'Timeout'
  | 'ApiError' // the API server refused a request
  | 'Unreachable' // the API server did not answer
  | 'PartialFailure' // some manifests applied, some did not
  | 'DeleteIncomplete' // `kcluster delete` could not remove everything (a Docker network); running it again finishes

export class ClusterError extends Error {
  override name = 'ClusterError'
  constructor(
    readonly code: ClusterErrorCode,
    message: string,
    readonly details: {why?: string; fix?: string; cause?: unknown} = {},
  ) {
    super(message, {cause: details.cause})
  }

  get why(): string | undefined {
    return this.details.why
  }

  get fix(): string | undefined {
    return this.details.fix
  }
}
