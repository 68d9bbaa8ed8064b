import type {Container, Pod, Service} from 'kubernetes-types/core/v1.js'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {ContainerConfigError, containerConfig} from '../../../../src/cluster/agent/container-config/container-config.js'
import {b64, FakeRegistry} from './fake-registry.js'

let podsDir: string
beforeAll(async () => {
  podsDir = await mkdtemp(path.join(tmpdir(), 'cc-env-'))
})
afterAll(async () => {
  await rm(podsDir, {recursive: true, force: true})
})

function setup() {
  const registry = new FakeRegistry()
  registry.put('ConfigMap', {metadata: {name: 'cfg', namespace: 'ns'}, data: {MODE: 'fast', LEVEL: 'debug', 'bad-key!': 'x', '1st': 'y'}})
  registry.put('Secret', {metadata: {name: 'creds', namespace: 'ns'}, data: {PASSWORD: b64('s3cr3t'), USER: b64('admin')}})
  registry.put('Node', {metadata: {name: 'node-1'}, status: {allocatable: {cpu: '4', memory: '8Gi'}}})
  const warnings: string[] = []
  const deps = {registry, podsDir, hostIP: '10.0.0.5', onWarning: (_p: Pod, _c: Container, reason: string, message: string) => warnings.push(`${reason}: ${message}`)}
  return {registry, deps, warnings}
}

function pod(container: Container): Pod {
  return {
    metadata: {name: 'web', namespace: 'ns', uid: 'uid-1', labels: {app: 'web', tier: 'front'}, annotations: {note: 'say "hi"'}},
    spec: {nodeName: 'node-1', serviceAccountName: 'default', containers: [container]},
  }
}

async function envOf(container: Container) {
  const {deps, warnings} = setup()
  const config = await containerConfig(deps, pod(container), container, '172.18.0.7')
  return {env: config.env!, config, warnings}
}

