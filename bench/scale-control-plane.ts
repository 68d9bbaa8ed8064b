// Child of bench/scale.ts: one control plane from the TypeScript sources in its own process, so the
// parent's watch parsing neither shares its thread nor counts in its RSS. Prints one JSON line with the
// port and state dir once ready, then runs until SIGTERM (profiles with --cpu-prof are written on exit).
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {startControlPlane} from '../src/cluster/controlplane/control-plane.js'
import {ensureCertificates} from '../src/cluster/pki/certificates.js'
import {ObjectRegistry} from '../src/cluster/apiserver/registry/object-registry.js'

// SCALE_COUNT_WRITES=1: count registry writes by verb, resource, manager and subresource (printed on exit).
const writes = new Map<string, number>()
if (process.env.SCALE_COUNT_WRITES === '1') {
  const proto = ObjectRegistry.prototype as unknown as Record<string, (...args: any[]) => any>
  for (const verb of ['create', 'update', 'delete']) {
    const original = proto[verb]
    proto[verb] = function (this: unknown, ...args: any[]) {
      const opts = (verb === 'create' ? args[3] : verb === 'update' ? args[4] : args[3]) ?? {}
      const id = `${verb} ${args[0].plural}${opts.subresource ? '/' + opts.subresource : ''} by ${opts.manager ?? '-'}`
      writes.set(id, (writes.get(id) ?? 0) + 1)
      return original.apply(this, args)
    }
  }
}

const maxPods = Number(process.env.SCALE_NODE_MAX_PODS ?? 20_000)
const stateDir = mkdtempSync(join(tmpdir(), 'kcluster-scale-'))
const certificates = await ensureCertificates(join(stateDir, 'pki'))
const cp = await startControlPlane({name: 'scale-node', stateDir, port: 0, driver: 'sim', certificates, simStartDelayMs: 50, nodeMaxPods: maxPods, nodeCount: Number(process.env.SCALE_NODES ?? 1), disableControllers: process.env.SCALE_DISABLE ? process.env.SCALE_DISABLE.split(',') : undefined})
process.stdout.write(JSON.stringify({port: cp.port, stateDir}) + '\n')
process.on('SIGTERM', () => {
  if (writes.size > 0) process.stderr.write([...writes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${String(n).padStart(8)} ${k}`).join('\n') + '\n')
  void cp.stop().finally(() => {
    rmSync(stateDir, {recursive: true, force: true})
    process.exit(0)
  })
})
