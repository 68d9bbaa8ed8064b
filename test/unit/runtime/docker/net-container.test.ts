import {describe, expect, it} from 'vitest'
import {ensureNetContainer, parseLdd} from '../../../../src/cluster/runtime/docker/net-container.js'
import {fakeEngine, httpError, NETWORK, type FakeEngine} from './fake-engine.js'

describe('the libraries kcluster-net mounts for node', () => {
  it('takes the resolved paths and the loader from ldd output, once each', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0d)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0e)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0f)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f10)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0f)',
    ].join('\n')
    expect(parseLdd(output)).toEqual(['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'])
  })
})

describe('kcluster-net after an engine restart', () => {
  const options = (engine: FakeEngine) => ({docker: engine.docker, cluster: 'dev', network: NETWORK, ip: '10.200.127.254', token: 't'.repeat(32), ensurePauseImage: async () => true})

  /** kcluster-net as the first start made it, then stopped by the engine's restart. */
  async function stoppedNet(): Promise<FakeEngine> {
    const engine = fakeEngine()
    await ensureNetContainer(options(engine))
    engine.containers[0]!.State = 'exited'
    engine.calls.length = 0
    return engine
  }

  it('is started again when its configuration is unchanged', async () => {
    const engine = await stoppedNet()
    const id = engine.containers[0]!.Id
    expect(await ensureNetContainer(options(engine))).toMatchObject({id, ip: '10.200.127.254'})
    expect(engine.calls).toEqual(['start kcluster-net-dev'])
  })

  it('is made again when the engine refuses its start for good (a stale containerd task)', async () => {
    const engine = await stoppedNet()
    const old = engine.containers[0]!.Id
    engine.failStart('kcluster-net-dev', httpError(500, 'server error - task 4310824c9931: already exists'))
    const net = await ensureNetContainer(options(engine))
    expect(net.id).not.toBe(old)
    expect(net.ip).toBe('10.200.127.254')
    expect(engine.calls).toEqual(['start kcluster-net-dev', 'remove kcluster-net-dev', 'create kcluster-net-dev at 10.200.127.254', 'start kcluster-net-dev'])
  })

  it('is left as it is while the engine does not answer, the failure thrown for the next attempt', async () => {
    const engine = await stoppedNet()
    engine.failStart('kcluster-net-dev', Object.assign(new Error('connect ECONNREFUSED /var/run/docker.sock'), {code: 'ECONNREFUSED'}))
    await expect(ensureNetContainer(options(engine))).rejects.toThrow('ECONNREFUSED')
    expect(engine.calls).toEqual(['start kcluster-net-dev'])
  })
})
