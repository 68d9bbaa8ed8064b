import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import https from 'node:https'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {expect, it} from 'vitest'
import type {E2ECluster} from '../harness.js'
import {rawRequest} from '../raw-client.js'

function tempFile(name: string, text: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'kcluster-bad-')), name)
  writeFileSync(path, text)
  return path
}

const CM = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}data:\n  a: "1"\n`

export function badInputCases(cluster: () => E2ECluster): void {
  it('kcluster apply names the file and line of a YAML error and applies nothing from that document', async () => {
    const k = cluster()
    const file = tempFile('broken.yaml', `${CM('good-before')}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: [unclosed\n---\n${CM('good-after')}`)
    const r = await k.kcluster(['apply', '--name', k.name, '-f', file])
    expect(r.exitCode).not.toBe(0)
    expect(r.stderr).toMatch(/broken\.yaml:1[34]: YAML syntax error/)
    expect((await k.kubectl(['get', 'configmap', 'broken'])).exitCode).not.toBe(0)
  })

  it('rejects an unknown field with the strict-decoding message', async () => {
    const file = tempFile('unknown.yaml', CM('strict').replace(/^data:/m, 'bogusField: 1\ndata:'))
    const r = await cluster().kubectl(['apply', '-f', file])
    expect(r.exitCode).not.toBe(0)
    expect(r.stderr).toContain('strict decoding error: unknown field "bogusField"')
  })

  it('answers each kind of bad object with the right 4xx Status and keeps serving', async () => {
    const k = cluster()
    const post = (path: string, body: unknown) => rawRequest(k, 'POST', path, JSON.stringify(body), {'Content-Type': 'application/json'})
    const noName = await post('/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {}})
    expect(noName.status).toBe(422)
    expect(noName.json().reason).toBe('Invalid')
    expect(noName.json().message).toContain('metadata.name: Required value')

    const badLabel = await post('/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'bl', labels: {app: 'bad value!'}}})
    expect(badLabel.status).toBe(422)
    expect(badLabel.json().message).toContain('metadata.labels: Invalid value: "bad value!"')

    const wrongType = await post('/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {name: 'wt'},
      spec: {replicas: 'three', selector: {matchLabels: {a: 'b'}}, template: {metadata: {labels: {a: 'b'}}, spec: {containers: [{name: 'c', image: 'i'}]}}},
    })
    expect(wrongType.status).toBe(400)
    expect(wrongType.json().reason).toBe('BadRequest')
    expect(wrongType.json().message).toContain('spec.replicas')

    const mismatch = await post('/api/v1/namespaces/default/configmaps', {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'mm', namespace: 'kube-system'}})
    expect(mismatch.status).toBe(400)
    expect(mismatch.json().message).toBe('the namespace of the provided object does not match the namespace sent on the request')

    const huge = await rawRequest(k, 'POST', '/api/v1/namespaces/default/configmaps', Buffer.alloc(3 * 1024 * 1024 + 10, 0x20), {'Content-Type': 'application/json'})
    expect(huge.status).toBe(413)
    expect(huge.json().reason).toBe('RequestEntityTooLarge')

    const badProto = await rawRequest(k, 'POST', '/api/v1/namespaces', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff, 0x01]), {'Content-Type': 'application/vnd.kubernetes.protobuf'})
    expect(badProto.status).toBeGreaterThanOrEqual(400)
    expect(badProto.status).toBeLessThan(500)
    expect(badProto.json().kind).toBe('Status')

    const notJson = await rawRequest(k, 'POST', '/api/v1/namespaces/default/configmaps', '{"apiVersion": ', {'Content-Type': 'application/json'})
    expect(notJson.status).toBe(400)

    const health = await rawRequest(k, 'GET', '/readyz')
    expect(health.status).toBe(200)
    expect((await k.kubectl(['get', 'ns', 'default'])).exitCode).toBe(0)
  })

  it('refuses requests without a client certificate', async () => {
    const k = cluster()
    const port = JSON.parse(readFileSync(join(k.home, k.name, 'config.json'), 'utf8')).port
    const status = await new Promise<number>((resolve, reject) => {
      const req = https.request({host: '127.0.0.1', port, path: '/api/v1/pods', rejectUnauthorized: false}, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(401)
  })
}
