// Real HTTP backends on 127.0.0.1 for the ingress server tests, and a client that sets any Host header.
import {createHash} from 'node:crypto'
import http, {type IncomingHttpHeaders} from 'node:http'
import type {AddressInfo} from 'node:net'
import {WebSocketServer} from 'ws'

export interface Echo {
  backend: string
  method: string
  url: string
  headers: IncomingHttpHeaders
  bodyBytes: number
  bodySha256: string
}

export interface Backend {
  name: string
  port: number
  /** Responses of `/hold` stay open after a first chunk until this is called. */
  release(): void
  close(): Promise<void>
}

/** An HTTP server that answers every request with an Echo of it, and a WebSocket echo on upgrades. */
export async function startBackend(name: string): Promise<Backend> {
  const held: http.ServerResponse[] = []
  const server = http.createServer((req, res) => {
    if (req.url === '/hold') {
      res.writeHead(200, {'Content-Type': 'text/plain'})
      res.write('first;')
      held.push(res)
      return
    }
    const hash = createHash('sha256')
    let bodyBytes = 0
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length
      hash.update(chunk)
    })
    req.on('end', () => {
      const echo: Echo = {backend: name, method: req.method!, url: req.url!, headers: req.headers, bodyBytes, bodySha256: hash.digest('hex')}
      res.writeHead(200, {'Content-Type': 'application/json', 'Set-Cookie': ['a=1', 'b=2']})
      res.end(JSON.stringify(echo))
    })
  })
  const wss = new WebSocketServer({server})
  wss.on('connection', (socket, req) => {
    socket.on('message', (data) => socket.send(`${name}:${req.headers['x-forwarded-host']}:${data.toString()}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    name,
    port: (server.address() as AddressInfo).port,
    release: () => held.splice(0).forEach((res) => res.end('second')),
    close: async () => {
      held.splice(0).forEach((res) => res.destroy())
      for (const client of wss.clients) client.terminate()
      wss.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
    },
  }
}

/** A port on 127.0.0.1 nobody listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** One request to 127.0.0.1:port with the given Host header. */
export function request(port: number, host: string, path: string, init: {method?: string; headers?: Record<string, string>; body?: Buffer} = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: {...init.headers, Host: host}, agent: false}, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString()}))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(init.body)
  })
}
