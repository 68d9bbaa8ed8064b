import {describe, expect, it} from 'vitest'
import {appCreateOptions, sandboxCreateOptions} from '../../../../src/cluster/runtime/docker/create-options.js'
import {PAUSE_IMAGE} from '../../../../src/cluster/runtime/docker/pause-image.js'
import type {ContainerSpec} from '../../../../src/cluster/runtime/runtime.js'

const base: ContainerSpec = {namespace: 'default', podName: 'web', podUid: 'abcdef12-3456', containerName: 'app', image: 'busybox:1', restartCount: 0}

describe('Docker create options', () => {
  it('map command to the entrypoint and args to the command, dropping the image CMD when only command is set', () => {
    expect(appCreateOptions('c', {...base, command: ['sh', '-c'], args: ['echo hi']}, 'sb')).toMatchObject({Entrypoint: ['sh', '-c'], Cmd: ['echo hi']})
    expect(appCreateOptions('c', {...base, command: ['sleep']}, 'sb')).toMatchObject({Entrypoint: ['sleep'], Cmd: []})
  })

  it('keep the image entrypoint when only args are set, and both image defaults when neither is', () => {
    const argsOnly = appCreateOptions('c', {...base, args: ['--port', '80']}, 'sb')
    expect(argsOnly.Entrypoint).toBeUndefined()
    expect(argsOnly.Cmd).toEqual(['--port', '80'])
    const neither = appCreateOptions('c', {...base, command: [], args: []}, 'sb')
    expect(neither.Entrypoint).toBeUndefined()
    expect(neither.Cmd).toBeUndefined()
  })

  it('join the sandbox network and IPC namespaces', () => {
    const options = appCreateOptions('c', base, 'sandbox-id')
    expect(options.HostConfig).toMatchObject({NetworkMode: 'container:sandbox-id', IpcMode: 'container:sandbox-id', RestartPolicy: {Name: 'no'}})
    expect(options.Hostname).toBeUndefined()
  })

  it('turn limits, env, working dir, user and tty into Docker fields', () => {
    const options = appCreateOptions('c', {...base, env: {A: '1', B: 'x=y'}, memoryLimitBytes: 16 << 20, cpuLimitMillicores: 250, workingDir: '/srv', user: '1000:1000', tty: true, stdin: true}, 'sb')
    expect(options.Env).toEqual(['A=1', 'B=x=y'])
    expect(options.HostConfig).toMatchObject({Memory: 16 << 20, MemorySwap: 16 << 20, NanoCpus: 250_000_000})
    expect(options).toMatchObject({WorkingDir: '/srv', User: '1000:1000', Tty: true, OpenStdin: true})
  })

  it('set no limit when the spec has none', () => {
    const host = appCreateOptions('c', base, 'sb').HostConfig!
    expect(host.Memory).toBeUndefined()
    expect(host.NanoCpus).toBeUndefined()
  })

  it('create the sandbox from the pause image on the cluster network, named after the pod', () => {
    const options = sandboxCreateOptions('dev', 'kcluster-dev', base)
    expect(options).toMatchObject({Image: PAUSE_IMAGE, Hostname: 'web', name: 'k8s_POD_web_default_abcdef12_0'})
    expect(options.HostConfig).toMatchObject({NetworkMode: 'kcluster-dev', IpcMode: 'shareable'})
    expect(options.NetworkingConfig?.EndpointsConfig).toHaveProperty('kcluster-dev')
    expect(options.Labels).toMatchObject({'kcluster.io/role': 'sandbox', 'kcluster.io/container': 'POD', 'kcluster.io/cluster': 'dev'})
  })

  it('fixes the sandbox address when one is chosen, so that a stop and start keeps it', () => {
    expect(sandboxCreateOptions('dev', 'kcluster-dev', base, '10.200.0.9').NetworkingConfig?.EndpointsConfig?.['kcluster-dev']).toEqual({IPAMConfig: {IPv4Address: '10.200.0.9'}})
    expect(sandboxCreateOptions('dev', 'kcluster-dev', base).NetworkingConfig?.EndpointsConfig?.['kcluster-dev']).toEqual({})
  })

  it('passes securityContext through as Privileged, ReadonlyRootfs, CapAdd and CapDrop, and leaves them out when unset', () => {
    const options = appCreateOptions('c1', {...base, privileged: true, readOnlyRootFilesystem: true, capabilities: {add: ['NET_ADMIN'], drop: ['ALL']}}, 'sandbox-id')
    expect(options.HostConfig).toMatchObject({Privileged: true, ReadonlyRootfs: true, CapAdd: ['NET_ADMIN'], CapDrop: ['ALL']})
    const plain = appCreateOptions('c1', base, 'sandbox-id').HostConfig!
    for (const key of ['Privileged', 'ReadonlyRootfs', 'CapAdd', 'CapDrop']) expect(plain).not.toHaveProperty(key)
  })
})
