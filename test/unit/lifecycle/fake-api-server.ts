// A throwaway HTTPS server with the cluster's certificates, for tests of the CLI side only
// (the real API server is tested by its own suites).
import https from 'node:https'
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {ClusterCertificates} from '../../../src/cluster/pki/certificates.js'

export type FakeHandler = (req: IncomingMessage & {body: string}, res: ServerResponse) => void

export interface FakeApi {
  port: number
  requests: {method: string; url: string; contentType?: string; body: string}[]
  close(): Promise<void>
}

export async function startFakeApi(certs: ClusterCertificates, handler: FakeHandler, port = 0): Promise<FakeApi> {
  const requests: FakeApi['requests'] = []
  const server = https.createServer({key: certs.serverKey, cert: certs.serverCert, ca: certs.caCert, requestCert: true, rejectUnauthorized: true}, (req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      requests.push({method: req.method!, url: req.url!, contentType: req.headers['content-type'], body})
      handler(Object.assign(req, {body}), res)
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'content-type': 'application/json'})
  res.end(JSON.stringify(body))
}
