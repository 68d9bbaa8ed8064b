// One error class for everything the Docker runtime reports; `code` carries the kubelet's reason where
// one exists (ErrImageNeverPull, ErrImagePull) so the agent can surface it as a waiting reason.

export type DockerRuntimeErrorCode =
  | 'ErrImageNeverPull'
  | 'ErrImagePull'
  | 'CreateContainerError'
  | 'SandboxError'
  | 'PauseImageError'
  | 'NetContainerError'
  | 'NotFound'

export class DockerRuntimeError extends Error {
  override name = 'DockerRuntimeError'
  constructor(
    message: string,
    readonly code: DockerRuntimeErrorCode,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

/** The HTTP status of a failed Engine API call, as dockerode reports it (undefined for socket errors). */
export function engineStatus(error: unknown): number | undefined {
  const status = (error as {statusCode?: unknown} | undefined)?.statusCode
  return typeof status === 'number' ? status : undefined
}

/** Runs an Engine API call whose "already done" answers (404 gone, 304 already stopped, 409 in progress) are fine. */
export async function tolerating<T>(statuses: number[], call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call()
  } catch (error) {
    if (statuses.includes(engineStatus(error) ?? -1)) return undefined
    throw error
  }
}
