// httpGet probes as pkg/probe/http does them: GET with User-Agent kube-probe/<major.minor> and
// Accept */*, no keep-alive, any certificate accepted for HTTPS, redirects followed only on the same
// host (at most 10), success on 200-399, and one timeout for the whole exchange. Failure texts are Go's.
import {request as httpRequest, type IncomingMessage} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {connectionErrorText, dialErrorText, isDialError, joinHostPort} from './go-net-errors.js'
import {failure, success, errored, type ProbeOutcome} from './probe-outcome.js'

export const PROBE_USER_AGENT = 'kube-probe/1.32'
const MAX_BODY_BYTES = 10 * 1024
const MAX_REDIRECTS = 10

export interface HttpProbeRequest {
  scheme: 'http' | 'https'
  host: string
  port: number
  /** As written in the probe: `/healthz`, `healthz?x=1` or empty. */
  path: string
  headers: Array<{name: string; value: string}>
  timeoutMs: number
}

/** The URL as Go's url.URL.String() prints it for the probe (no slash added to an empty path). */
export function probeURL(scheme: string, host: string, port: number, path: string): string {
  const p = path === '' ? '' : path.startsWith('/') ? path : `/${path}`
  return `${scheme}://${joinHostPort(host, port)}${p}`
}

export async function httpProbe(req: HttpProbeRequest): Promise<ProbeOutcome> {
  const deadline = Date.now() + req.timeoutMs
  let url = probeURL(req.scheme, req.host, req.port, req.path)
  const headers = requestHeaders(req.headers)
  for (let redirects = 0; ; redirects++) {
    const exchange = await getOnce(url, headers, deadline)
    if (exchange.kind === 'transport') return failure(`Get ${JSON.stringify(url)}: ${exchange.text}`)
    if (exchange.kind === 'body') return errored(exchange.text)
    const {status, location, body} = exchange
    if (isRedirect(status) && location !== undefined) {
      const next = new URL(location, url)
      // The kubelet's client follows redirects on the same host only; others end as a warning.
      if (next.hostname === new URL(url).hostname) {
        if (redirects + 1 >= MAX_REDIRECTS) return failure(`Get ${JSON.stringify(next.href)}: stopped after ${MAX_REDIRECTS} redirects`)
        url = next.href
        continue
      }
    }
    if (status >= 200 && status < 400) {
      if (status >= 300) return {result: 'success', output: body, warning: `Probe terminated redirects, Response body: ${body}`}
      return success(body)
    }
    // The body stays out of the message on purpose (kubernetes issue 99425).
    return failure(`HTTP probe failed with statuscode: ${status}`)
  }
}

type Exchange =
  | {kind: 'response'; status: number; location?: string; body: string}
  | {kind: 'transport'; text: string}
  | {kind: 'body'; text: string}

function getOnce(url: string, headers: Record<string, string | string[]>, deadline: number): Promise<Exchange> {
  return new Promise((resolve) => {
    const target = new URL(url)
    const hostPort = joinHostPort(target.hostname.replace(/^\[|\]$/g, ''), Number(target.port || (target.protocol === 'https:' ? 443 : 80)))
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest
    let response: IncomingMessage | undefined
    let settled = false
    const finish = (exchange: Exchange) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      request.destroy()
      resolve(exchange)
    }
    const request = send(url, {method: 'GET', headers, agent: false, rejectUnauthorized: false})
    const timer = setTimeout(() => {
      finish(response
        ? {kind: 'body', text: 'context deadline exceeded (Client.Timeout or context cancellation while reading body)'}
        : {kind: 'transport', text: 'context deadline exceeded (Client.Timeout exceeded while awaiting headers)'})
    }, Math.max(0, deadline - Date.now()))
    request.on('error', (error) => {
      if (response) return finish({kind: 'body', text: error.message})
      const text = isDialError(error) ? dialErrorText(error, hostPort) : connectionErrorText(error, localAddress(request.socket), hostPort)
      finish({kind: 'transport', text})
    })
    request.on('response', (res) => {
      response = res
      const chunks: Buffer[] = []
      let size = 0
      const done = () => finish({kind: 'response', status: res.statusCode ?? 0, location: header(res, 'location'), body: Buffer.concat(chunks).toString('utf8')})
      res.on('data', (chunk: Buffer) => {
        // Like utilio.ReadAtMost: keep the first 10 KiB and stop reading; truncation is not an error.
        const room = MAX_BODY_BYTES - size
        chunks.push(chunk.subarray(0, Math.max(0, room)))
        size += chunk.length
        if (size >= MAX_BODY_BYTES) done()
      })
      res.on('end', done)
      res.on('error', (error) => finish({kind: 'body', text: error.message}))
    })
    request.end()
  })
}

/** newProbeRequest: the probe's headers, plus User-Agent and Accept unless given (an empty Accept removes it). */
function requestHeaders(list: Array<{name: string; value: string}>): Record<string, string | string[]> {
  const out: Record<string, string[]> = {}
  for (const {name, value} of list) (out[name.toLowerCase()] ??= []).push(value)
  if (!out['user-agent']) out['user-agent'] = [PROBE_USER_AGENT]
  if (!out.accept) out.accept = ['*/*']
  else if (out.accept[0] === '') delete out.accept
  // Go sends a single Host (req.Host = headers.Get("Host")).
  if (out.host) out.host = [out.host[0] ?? '']
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.length === 1 ? (v[0] ?? '') : v]))
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308
}

function header(res: IncomingMessage, name: string): string | undefined {
  const v = res.headers[name]
  return Array.isArray(v) ? v[0] : v
}

function localAddress(socket: {localAddress?: string; localPort?: number} | null): string | undefined {
  return socket?.localAddress && socket.localPort ? joinHostPort(socket.localAddress, socket.localPort) : undefined
}
