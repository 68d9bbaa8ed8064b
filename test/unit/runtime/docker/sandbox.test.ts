import {describe, expect, it} from 'vitest'
import {ensureSandbox, type SandboxDeps} from '../../../../src/cluster/runtime/docker/sandbox.js'
import {sandboxLabels} from '../../../../src/cluster/runtime/docker/labels.js'
import {sandboxContainerName} from '../../../../src/cluster/runtime/docker/container-names.js'
import {fakeEngine, httpError, type FakeEngine} from './fake-engine.js'

const pod = {namespace: 'default', podName: 'web-1', podUid: 'uid-1'}
const NAME = sandboxContainerName(pod)

/** The engine after a restart: the pod's sandbox stopped, with its fixed address. */
function afterRestart(): FakeEngine {
  const engine = fakeEngine()
  engine.containers.push({Id: 'old', name: NAME, Labels: sandboxLabels('dev', pod), State: 'exited', fixed: '10.200.0.7'})
  return engine
}

function deps(engine: FakeEngine, leases: Array<string | undefined> = []): SandboxDeps {
  return {
    docker: engine.docker,
    cluster: 'dev',
    ensurePauseImage: async () => true,
    addresses: {
      lease: async (preferred?: string) => {
        leases.push(preferred)
        return {ip: preferred ?? '10.200.0.50', release: () => undefined}
      },
      forget: () => undefined,
    },
  }
}

describe('a pod sandbox after an engine restart', () => {
  it('is started again where it is, at its address', async () => {
    const engine = afterRestart()
    expect(await ensureSandbox(deps(engine), pod)).toEqual({id: 'old', ip: '10.200.0.7'})
    expect(engine.calls).toEqual([`start ${NAME}`])
  })

  it('is kept when the engine does not answer its start (it is going down), and the failure is thrown for a retry', async () => {
    const engine = afterRestart()
    engine.failStart(NAME, Object.assign(new Error('connect ENOENT /var/run/docker.sock'), {code: 'ENOENT'}))
    await expect(ensureSandbox(deps(engine), pod)).rejects.toMatchObject({name: 'DockerRuntimeError', code: 'SandboxError', message: expect.stringContaining('start the sandbox of pod default/web-1 again: connect ENOENT')})
    expect(engine.containers.map((c) => c.Id)).toEqual(['old'])
  })

  it('is kept when the engine refuses its start for a reason a new sandbox would not cure', async () => {
    const engine = afterRestart()
    engine.failStart(NAME, httpError(500, 'server error - shutting down'))
    await expect(ensureSandbox(deps(engine), pod)).rejects.toThrow('shutting down')
    expect(engine.calls).toEqual([`start ${NAME}`])
  })

  it('is made again at the same address when containerd holds a stale task for it', async () => {
    const engine = afterRestart()
    engine.failStart(NAME, httpError(500, 'server error - task 4310824c9931: already exists'))
    const leases: Array<string | undefined> = []
    const sandbox = await ensureSandbox(deps(engine, leases), pod)
    expect(sandbox.ip).toBe('10.200.0.7')
    expect(leases).toEqual(['10.200.0.7'])
    expect(engine.calls).toEqual([`start ${NAME}`, `remove ${NAME}`, `create ${NAME} at 10.200.0.7`, `start ${NAME}`])
  })

  it('is made anew, not at its old address, when a container kcluster does not know holds that address', async () => {
    const engine = afterRestart()
    engine.failStart(NAME, httpError(500, 'server error - Address already in use'))
    const leases: Array<string | undefined> = []
    expect((await ensureSandbox(deps(engine, leases), pod)).ip).toBe('10.200.0.50')
    expect(leases).toEqual([undefined])
  })

  it('is created past a phantom endpoint of its name, disconnected by force first', async () => {
    const engine = fakeEngine()
    engine.phantoms.add(NAME)
    expect((await ensureSandbox(deps(engine), pod)).ip).toBe('10.200.0.50')
    expect(engine.calls).toEqual([`create ${NAME} at 10.200.0.50`, `disconnect ${NAME} force`, `create ${NAME} at 10.200.0.50`, `start ${NAME}`])
  })
})
