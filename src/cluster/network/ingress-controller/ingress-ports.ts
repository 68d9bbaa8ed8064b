// Which ports the ingress listeners take. 80/443 when this user may bind them and nothing holds them;
// otherwise 8080/8443, then the next pairs above (8081/8444, ...), a bounded number of tries. The two
// ports of a pair are taken together so the documented "HTTPS is HTTP + 363" holds whenever it can.
import {IngressListenError, type IngressServer} from '../ingress/ingress-server.js'

export interface PortPair {
  http: number
  https: number
}

/** Pairs tried after 8080/8443 before giving up. */
export const FALLBACK_PAIRS_ABOVE = 15

/** 80/443, 8080/8443, 8081/8444 ... 8095/8458. */
export const DEFAULT_PORT_PAIRS: readonly PortPair[] = [
  {http: 80, https: 443},
  ...Array.from({length: FALLBACK_PAIRS_ABOVE + 1}, (_, i) => ({http: 8080 + i, https: 8443 + i})),
]

/** Why a pair is skipped: in use, or below 1024 for a user who may not bind there. */
const SKIPPABLE = new Set(['EADDRINUSE', 'EACCES', 'EPERM'])

/** No pair could be bound; `attempts` lists each pair's error. */
export class IngressPortsUnavailableError extends Error {
  override name = 'IngressPortsUnavailableError'
  readonly code = 'INGRESS_PORTS_UNAVAILABLE'
  constructor(
    readonly attempts: ReadonlyArray<{pair: PortPair; code: string}>,
    options?: {cause?: unknown},
  ) {
    const tried = attempts.map((a) => `${a.pair.http}/${a.pair.https} (${a.code})`).join(', ')
    super(`no ingress port pair could be bound; tried ${tried}`, options)
  }
}

/**
 * Start the server on the first pair that binds. Only "port taken" and "not allowed" move on to the
 * next pair; any other failure is thrown as is.
 */
export async function listenOnFirstFreePair(
  start: (pair: PortPair) => Promise<IngressServer>,
  pairs: readonly PortPair[] = DEFAULT_PORT_PAIRS,
): Promise<IngressServer> {
  const attempts: Array<{pair: PortPair; code: string}> = []
  let last: unknown
  for (const pair of pairs) {
    try {
      return await start(pair)
    } catch (error) {
      if (!(error instanceof IngressListenError) || !SKIPPABLE.has(error.code)) throw error
      attempts.push({pair, code: `${error.code} on ${error.port}`})
      last = error
    }
  }
  throw new IngressPortsUnavailableError(attempts, {cause: last})
}
