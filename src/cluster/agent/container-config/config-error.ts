// Why a container could not be configured, in the kubelet's words. `reason` is what the pod shows:
// CreateContainerConfigError (env sources, subPath) is the container's waiting reason, as the kubelet
// writes it; FailedMount (a volume could not be set up) is an event reason, and the container stays
// waiting with ContainerCreating meanwhile.

export type ContainerConfigReason = 'CreateContainerConfigError' | 'FailedMount'

export class ContainerConfigError extends Error {
  override name = 'ContainerConfigError'
  readonly code: ContainerConfigReason
  /** The waiting reason to show on the container while this lasts. */
  readonly waitingReason: 'CreateContainerConfigError' | 'ContainerCreating'

  constructor(readonly reason: ContainerConfigReason, message: string, options?: {cause?: unknown}) {
    super(message, options)
    this.code = reason
    this.waitingReason = reason === 'FailedMount' ? 'ContainerCreating' : 'CreateContainerConfigError'
  }
}

/** A volume that could not be set up: `MountVolume.SetUp failed for volume "v" : <why>`, as the kubelet's FailedMount event says. */
export function failedMount(volume: string, why: string, cause?: unknown): ContainerConfigError {
  return new ContainerConfigError('FailedMount', `MountVolume.SetUp failed for volume "${volume}" : ${why}`, {cause})
}

export function configError(message: string, cause?: unknown): ContainerConfigError {
  return new ContainerConfigError('CreateContainerConfigError', message, {cause})
}
