import {request} from 'node:http'

/**
 * The body (trimmed) of GET http://host:port/ from this process, or undefined on any failure or
 * after 2 s: callers poll a Service until it answers, so a failure is an answer, not an exception.
 */
export function hostGet(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({host, port, path: '/', timeout: 2000, agent: false}, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve(body.trim() || undefined))
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(undefined))
    req.end()
  })
}
