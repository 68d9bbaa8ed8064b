// imagePullPolicy against the local engine: Never uses what is there or fails as ErrImageNeverPull,
// IfNotPresent pulls only what is missing, Always pulls. Pulls stream progress from the engine.
import type Dockerode from 'dockerode'
import type {ImageResult, PullObserver} from '../runtime.js'
import {DockerRuntimeError, engineStatus} from './errors.js'
import {followToEnd} from './pause-image.js'
import {PullProgressTracker, type EngineProgressMessage} from './pull-progress.js'

export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never'

/** What to do given the policy and whether the engine has the image already. */
export function pullDecision(policy: PullPolicy, present: boolean): 'use' | 'pull' | 'fail' {
  if (policy === 'Always') return 'pull'
  if (present) return 'use'
  return policy === 'Never' ? 'fail' : 'pull'
}

/** A reference without a tag or digest means `:latest`, as for the kubelet. */
export function withDefaultTag(image: string): string {
  if (image.includes('@')) return image
  const lastSlash = image.lastIndexOf('/')
  return image.slice(lastSlash + 1).includes(':') ? image : `${image}:latest`
}

export async function localImageSize(docker: Dockerode, image: string): Promise<number | undefined> {
  try {
    return (await docker.getImage(image).inspect()).Size
  } catch (error) {
    if (engineStatus(error) === 404) return undefined
    throw error
  }
}

export async function ensureImage(docker: Dockerode, image: string, policy: PullPolicy, observer?: PullObserver): Promise<ImageResult> {
  if (!image) throw new DockerRuntimeError('image name is empty', 'ErrImagePull')
  const reference = withDefaultTag(image)
  const size = await localImageSize(docker, reference)
  const decision = pullDecision(policy, size !== undefined)
  if (decision === 'use') return {pulled: false, size}
  if (decision === 'fail') {
    // The kubelet's own wording, which `kubectl describe pod` users search for.
    throw new DockerRuntimeError(`Container image "${image}" is not present with pull policy of Never`, 'ErrImageNeverPull')
  }
  observer?.pullStarted()
  const tracker = new PullProgressTracker()
  try {
    const stream = await docker.pull(reference)
    await followToEnd(docker, stream, (message) => {
      const progress = tracker.add(message as EngineProgressMessage)
      observer?.progress?.(progress)
    })
  } catch (error) {
    throw new DockerRuntimeError(`Failed to pull image "${image}": ${(error as Error).message}`, 'ErrImagePull', {cause: error})
  }
  return {pulled: true, size: await localImageSize(docker, reference)}
}
