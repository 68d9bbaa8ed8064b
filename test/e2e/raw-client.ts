// Raw HTTPS requests with the cluster's admin certificate, for inputs kubectl would never send.
import https from 'node:https'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import type {E2ECluster} from './harness.js'

export interface RawResponse {
  status: number
  body: string
  json(): Record<string, unknown>
}

export function rawRequest(k: E2ECluster, method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const pki = join(k.home, k.name, 'pki')
  const config = JSON.parse(readFileSync(join(k.home, k.name, 'config.json'), 'utf8')) as {port: number}
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: config.port,
        method,
        path,
        ca: readFileSync(join(pki, 'ca.crt')),
        cert: readFileSync(join(pki, 'admin.crt')),
        key: readFileSync(join(pki, 'admin.key')),
        headers: {...headers, ...(body !== undefined ? {'Content-Length': String(Buffer.byteLength(body))} : {})},
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({status: res.statusCode ?? 0, body: text, json: () => JSON.parse(text)})
        })
      },
    )
    req.on('error', reject)
    req.on('timeout', () => req.destroy(new Error('request timed out')))
    if (body !== undefined) req.write(body)
    req.end()
  })
}
