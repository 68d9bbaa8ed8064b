// Whether the Docker runtime can work here, with the one command that fixes it when it cannot: the two
// usual failures are a socket the user may not open and an engine that is not running.
import type Dockerode from 'dockerode'

export type Availability = {ok: true} | {ok: false; reason: string; fix: string}

export const FIX_PERMISSION = 'add your user to the docker group: sudo usermod -aG docker $USER, then log in again'
export const FIX_ENGINE_DOWN = 'start Docker (sudo systemctl start docker)'

export async function dockerAvailability(docker: Dockerode, timeoutMs = 3000): Promise<Availability> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      docker.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error(`the Docker engine did not answer within ${timeoutMs} ms`), {code: 'ETIMEDOUT'})), timeoutMs)
      }),
    ])
    return {ok: true}
  } catch (error) {
    return unavailable(error)
  } finally {
    clearTimeout(timer)
  }
}

/** Maps a failed ping to a reason and a fix. */
export function unavailable(error: unknown): {ok: false; reason: string; fix: string} {
  const code = (error as {code?: string} | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  if (code === 'EACCES' || code === 'EPERM') {
    return {ok: false, reason: `permission denied on the Docker socket (${message})`, fix: FIX_PERMISSION}
  }
  if (code === 'ENOENT' || code === 'ECONNREFUSED') {
    return {ok: false, reason: `the Docker engine is not running (${message})`, fix: FIX_ENGINE_DOWN}
  }
  return {ok: false, reason: `the Docker engine does not answer (${message})`, fix: FIX_ENGINE_DOWN}
}
