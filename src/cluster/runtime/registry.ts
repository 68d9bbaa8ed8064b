// The table of container runtimes (`--driver`). Registered explicitly here, never by import side effects.
import {dockerEngineAnswers} from './docker/engine.js'

export type DriverName = 'docker' | 'sim'

export interface DriverEntry {
  name: DriverName
  description: string
  /** False until the runtime is built; `--driver auto` skips it and `--driver X` explains. */
  implemented: boolean
  /** Whether `--driver auto` may pick it; a driver still being completed must be asked for by name. */
  auto: boolean
  /** Why auto skips it, when it does. */
  autoNote?: string
  detect(): Promise<{ok: true} | {ok: false; reason: string; fix?: string}>
}

export const DRIVERS: readonly DriverEntry[] = [
  {
    name: 'docker',
    description: 'pods are real containers on the host Docker engine',
    implemented: true,
    auto: true,
    detect: () => dockerEngineAnswers(),
  },
  {name: 'sim', description: 'simulated pods, no containers', implemented: true, auto: true, detect: async () => ({ok: true})},
]

export function driverEntry(name: DriverName): DriverEntry {
  const entry = DRIVERS.find((d) => d.name === name)
  if (!entry) throw new Error(`unknown driver ${name}`)
  return entry
}
