// Turning `--driver auto|docker|sim` into the runtime a cluster uses, from the runtime registry.
// `auto` prefers Docker when an engine answers and the driver is built; otherwise it falls back to
// the simulated runtime and says why in one line.
import {DRIVERS, type DriverEntry, type DriverName} from '../runtime/registry.js'
import {ClusterError} from './cluster-error.js'

export type DriverRequest = 'auto' | DriverName

export interface ResolvedDriver {
  driver: DriverName
  /** One line for the user when `auto` did not pick the first choice. */
  notice?: string
}

export async function resolveDriver(request: DriverRequest, drivers: readonly DriverEntry[] = DRIVERS): Promise<ResolvedDriver> {
  if (request !== 'auto') return resolveExplicit(request, drivers)

  const skipped: string[] = []
  for (const entry of drivers) {
    if (entry.implemented && !entry.auto) {
      skipped.push(entry.autoNote ?? `the ${entry.name} driver is only used when asked for`)
      continue
    }
    const detected = await entry.detect()
    if (detected.ok && entry.implemented) {
      return skipped.length === 0 ? {driver: entry.name} : {driver: entry.name, notice: `${skipped.join('; ')}; using ${entry.name}: ${entry.description}`}
    }
    skipped.push(detected.ok
      ? `a ${entry.name} engine answers but the ${entry.name} driver is not implemented yet`
      : `no ${entry.name} engine answered: ${detected.reason}`)
  }
  throw new ClusterError('DriverUnavailable', 'no driver can run here', {why: skipped.join('; '), fix: 'see kcluster start --help for the drivers'})
}

async function resolveExplicit(name: DriverName, drivers: readonly DriverEntry[]): Promise<ResolvedDriver> {
  const entry = drivers.find((d) => d.name === name)
  if (!entry) {
    throw new ClusterError('InvalidInput', `unknown driver "${name}"`, {fix: `use one of: auto, ${drivers.map((d) => d.name).join(', ')}`})
  }
  if (!entry.implemented) {
    throw new ClusterError('DriverUnavailable', `the ${name} driver is not available yet`, {
      why: `kcluster cannot run pods with ${name} in this version; only ${drivers.filter((d) => d.implemented).map((d) => d.name).join(', ')} is implemented`,
      fix: 'use --driver sim (simulated pods), or --driver auto to pick what works here',
    })
  }
  const detected = await entry.detect()
  if (!detected.ok) {
    throw new ClusterError('DriverUnavailable', `the ${name} driver cannot run here`, {
      why: detected.reason,
      fix: detected.fix ? `${detected.fix}, or use --driver sim` : 'use --driver auto',
    })
  }
  return {driver: name}
}
