// What every fuzzed request must get back, checked in one place: a Kubernetes Status with a 4xx code
// (never a 5xx, never a hang), and a server that still answers afterwards. A violation throws an Error
// naming the request, so fast-check's counterexample report says which input broke which promise.
import type {HttpResult, RequestOptions, TestCluster} from '../integration/harness.js'

/** Per-request bound: an answer slower than this counts as a hang. */
export const REQUEST_TIMEOUT_MS = 5_000

export class FuzzViolation extends Error {
  override name = 'FuzzViolation'
  readonly code = 'FUZZ_VIOLATION'
}

export interface FuzzRequest {
  method: string
  path: string
  opts?: RequestOptions
  /** Inputs a generator cannot guarantee to be invalid may also succeed (2xx); they still must never 5xx. */
  maySucceed?: boolean
}

/** Sends one request and checks the answer; returns it for callers that look further. */
export async function sendFuzzed(k: TestCluster, r: FuzzRequest): Promise<HttpResult> {
  let result: HttpResult
  try {
    result = await k.request(r.method, r.path, {...r.opts, timeoutMs: REQUEST_TIMEOUT_MS})
  } catch (error) {
    throw new FuzzViolation(`${describe(r)}: no answer (${(error as Error).message})`, {cause: error})
  }
  checkAnswer(r, result)
  return result
}

export function checkAnswer(r: FuzzRequest, result: HttpResult): void {
  const {status} = result
  if (r.maySucceed && status >= 200 && status < 300) return
  if (status < 400 || status >= 500) throw new FuzzViolation(`${describe(r)}: expected a 4xx Status, got ${status}: ${result.text.slice(0, 300)}`)
  requireFailureStatus(r, result)
}

/** A 4xx body must be a Status a client can print: kind Status, status Failure, a reason, the same code. */
export function requireFailureStatus(r: FuzzRequest, result: HttpResult): void {
  const s = result.json
  if (!s || s.kind !== 'Status' || s.status !== 'Failure' || typeof s.reason !== 'string' || s.reason === '' || s.code !== result.status)
    throw new FuzzViolation(`${describe(r)}: ${result.status} without a proper Failure Status: ${result.text.slice(0, 300)}`)
}

/** The server is still serving: GET /api/v1/namespaces answers 200 within the request bound. */
export async function requireAlive(k: TestCluster): Promise<void> {
  const r = await k.request('GET', '/api/v1/namespaces', {timeoutMs: REQUEST_TIMEOUT_MS})
  if (r.status !== 200) throw new FuzzViolation(`the server stopped answering: GET /api/v1/namespaces -> ${r.status}`)
}

function describe(r: FuzzRequest): string {
  const body = r.opts?.body
  const size = body === undefined ? '' : ` (${Buffer.isBuffer(body) ? body.length : typeof body === 'string' ? body.length : JSON.stringify(body).length} body bytes, ${r.opts?.contentType ?? 'application/json'})`
  return `${r.method} ${r.path.slice(0, 200)}${size}`
}
