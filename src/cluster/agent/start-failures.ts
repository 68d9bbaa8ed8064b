// Containers the agent could not start, and what a user sees meanwhile, as the kubelet shows it: a
// failed configuration (a missing ConfigMap) waits 10 s as CreateContainerConfigError; an image that
// cannot be had waits on the image back-off (10 s doubling to 5 min) as ErrImageNeverPull, or as
// ErrImagePull for a moment after each failed pull and ImagePullBackOff until the next attempt; any
// other failure to create waits on the same back-off under the error's own reason.
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import type {Clock} from '../clock.js'
import type {ContainerConfigError} from './container-config/container-config.js'
import {CrashBackoff} from './crash-backoff.js'
import type {KubeletEvents} from './kubelet-events.js'

export interface Waiting {
  reason: string
  message?: string
}

/** How long a container whose configuration failed (a missing ConfigMap) waits before the next try. */
const CONFIG_RETRY_MS = 10_000
/** How long a failed pull shows as ErrImagePull before the wait shows as ImagePullBackOff (the kubelet's next sync). */
const PULL_ERROR_SHOWN_MS = 1_000

/** A container waiting until `retryAt`, shown as `waiting`; `then` changes what is shown partway. */
interface Failure {
  waiting?: Waiting
  retryAt: number
  then?: {at: number; waiting: Waiting; entered: () => void}
}

export class StartFailures {
  /** By `podUid/containerName`. */
  private readonly failures = new Map<string, Failure>()
  /** The kubelet's image back-off: 10 s doubling to 5 min between failed attempts of one container. */
  private readonly backoff = new CrashBackoff()

  constructor(private readonly deps: {clock: Clock; events: KubeletEvents}) {}

  /** While the container must still wait: what to show and how long until something changes. */
  pending(id: string): {waiting?: Waiting; wakeInMs: number} | undefined {
    const now = this.deps.clock.now().getTime()
    const failed = this.failures.get(id)
    if (!failed || now >= failed.retryAt) return undefined
    if (failed.then && now >= failed.then.at) {
      failed.waiting = failed.then.waiting
      failed.then.entered()
      failed.then = undefined
    }
    return {waiting: failed.waiting, wakeInMs: Math.min(failed.retryAt, failed.then?.at ?? Infinity) - now}
  }

  /** The container started: its back-off starts over. */
  started(id: string): void {
    this.failures.delete(id)
    this.backoff.forget(id)
  }

  forgetPod(uid: string): void {
    for (const key of this.failures.keys()) if (key.startsWith(`${uid}/`)) this.failures.delete(key)
    this.backoff.forget(`${uid}/`)
  }

  configFailed(pod: Pod, c: Container, error: ContainerConfigError): void {
    const waiting = error.waitingReason === 'CreateContainerConfigError' ? {reason: error.waitingReason, message: error.message} : undefined
    this.failures.set(idOf(pod, c), {waiting, retryAt: this.deps.clock.now().getTime() + CONFIG_RETRY_MS})
    if (error.reason === 'FailedMount') this.deps.events.warning(pod, pod.spec!.nodeName!, c.name, 'FailedMount', error.message)
    else this.deps.events.warning(pod, pod.spec!.nodeName!, c.name, 'Failed', `Error: ${error.message}`)
  }

  imageFailed(pod: Pod, c: Container, error: unknown): void {
    const {events, clock} = this.deps
    const node = pod.spec!.nodeName!
    const message = error instanceof Error ? error.message : String(error)
    if ((error as {code?: string}).code === 'ErrImageNeverPull') {
      events.warning(pod, node, c.name, 'ErrImageNeverPull', message)
      this.retryLater(pod, c, {reason: 'ErrImageNeverPull', message})
      return
    }
    events.warning(pod, node, c.name, 'Failed', message)
    events.warning(pod, node, c.name, 'Failed', 'Error: ErrImagePull')
    const backOff = {reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image ?? ''}"`}
    this.retryLater(pod, c, {reason: 'ErrImagePull', message}, {
      at: clock.now().getTime() + PULL_ERROR_SHOWN_MS,
      waiting: backOff,
      entered: () => {
        events.normal(pod, node, c.name, 'BackOff', backOff.message)
        events.warning(pod, node, c.name, 'Failed', 'Error: ImagePullBackOff')
      },
    })
  }

  /** Any other failure (the runtime could not create it): shown under the error's code when it reads as a reason (CamelCase, not ECONNRESET). */
  createFailed(pod: Pod, c: Container, error: unknown): void {
    const code = (error as {code?: string}).code ?? ''
    const message = error instanceof Error ? error.message : String(error)
    this.retryLater(pod, c, {reason: /^[A-Z][A-Za-z]*[a-z][A-Za-z]*$/.test(code) ? code : 'CreateContainerError', message})
    this.deps.events.warning(pod, pod.spec!.nodeName!, c.name, 'Failed', `Error: ${message}`)
  }

  private retryLater(pod: Pod, c: Container, waiting: Waiting, then?: Failure['then']): void {
    const id = idOf(pod, c)
    const now = this.deps.clock.now().getTime()
    this.backoff.next(id, now, now)
    this.failures.set(id, {waiting, retryAt: now + this.backoff.windowMs(id), then})
  }
}

function idOf(pod: Pod, c: Container): string {
  return `${pod.metadata!.uid}/${c.name}`
}
