// /version and the health endpoints. Reachable without a client certificate, like the real
// server's system:public-info-viewer role; nothing else is.
import type {ServerResponse} from 'node:http'
import {sendJson} from '../status.js'

export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kcluster',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: 'go1.23.4',
  compiler: 'gc',
  platform: 'linux/amd64',
}

export const PUBLIC_PATHS = new Set(['/version', '/healthz', '/livez', '/readyz'])

export function handleVersion(res: ServerResponse): void {
  sendJson(res, 200, SERVER_VERSION)
}

export function handleHealth(res: ServerResponse, healthy: boolean, verbose: boolean, checks: Array<{name: string; ok: boolean}>): void {
  const text = verbose
    ? `${checks.map((c) => `[${c.ok ? '+' : '-'}]${c.name} ${c.ok ? 'ok' : 'failed'}`).join('\n')}\n${healthy ? 'healthz check passed' : 'healthz check failed'}\n`
    : healthy
      ? 'ok'
      : 'not ready'
  res.writeHead(healthy ? 200 : 500, {'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text)})
  res.end(text)
}
