import {describe, expect, it} from 'vitest'
import {CommandAddressHolder, runCommand, type CommandResult} from '../../../../src/cluster/network/net-agent/address-holder.js'

// Records every argv and answers from `refuse` (by "verb ip") or with success.
function fakeRunner(refuse: Record<string, CommandResult> = {}) {
  const calls: string[][] = []
  const run = async (argv: readonly string[]): Promise<CommandResult> => {
    calls.push([...argv])
    return refuse[`${argv[1]} ${argv[2]}`] ?? {code: 0, stderr: ''}
  }
  return {calls, run, refuse}
}

describe('CommandAddressHolder', () => {
  it('runs kcluster-addr add for each new address with the configured path and interface', async () => {
    const fake = fakeRunner()
    const holder = new CommandAddressHolder({command: '/opt/kcluster-addr', interfaceName: 'br9', run: fake.run})
    expect(await holder.sync(['10.200.128.10', '10.200.128.23'])).toEqual([])
    expect(fake.calls).toEqual([
      ['/opt/kcluster-addr', 'add', '10.200.128.10', 'br9'],
      ['/opt/kcluster-addr', 'add', '10.200.128.23', 'br9'],
    ])
    expect(holder.holding()).toEqual(['10.200.128.10', '10.200.128.23'])
  })

  it('defaults to /kcluster-addr on eth0', async () => {
    const fake = fakeRunner()
    await new CommandAddressHolder({run: fake.run}).sync(['10.200.128.10'])
    expect(fake.calls).toEqual([['/kcluster-addr', 'add', '10.200.128.10', 'eth0']])
  })

  it('adds new addresses before removing old ones and leaves held ones alone', async () => {
    const fake = fakeRunner()
    const holder = new CommandAddressHolder({run: fake.run})
    await holder.sync(['10.0.0.1', '10.0.0.2'])
    fake.calls.length = 0
    await holder.sync(['10.0.0.2', '10.0.0.3'])
    expect(fake.calls.map((argv) => argv.slice(1, 3))).toEqual([['add', '10.0.0.3'], ['del', '10.0.0.1']])
    fake.calls.length = 0
    await holder.sync(['10.0.0.2', '10.0.0.3'])
    expect(fake.calls).toEqual([])
  })

  it('reports an address the kernel refused with the helper\'s reason and tries it again on the next sync', async () => {
    const fake = fakeRunner({'add 10.0.0.9': {code: 1, stderr: 'kcluster-addr: add 10.0.0.9: Operation not permitted\n'}})
    const holder = new CommandAddressHolder({run: fake.run})
    expect(await holder.sync(['10.0.0.9', '10.0.0.1'])).toEqual([
      {key: 'address/10.0.0.9', message: 'add 10.0.0.9 on eth0: kcluster-addr: add 10.0.0.9: Operation not permitted'},
    ])
    expect(holder.holding()).toEqual(['10.0.0.1'])
    delete fake.refuse['add 10.0.0.9']
    fake.calls.length = 0
    expect(await holder.sync(['10.0.0.9', '10.0.0.1'])).toEqual([])
    expect(fake.calls).toEqual([['/kcluster-addr', 'add', '10.0.0.9', 'eth0']])
  })

  it('keeps an address whose removal failed and removes it on a later sync', async () => {
    const fake = fakeRunner()
    const holder = new CommandAddressHolder({run: fake.run})
    await holder.sync(['10.0.0.1'])
    fake.refuse['del 10.0.0.1'] = {code: 1, stderr: ''}
    expect(await holder.sync([])).toEqual([{key: 'address/10.0.0.1', message: 'remove 10.0.0.1 on eth0: exit code 1'}])
    expect(holder.holding()).toEqual(['10.0.0.1'])
    delete fake.refuse['del 10.0.0.1']
    expect(await holder.sync([])).toEqual([])
    expect(holder.holding()).toEqual([])
  })

  it('reports addresses that are not IPv4 without running the helper', async () => {
    const fake = fakeRunner()
    const failures = await new CommandAddressHolder({run: fake.run}).sync(['fd00::1', '--help'])
    expect(failures.map((f) => f.key)).toEqual(['address/fd00::1', 'address/--help'])
    expect(fake.calls).toEqual([])
  })

  it('turns a runner that throws into a failure', async () => {
    const holder = new CommandAddressHolder({run: async () => Promise.reject(new Error('spawn /kcluster-addr ENOENT'))})
    expect(await holder.sync(['10.0.0.1'])).toEqual([{key: 'address/10.0.0.1', message: 'add 10.0.0.1 on eth0: spawn /kcluster-addr ENOENT'}])
  })

  it('runs syncs one at a time in call order', async () => {
    const fake = fakeRunner()
    const holder = new CommandAddressHolder({run: fake.run})
    await Promise.all([holder.sync(['10.0.0.1']), holder.sync(['10.0.0.2'])])
    expect(fake.calls.map((argv) => argv.slice(1, 3))).toEqual([['add', '10.0.0.1'], ['add', '10.0.0.2'], ['del', '10.0.0.1']])
    expect(holder.holding()).toEqual(['10.0.0.2'])
  })
})

describe('runCommand', () => {
  it('gives the exit code and standard error of a real process', async () => {
    expect(await runCommand(['/bin/sh', '-c', 'exit 0'])).toEqual({code: 0, stderr: ''})
    expect(await runCommand(['/bin/sh', '-c', 'echo refused >&2; exit 1'])).toEqual({code: 1, stderr: 'refused\n'})
  })

  it('gives -1 for a command that does not exist', async () => {
    const result = await runCommand(['/nonexistent/kcluster-addr', 'add', '10.0.0.1', 'eth0'])
    expect(result.code).toBe(-1)
    expect(result.stderr).toMatch(/ENOENT/)
  })
})
