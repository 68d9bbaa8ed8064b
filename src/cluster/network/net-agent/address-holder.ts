// Holds the ClusterIPs on kcluster-net's interface so packets to them reach it by plain L2 on the bridge.
// The kernel work is done by the static kcluster-addr helper (assets/net/addr.c), which is idempotent:
// adding a held address or removing an absent one succeeds. New addresses are added before old ones are
// removed, so an address that moves between Services is never missing; what could not be added or
// removed is reported and tried again on the next sync (level-based: the report is what is wrong now).
import {execFile} from 'node:child_process'
import {isIPv4} from 'node:net'

export interface AddressFailure {
  key: string
  message: string
}

export interface AddressHolder {
  /** Holds exactly `addresses` (as far as the kernel lets it) and returns what it could not do. */
  sync(addresses: readonly string[]): Promise<AddressFailure[]>
}

export interface CommandResult {
  /** The exit code, or -1 when the command could not be started or was killed. */
  code: number
  stderr: string
}

/** Runs argv[0] with the rest as arguments (no shell: the container has none). */
export type CommandRunner = (argv: readonly string[]) => Promise<CommandResult>

export interface CommandAddressHolderOptions {
  /** The kcluster-addr binary; default `/kcluster-addr`, where kcluster-net's container mounts it. */
  command?: string
  /** Default `eth0`, the container's interface on the cluster network. */
  interfaceName?: string
  run?: CommandRunner
}

/** The failure key of one address in a NetReport. */
export function addressKey(ip: string): string {
  return `address/${ip}`
}

// A helper that hangs (it should not: one netlink round trip) must not stall every later state.
const COMMAND_TIMEOUT_MS = 10_000

export const runCommand: CommandRunner = (argv) =>
  new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), {timeout: COMMAND_TIMEOUT_MS, encoding: 'utf8'}, (error, _stdout, stderr) => {
      if (!error) return resolve({code: 0, stderr})
      const code = typeof error.code === 'number' ? error.code : -1
      resolve({code, stderr: stderr || error.message})
    })
  })

export class CommandAddressHolder implements AddressHolder {
  private readonly held = new Set<string>()
  private readonly command: string
  private readonly interfaceName: string
  private readonly run: CommandRunner
  private queue: Promise<unknown> = Promise.resolve()

  constructor(options: CommandAddressHolderOptions = {}) {
    this.command = options.command ?? '/kcluster-addr'
    this.interfaceName = options.interfaceName ?? 'eth0'
    this.run = options.run ?? runCommand
  }

  /** The addresses the kernel accepted and that have not been removed since. */
  holding(): string[] {
    return [...this.held]
  }

  sync(addresses: readonly string[]): Promise<AddressFailure[]> {
    const run = this.queue.then(() => this.apply(addresses))
    this.queue = run.catch(() => {})
    return run
  }

  private async apply(addresses: readonly string[]): Promise<AddressFailure[]> {
    const failures: AddressFailure[] = []
    const wanted = new Set<string>()
    for (const ip of addresses) {
      // kcluster-addr speaks IPv4 only, as the cluster network is IPv4 only; say so rather than ask it.
      if (isIPv4(ip)) wanted.add(ip)
      else failures.push({key: addressKey(ip), message: `hold ${JSON.stringify(ip)}: not an IPv4 address`})
    }
    for (const ip of wanted) {
      if (this.held.has(ip)) continue
      const problem = await this.change('add', ip)
      if (problem) failures.push({key: addressKey(ip), message: problem})
      else this.held.add(ip)
    }
    for (const ip of [...this.held]) {
      if (wanted.has(ip)) continue
      const problem = await this.change('del', ip)
      // Still held as far as we know: the next sync tries again.
      if (problem) failures.push({key: addressKey(ip), message: problem})
      else this.held.delete(ip)
    }
    return failures
  }

  /** Undefined on success, else why the kernel (or the helper) refused. */
  private async change(verb: 'add' | 'del', ip: string): Promise<string | undefined> {
    const argv = [this.command, verb, ip, this.interfaceName]
    let result: CommandResult
    try {
      result = await this.run(argv)
    } catch (error) {
      result = {code: -1, stderr: error instanceof Error ? error.message : String(error)}
    }
    if (result.code === 0) return undefined
    const reason = result.stderr.trim().split('\n').slice(-1)[0] || `exit code ${result.code}`
    return `${verb === 'add' ? 'add' : 'remove'} ${ip} on ${this.interfaceName}: ${reason}`
  }
}

/** Holds nothing and never fails: for tests, where every 127.0.0.0/8 address already answers. */
export class NoopAddressHolder implements AddressHolder {
  /** The addresses of the last sync, so a test can see what would be held. */
  last: string[] = []

  async sync(addresses: readonly string[]): Promise<AddressFailure[]> {
    this.last = [...addresses]
    return []
  }
}
