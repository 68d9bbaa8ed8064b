// Whether a Docker engine answers on this machine. The only place besides the Docker runtime that
// talks to Docker; kept tiny so `kcluster start --driver auto` can decide in well under a second.

import {unavailable} from './availability.js'

/** On failure, why (permission denied, engine not running, no answer) and the one command that fixes it. */
export async function dockerEngineAnswers(timeoutMs = 1500): Promise<{ok: true} | {ok: false; reason: string; fix: string}> {
  // Imported here, not at the top: dockerode costs ~100 ms to load and most commands never need it.
  const {default: Docker} = await import('dockerode')
  const docker = new Docker()
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ])
    return {ok: true}
  } catch (error) {
    return unavailable(error)
  }
}
