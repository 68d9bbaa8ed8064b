// What the engine answers after it was restarted (or while it shuts down) under running containers,
// told apart so that each is handled as what it is: an engine that is away is waited for, never
// "repaired" (a container removed then would lose its fixed address for nothing); a container whose
// start the engine's own leftovers block is made again; a phantom endpoint is disconnected.
import type Dockerode from 'dockerode'
import {engineStatus} from './errors.js'
import {isAddressInUse} from './pod-addresses.js'

/** No HTTP answer at all: the socket is gone or refused (the engine is stopping, stopped or starting). */
export function engineAway(error: unknown): boolean {
  return engineStatus(error) === undefined
}

/**
 * containerd still holds a task for the container (a start that raced the engine's shutdown): every
 * later start of that container fails with "task <id>: already exists"; a new container does not.
 */
export function isStaleTask(error: unknown): boolean {
  return /task [0-9a-f]+: already exists/i.test(messageOf(error))
}

/**
 * Why a stopped container of kcluster's cannot be started again, when that is the container's fault
 * and making it again is the cure: its network went away (404), containerd holds a stale task for it,
 * or a container kcluster does not know holds its address. Anything else (the engine shutting down,
 * a full disk) is retried as it is, not answered by a new container.
 */
export function cannotStartAgain(error: unknown): boolean {
  return engineStatus(error) === 404 || isStaleTask(error) || isAddressInUse(error)
}

/**
 * The engine refuses a container because the network still has an endpoint of that name: left by a
 * container removed while the engine was going down (Docker 20.10 keeps it until it is disconnected
 * by force, or the engine restarts). Returns the network named in the message.
 */
export function phantomEndpointNetwork(error: unknown): string | undefined {
  return /endpoint with name \S+ already exists in network (\S+)/i.exec(messageOf(error))?.[1]
}

/** Disconnects, by force, the endpoint `name` still has on `network` (a phantom); done if it is not there. */
export async function disconnectPhantom(docker: Dockerode, network: string, name: string): Promise<void> {
  await docker
    .getNetwork(network)
    .disconnect({Container: name, Force: true})
    .catch((error: unknown) => {
      if (engineStatus(error) !== 404) throw error
    })
}

/**
 * Creates a container, first disconnecting a phantom endpoint of its name when the engine refuses it
 * for one (once: a second refusal is reported as it is).
 */
export async function createPastPhantom<T>(docker: Dockerode, name: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create()
  } catch (error) {
    const network = phantomEndpointNetwork(error)
    if (!network) throw error
    await disconnectPhantom(docker, network, name)
    return create()
  }
}

function messageOf(error: unknown): string {
  return String((error as {message?: unknown})?.message ?? error)
}