describe('container env as the kubelet builds it', () => {
  it('puts envFrom first (prefixed, invalid names skipped with a warning), then env in order, later names replacing earlier values', async () => {
    const {env, warnings} = await envOf({
      name: 'app',
      envFrom: [{configMapRef: {name: 'cfg'}, prefix: 'CFG_'}, {secretRef: {name: 'creds'}}],
      env: [{name: 'FIRST', value: '1'}, {name: 'CFG_MODE', value: 'slow'}, {name: 'LAST', value: 'z'}],
    })
    expect(Object.keys(env)).toEqual(['CFG_MODE', 'CFG_LEVEL', 'CFG_1st', 'PASSWORD', 'USER', 'FIRST', 'LAST'])
    expect(env).toMatchObject({CFG_MODE: 'slow', CFG_LEVEL: 'debug', CFG_1st: 'y', PASSWORD: 's3cr3t', USER: 'admin'})
    expect(warnings).toEqual(['InvalidEnvironmentVariableNames: Keys [CFG_bad-key!] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.'])
  })

  it('skips envFrom keys that are not valid names without a prefix to fix them', async () => {
    const {env, warnings} = await envOf({name: 'app', envFrom: [{configMapRef: {name: 'cfg'}}]})
    expect(env).toEqual({MODE: 'fast', LEVEL: 'debug'})
    expect(warnings[0]).toContain('Keys [1st, bad-key!] from the EnvFrom configMap ns/cfg')
  })

  it('expands $(VAR) over variables defined before, leaves later and unknown ones literal, and honours $$ escapes', async () => {
    const {env} = await envOf({
      name: 'app',
      envFrom: [{secretRef: {name: 'creds'}}],
      env: [
        {name: 'URL', value: 'db://$(USER):$(PASSWORD)@$(HOST)'},
        {name: 'HOST', value: 'db'},
        {name: 'AGAIN', value: '$(HOST)/$$(HOST)/$(NOPE)'},
      ],
    })
    expect(env.URL).toBe('db://admin:s3cr3t@$(HOST)')
    expect(env.AGAIN).toBe('db/$(HOST)/$(NOPE)')
  })

  it('expands command and args over the final environment', async () => {
    const {config} = await envOf({name: 'app', command: ['echo', '$(GREETING)'], args: ['$(NAME)', '$$(NAME)'], env: [{name: 'GREETING', value: 'hi'}, {name: 'NAME', value: 'web'}]})
    expect(config.command).toEqual(['echo', 'hi'])
    expect(config.args).toEqual(['web', '$(NAME)'])
  })

  it('reads configMap and secret keys, decoding secret data', async () => {
    const {env} = await envOf({
      name: 'app',
      env: [
        {name: 'M', valueFrom: {configMapKeyRef: {name: 'cfg', key: 'MODE'}}},
        {name: 'P', valueFrom: {secretKeyRef: {name: 'creds', key: 'PASSWORD'}}},
        {name: 'GONE', valueFrom: {configMapKeyRef: {name: 'absent', key: 'k', optional: true}}},
        {name: 'NOKEY', valueFrom: {secretKeyRef: {name: 'creds', key: 'nope', optional: true}}},
        {name: 'EMPTY'},
      ],
    })
    expect(env).toEqual({M: 'fast', P: 's3cr3t', EMPTY: ''})
  })

  it.each([
    [{configMapRef: {name: 'absent'}}, undefined, 'configmap "absent" not found'],
    [{secretRef: {name: 'nope'}}, undefined, 'secret "nope" not found'],
    [undefined, {configMapKeyRef: {name: 'absent', key: 'k'}}, 'configmap "absent" not found'],
    [undefined, {configMapKeyRef: {name: 'cfg', key: 'k'}}, "couldn't find key k in ConfigMap ns/cfg"],
    [undefined, {secretKeyRef: {name: 'creds', key: 'k'}}, "couldn't find key k in Secret ns/creds"],
    [undefined, {secretKeyRef: {name: 'nope', key: 'k'}}, 'secret "nope" not found'],
    [undefined, {fieldRef: {fieldPath: 'spec.hostname'}}, 'unsupported fieldPath: spec.hostname'],
  ])('fails with CreateContainerConfigError when a required source is missing (%#)', async (from, valueFrom, message) => {
    const container: Container = {name: 'app', ...(from && {envFrom: [from]}), ...(valueFrom && {env: [{name: 'X', valueFrom}]})}
    const failure = envOf(container)
    await expect(failure).rejects.toBeInstanceOf(ContainerConfigError)
    await expect(failure).rejects.toMatchObject({reason: 'CreateContainerConfigError', waitingReason: 'CreateContainerConfigError', message})
  })

  it('takes pod fields from fieldRef, the labels map in sorted key="value" lines', async () => {
    const fields = ['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.labels['app']", "metadata.annotations['note']", "metadata.labels['none']", 'spec.nodeName', 'spec.serviceAccountName', 'status.podIP', 'status.hostIP', 'metadata.labels', 'metadata.annotations']
    const {env} = await envOf({name: 'app', env: fields.map((fieldPath, i) => ({name: `F${i}`, valueFrom: {fieldRef: {fieldPath}}}))})
    expect(Object.values(env)).toEqual(['web', 'ns', 'uid-1', 'web', 'say "hi"', '', 'node-1', 'default', '172.18.0.7', '10.0.0.5', 'app="web"\ntier="front"', 'note="say \\"hi\\""'])
  })

  it('computes resourceFieldRef rounded up to the divisor, unset limits defaulting to node allocatable and unset requests to 0', async () => {
    const resources = {limits: {cpu: '250m', memory: '129M'}, requests: {cpu: '100m', memory: '64Mi'}}
    const refs: Array<[string, string | undefined]> = [['limits.cpu', undefined], ['limits.cpu', '1m'], ['limits.memory', undefined], ['limits.memory', '1Mi'], ['requests.cpu', '1m'], ['requests.memory', '1Mi'], ['requests.memory', '1Gi']]
    const env = (await envOf({name: 'app', resources, env: refs.map(([resource, divisor], i) => ({name: `R${i}`, valueFrom: {resourceFieldRef: {resource, ...(divisor && {divisor})}}}))})).env
    expect(Object.values(env)).toEqual(['1', '250', '129000000', '124', '100', '64', '1'])
    const unset = (await envOf({name: 'app', env: [
      {name: 'CPU', valueFrom: {resourceFieldRef: {resource: 'limits.cpu', divisor: '0'}}},
      {name: 'MEM', valueFrom: {resourceFieldRef: {resource: 'limits.memory', divisor: '1Gi'}}},
      {name: 'REQ', valueFrom: {resourceFieldRef: {resource: 'requests.cpu'}}},
    ]})).env
    expect(unset).toEqual({CPU: '4', MEM: '8', REQ: '0'})
  })
})

describe('Service environment variables', () => {
  const services: Service[] = [
    {metadata: {name: 'kubernetes', namespace: 'default'}, spec: {clusterIP: '10.96.0.1', ports: [{name: 'https', port: 443, protocol: 'TCP'}]}},
    {metadata: {name: 'web-api', namespace: 'ns'}, spec: {clusterIP: '10.96.0.20', ports: [{port: 80, protocol: 'TCP'}]}},
  ]

  it('come after the container own variables, which win a shared name, and feed $(VAR) expansion and the command', async () => {
    const {deps} = setup()
    const container: Container = {
      name: 'app',
      image: 'busybox',
      command: ['sh', '-c', 'echo $(WEB_API_SERVICE_HOST)'],
      env: [
        {name: 'API', value: 'http://$(WEB_API_SERVICE_HOST):$(WEB_API_SERVICE_PORT)'},
        {name: 'KUBERNETES_SERVICE_PORT', value: 'mine'},
      ],
    }
    const asked: string[] = []
    const config = await containerConfig({...deps, services: async (ns) => (asked.push(ns), services)}, pod(container), container, '172.18.0.7')
    expect(asked).toEqual(['ns'])
    const names = Object.keys(config.env!)
    expect(names.slice(0, 2)).toEqual(['API', 'KUBERNETES_SERVICE_PORT'])
    expect(config.env).toMatchObject({API: 'http://10.96.0.20:80', KUBERNETES_SERVICE_PORT: 'mine', KUBERNETES_SERVICE_HOST: '10.96.0.1', WEB_API_SERVICE_HOST: '10.96.0.20', WEB_API_PORT: 'tcp://10.96.0.20:80'})
    expect(config.command).toEqual(['sh', '-c', 'echo 10.96.0.20'])
  })

  it('leave out the namespace own Services when enableServiceLinks is false, keeping the kubernetes Service', async () => {
    const {deps} = setup()
    const container: Container = {name: 'app', image: 'busybox'}
    const p = pod(container)
    p.spec!.enableServiceLinks = false
    const config = await containerConfig({...deps, services: async () => services}, p, container, '172.18.0.7')
    expect(config.env).toHaveProperty('KUBERNETES_SERVICE_HOST', '10.96.0.1')
    expect(config.env).not.toHaveProperty('WEB_API_SERVICE_HOST')
  })
})
