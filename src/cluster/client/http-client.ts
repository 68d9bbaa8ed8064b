// A tiny HTTPS JSON client for the CLI's own calls to the API server (status, apply, readiness).
// The CA is pinned (the cluster's own, never the system store) and the admin client cert is presented.
// Kubernetes `Status` failures become KubeApiError with the server's code, reason and message.
import https from 'node:https'

export interface HttpClientOptions {
  /** `https://127.0.0.1:<port>` */
  server: string
  ca: string
  cert: string
  key: string
  /** Per-request timeout; the default suits an API server on loopback. */
  timeoutMs?: number
}

export interface RequestOptions {
  method?: string
  path: string
  query?: Record<string, string | undefined>
  /** Sent as JSON unless it is already a string. */
  body?: unknown
  contentType?: string
  timeoutMs?: number
  signal?: AbortSignal
}

export interface HttpResponse<T = unknown> {
  status: number
  headers: Record<string, string | string[] | undefined>
  /** Parsed JSON when the response was JSON, else the text. */
  body: T
}

interface StatusCause {
  reason?: string
  message?: string
  field?: string
}

/** The API server answered with an error (a `Status` object, or a non-JSON error body). */
export class KubeApiError extends Error {
  override name = 'KubeApiError'
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly causes: StatusCause[] = [],
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

/** No answer: refused, reset, timed out, or the TLS handshake failed. */
export class KubeConnectionError extends Error {
  override name = 'KubeConnectionError'
  constructor(message: string, readonly code: string, options?: {cause?: unknown}) {
    super(message, options)
  }
}

export class HttpClient {
  private readonly agent: https.Agent
  private readonly timeoutMs: number

  constructor(private readonly options: HttpClientOptions) {
    this.agent = new https.Agent({ca: options.ca, cert: options.cert, key: options.key, keepAlive: true, maxSockets: 4})
    this.timeoutMs = options.timeoutMs ?? 15_000
  }

  get server(): string {
    return this.options.server
  }

  async request<T = unknown>(options: RequestOptions): Promise<HttpResponse<T>> {
    const url = new URL(options.path, this.options.server)
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v)
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    const headers: Record<string, string> = {accept: 'application/json', 'user-agent': 'kcluster'}
    if (payload !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json'
      headers['content-length'] = String(Buffer.byteLength(payload))
    }
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    const response = await new Promise<{status: number; headers: HttpResponse['headers']; text: string}>((resolve, reject) => {
      const req = https.request(url, {method: options.method ?? 'GET', headers, agent: this.agent, signal: options.signal}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('error', reject)
        res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8')}))
      })
      req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), {code: 'ETIMEDOUT'})))
      req.on('error', (error: NodeJS.ErrnoException) => {
        reject(new KubeConnectionError(`${options.method ?? 'GET'} ${url.pathname}: ${error.message}`, error.code ?? 'ECONNECTION', {cause: error}))
      })
      req.end(payload)
    })

    const body = parseBody(response.text, response.headers['content-type'])
    if (response.status >= 400) throw toApiError(response.status, body)
    return {status: response.status, headers: response.headers, body: body as T}
  }

  async get<T = unknown>(path: string, options: Omit<RequestOptions, 'path' | 'method'> = {}): Promise<T> {
    return (await this.request<T>({...options, path, method: 'GET'})).body
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy()
  }
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  const type = String(contentType ?? '')
  if (type.includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text)
    } catch {
      return text
    }
  }
  return text
}

function toApiError(status: number, body: unknown): KubeApiError {
  if (typeof body === 'object' && body !== null && (body as {kind?: string}).kind === 'Status') {
    const s = body as {code?: number; reason?: string; message?: string; details?: {causes?: StatusCause[]}}
    return new KubeApiError(s.code ?? status, s.reason ?? '', s.message ?? `HTTP ${status}`, s.details?.causes ?? [])
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 300) : JSON.stringify(body).slice(0, 300)
  return new KubeApiError(status, '', text ? `HTTP ${status}: ${text}` : `HTTP ${status}`)
}
