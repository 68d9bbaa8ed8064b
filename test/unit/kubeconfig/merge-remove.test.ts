import {mkdtemp, readFile, rm, stat, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {kubeconfigPath} from '../../../src/cluster/kubeconfig/kubeconfig-file.js'
import {mergeKubeconfig} from '../../../src/cluster/kubeconfig/merge.js'
import {removeFromKubeconfig} from '../../../src/cluster/kubeconfig/remove.js'
import {standaloneKubeconfig} from '../../../src/cluster/kubeconfig/standalone.js'

const certificates = {caCert: 'CA-PEM', adminCert: 'CERT-PEM', adminKey: 'KEY-PEM'}
const b64 = (s: string) => Buffer.from(s).toString('base64')

// A kubeconfig as kubectl writes it, with a comment and a value Go's YAML 1.1 reads as a string only when quoted.
const EXISTING = `# managed by hand
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: T1RIRVI=
    server: https://10.0.0.1:6443
  name: prod
contexts:
- context:
    cluster: prod
    namespace: "on"
    user: prod-admin
  name: prod
current-context: prod
kind: Config
preferences: {}
users:
- name: prod-admin
  user:
    token: secret-token
`

describe('kubeconfig merge and remove', () => {
  let dir: string
  let file: string

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'kcluster-kubeconfig-'))
    file = path.join(dir, 'config')
  })
  afterEach(async () => {
    await rm(dir, {recursive: true, force: true})
  })

  it('creates a new kubeconfig with the cluster, user and context, current, mode 0600', async () => {
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:4000', certificates})
    const config = parse(await readFile(file, 'utf8'))
    expect(config['current-context']).toBe('kcluster')
    expect(config.clusters).toEqual([{name: 'kcluster', cluster: {server: 'https://127.0.0.1:4000', 'certificate-authority-data': b64('CA-PEM')}}])
    expect(config.users).toEqual([{name: 'kcluster', user: {'client-certificate-data': b64('CERT-PEM'), 'client-key-data': b64('KEY-PEM')}}])
    expect(config.contexts).toEqual([{name: 'kcluster', context: {cluster: 'kcluster', user: 'kcluster'}}])
    expect((await stat(file)).mode & 0o777).toBe(0o600)
  })

  it('adds to an existing kubeconfig without disturbing other entries, comments or quoting', async () => {
    await writeFile(file, EXISTING)
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:4000', certificates})
    const text = await readFile(file, 'utf8')
    expect(text.startsWith('# managed by hand\n')).toBe(true)
    expect(text).toContain('namespace: "on"')
    const config = parse(text, {version: '1.1'})
    expect(config['current-context']).toBe('kcluster')
    expect(config.clusters.map((c: {name: string}) => c.name)).toEqual(['prod', 'kcluster'])
    expect(config.users.map((c: {name: string}) => c.name)).toEqual(['prod-admin', 'kcluster'])
    expect(config.users[0]).toEqual({name: 'prod-admin', user: {token: 'secret-token'}})
    expect(config.contexts[0].context.namespace).toBe('on')
  })

  it('replaces its own entries in place when merged again with a new server', async () => {
    await writeFile(file, EXISTING)
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:4000', certificates})
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:5000', certificates})
    const config = parse(await readFile(file, 'utf8'))
    expect(config.clusters).toHaveLength(2)
    expect(config.clusters[1].cluster.server).toBe('https://127.0.0.1:5000')
    expect(config.contexts).toHaveLength(2)
  })

  it('fills sections kubectl wrote as null', async () => {
    await writeFile(file, 'apiVersion: v1\nclusters: null\ncontexts: null\nusers: null\nkind: Config\ncurrent-context: ""\n')
    await mergeKubeconfig(file, {name: 'dev', server: 'https://127.0.0.1:4000', certificates})
    const config = parse(await readFile(file, 'utf8'))
    expect(config.clusters).toHaveLength(1)
    expect(config['current-context']).toBe('dev')
  })

  it('refuses to rewrite a kubeconfig that is not valid YAML, naming the line', async () => {
    await writeFile(file, 'apiVersion: v1\nclusters:\n  - name: [broken\n')
    await expect(mergeKubeconfig(file, {name: 'dev', server: 'https://127.0.0.1:4000', certificates})).rejects.toThrow(/config:\d+/)
    expect(await readFile(file, 'utf8')).toBe('apiVersion: v1\nclusters:\n  - name: [broken\n')
  })

  it('writes through a symlinked kubeconfig instead of replacing the link', async () => {
    const real = path.join(dir, 'real-config')
    await writeFile(real, EXISTING)
    await symlink(real, file)
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:4000', certificates})
    expect((await stat(file)).isFile()).toBe(true)
    expect(parse(await readFile(real, 'utf8'))['current-context']).toBe('kcluster')
  })

  it('removes only its three entries and unsets current-context when it pointed at the cluster', async () => {
    await writeFile(file, EXISTING)
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:4000', certificates})
    expect(await removeFromKubeconfig(file, 'kcluster')).toBe(true)
    const text = await readFile(file, 'utf8')
    const config = parse(text, {version: '1.1'})
    expect(config.clusters.map((c: {name: string}) => c.name)).toEqual(['prod'])
    expect(config.users.map((c: {name: string}) => c.name)).toEqual(['prod-admin'])
    expect(config.contexts.map((c: {name: string}) => c.name)).toEqual(['prod'])
    expect(config['current-context']).toBe('')
    expect(text).toContain('# managed by hand')
  })

  it('keeps current-context when it points at another cluster', async () => {
    await writeFile(file, EXISTING)
    await mergeKubeconfig(file, {name: 'kcluster', server: 'https://127.0.0.1:4000', certificates})
    const edited = (await readFile(file, 'utf8')).replace('current-context: kcluster', 'current-context: prod')
    await writeFile(file, edited)
    await removeFromKubeconfig(file, 'kcluster')
    expect(parse(await readFile(file, 'utf8'))['current-context']).toBe('prod')
  })

  it('leaves a kubeconfig without its entries untouched, and a missing one missing', async () => {
    await writeFile(file, EXISTING)
    expect(await removeFromKubeconfig(file, 'kcluster')).toBe(false)
    expect(await readFile(file, 'utf8')).toBe(EXISTING)
    expect(await removeFromKubeconfig(path.join(dir, 'absent'), 'kcluster')).toBe(false)
    await expect(stat(path.join(dir, 'absent'))).rejects.toThrow()
  })

  it('builds a standalone kubeconfig holding only the cluster', () => {
    const config = parse(standaloneKubeconfig({name: 'dev', server: 'https://127.0.0.1:4000', certificates}))
    expect(config['current-context']).toBe('dev')
    expect(config.clusters[0].cluster['certificate-authority-data']).toBe(b64('CA-PEM'))
    expect(config.users[0].user['client-key-data']).toBe(b64('KEY-PEM'))
  })
})

describe('kubeconfigPath', () => {
  it('uses the first non-empty entry of KUBECONFIG', () => {
    expect(kubeconfigPath({KUBECONFIG: `${path.delimiter}/a/one${path.delimiter}/b/two`})).toBe('/a/one')
  })

  it('falls back to ~/.kube/config', () => {
    expect(kubeconfigPath({})).toBe(path.join(os.homedir(), '.kube', 'config'))
  })
})

