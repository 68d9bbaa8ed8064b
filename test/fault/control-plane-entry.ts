// Child process of the fault tests: one control plane on the simulated runtime from the TypeScript
// sources, on the state dir it is given (FAULT_STATE_DIR), so a second start after `kill -9` reopens
// the same store. Prints one marker line with its port once serving, then runs until SIGTERM.
// Logs stay silent unless FAULT_LOG_LEVEL is set (they would share stdout with the marker lines).
import {join} from 'node:path'
import {startControlPlane} from '../../src/cluster/controlplane/control-plane.js'
import {ensureCertificates} from '../../src/cluster/pki/certificates.js'
import {MEMORY_MARKER, READY_MARKER} from './child-cluster.js'

const env = (name: string): number | undefined => (process.env[name] ? Number(process.env[name]) : undefined)

const stateDir = process.env.FAULT_STATE_DIR
if (!stateDir) throw new Error('FAULT_STATE_DIR is required')
const certificates = await ensureCertificates(join(stateDir, 'pki'))
const cp = await startControlPlane({
  name: 'fault-node',
  stateDir,
  port: 0,
  driver: 'sim',
  certificates,
  simStartDelayMs: 20,
  nodeMaxPods: env('FAULT_NODE_MAX_PODS') ?? 5_000,
  bookmarkIntervalMs: env('FAULT_BOOKMARK_MS') ?? 1_000,
  compactKeepRevisions: env('FAULT_COMPACT_KEEP'),
  compactIntervalMs: env('FAULT_COMPACT_INTERVAL_MS'),
})
process.stdout.write(`${READY_MARKER}${JSON.stringify({port: cp.port, pid: process.pid})}\n`)
// SIGUSR2: report the heap beside the RSS the parent reads from /proc, to tell live objects from
// memory the allocator has not handed back.
process.on('SIGUSR2', () => process.stdout.write(`${MEMORY_MARKER}${JSON.stringify(process.memoryUsage())}\n`))
process.once('SIGTERM', () => {
  void cp.stop().finally(() => process.exit(0))
})
