import type {Container, Pod, Volume} from 'kubernetes-types/core/v1.js'
import {lstat, mkdir, mkdtemp, readdir, readFile, realpath, rm, stat, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {containerConfig, refreshVolumes, removePodVolumes} from '../../../../src/cluster/agent/container-config/container-config.js'
import {b64, FakeRegistry} from './fake-registry.js'

let root: string
let podsDir: string
let n = 0
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'cc-vol-'))
  podsDir = path.join(root, 'pods')
})
afterAll(async () => {
  await rm(root, {recursive: true, force: true})
})

function world() {
  const registry = new FakeRegistry()
  registry.put('ConfigMap', {metadata: {name: 'cfg', namespace: 'ns'}, data: {'app.conf': 'port=80', other: 'o'}, binaryData: {'logo.bin': b64('\u0001\u0002')}})
  registry.put('Secret', {metadata: {name: 'creds', namespace: 'ns'}, data: {password: b64('s3cr3t')}})
  return {registry, deps: {registry, podsDir}}
}

function podWith(volumes: Volume[], container: Container): Pod {
  return {metadata: {name: 'web', namespace: 'ns', uid: `uid-${n++}`, labels: {app: 'web'}}, spec: {containers: [container], volumes}}
}

const read = (p: string) => readFile(p, 'utf8')
const mode = async (p: string) => (await stat(p)).mode & 0o7777

describe('pod volumes on the host', () => {
  it('projects configMap and secret volumes with items, modes and read-only mounts under the kubelet layout', async () => {
    const {deps} = world()
    const container: Container = {name: 'app', volumeMounts: [{name: 'cfg', mountPath: '/etc/cfg'}, {name: 'sec', mountPath: '/etc/sec'}, {name: 'picked', mountPath: '/etc/picked'}]}
    const pod = podWith([
      {name: 'cfg', configMap: {name: 'cfg', defaultMode: 0o644}},
      {name: 'sec', secret: {secretName: 'creds', defaultMode: 0o400}},
      {name: 'picked', configMap: {name: 'cfg', items: [{key: 'app.conf', path: 'conf/app.conf', mode: 0o600}]}},
    ], container)
    const config = await containerConfig(deps, pod, container, undefined)
    const base = path.join(podsDir, pod.metadata!.uid!, 'volumes')
    expect(config.mounts).toEqual([
      {hostPath: path.join(base, 'kubernetes.io~configmap/cfg'), containerPath: '/etc/cfg', readOnly: true},
      {hostPath: path.join(base, 'kubernetes.io~secret/sec'), containerPath: '/etc/sec', readOnly: true},
      {hostPath: path.join(base, 'kubernetes.io~configmap/picked'), containerPath: '/etc/picked', readOnly: true},
    ])
    const [cfg, sec, picked] = config.mounts!.map((m) => m.hostPath)
    expect(await read(path.join(cfg, 'app.conf'))).toBe('port=80')
    expect(await readFile(path.join(cfg, 'logo.bin'))).toEqual(Buffer.from([1, 2]))
    expect(await mode(path.join(cfg, 'other'))).toBe(0o644)
    expect(await read(path.join(sec, 'password'))).toBe('s3cr3t')
    expect(await mode(path.join(sec, 'password'))).toBe(0o400)
    expect(await mode(path.join(podsDir, pod.metadata!.uid!))).toBe(0o700)
    expect((await readdir(picked)).filter((f) => !f.startsWith('..'))).toEqual(['conf'])
    expect(await mode(path.join(picked, 'conf/app.conf'))).toBe(0o600)
  })

  it('fills downwardAPI and projected volumes, later projected sources winning at the same path', async () => {
    const {deps} = world()
    const container: Container = {name: 'app', resources: {limits: {memory: '64Mi'}}, volumeMounts: [{name: 'info', mountPath: '/info'}, {name: 'all', mountPath: '/all'}]}
    const pod = podWith([
      {name: 'info', downwardAPI: {items: [{path: 'labels', fieldRef: {fieldPath: 'metadata.labels'}}, {path: 'mem', resourceFieldRef: {containerName: 'app', resource: 'limits.memory', divisor: '1Mi'}}]}},
      {name: 'all', projected: {sources: [
        {configMap: {name: 'cfg', items: [{key: 'other', path: 'x'}]}},
        {secret: {name: 'creds', items: [{key: 'password', path: 'x'}]}},
        {downwardAPI: {items: [{path: 'name', fieldRef: {fieldPath: 'metadata.name'}}]}},
        {serviceAccountToken: {path: 'token'}},
      ]}},
    ], container)
    const config = await containerConfig(deps, pod, container, undefined)
    const [info, all] = config.mounts!.map((m) => m.hostPath)
    expect(await read(path.join(info, 'labels'))).toBe('app="web"')
    expect(await read(path.join(info, 'mem'))).toBe('64')
    expect(await read(path.join(all, 'x'))).toBe('s3cr3t')
    expect(await read(path.join(all, 'name'))).toBe('web')
  })

  it('makes emptyDirs world-writable dirs that survive another setup, and memory emptyDirs tmpfs with their size limit', async () => {
    const {deps} = world()
    const container: Container = {name: 'app', volumeMounts: [{name: 'scratch', mountPath: '/scratch'}, {name: 'mem', mountPath: '/mem', readOnly: true}]}
    const pod = podWith([{name: 'scratch', emptyDir: {}}, {name: 'mem', emptyDir: {medium: 'Memory', sizeLimit: '64Mi'}}], container)
    const config = await containerConfig(deps, pod, container, undefined)
    expect(config.tmpfs).toEqual([{containerPath: '/mem', sizeBytes: 64 << 20}])
    const scratch = config.mounts![0]
    expect(scratch).toMatchObject({containerPath: '/scratch', readOnly: false})
    expect(await mode(scratch.hostPath)).toBe(0o777)
    await writeFile(path.join(scratch.hostPath, 'kept'), 'yes')
    await containerConfig(deps, pod, container, undefined)
    expect(await read(path.join(scratch.hostPath, 'kept'))).toBe('yes')
  })

  it('checks and creates hostPath volumes by type', async () => {
    const {deps} = world()
    const made = path.join(root, `host-${n}`, 'made')
    const file = path.join(root, `host-${n}`, 'file.txt')
    const container: Container = {name: 'app', volumeMounts: [{name: 'd', mountPath: '/d'}, {name: 'f', mountPath: '/f', readOnly: true}]}
    const pod = podWith([{name: 'd', hostPath: {path: made, type: 'DirectoryOrCreate'}}, {name: 'f', hostPath: {path: file, type: 'FileOrCreate'}}], container)
    const config = await containerConfig(deps, pod, container, undefined)
    expect(config.mounts).toEqual([{hostPath: made, containerPath: '/d', readOnly: false}, {hostPath: file, containerPath: '/f', readOnly: true}])
    expect((await stat(made)).isDirectory()).toBe(true)
    expect((await stat(file)).isFile()).toBe(true)
    const wrong = podWith([{name: 'd', hostPath: {path: file, type: 'Directory'}}], {name: 'app'})
    await expect(containerConfig(deps, wrong, {name: 'app'}, undefined)).rejects.toMatchObject({
      reason: 'FailedMount',
      waitingReason: 'ContainerCreating',
      message: `MountVolume.SetUp failed for volume "d" : hostPath type check failed: ${file} is not a directory`,
    })
  })

  it('mounts subPaths (created when missing) and subPathExpr expanded from the env, never outside the volume', async () => {
    const {deps} = world()
    const container: Container = {
      name: 'app',
      env: [{name: 'POD', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}}],
      volumeMounts: [{name: 'data', mountPath: '/logs', subPathExpr: 'logs/$(POD)'}, {name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf'}],
    }
    const pod = podWith([{name: 'data', emptyDir: {}}, {name: 'cfg', configMap: {name: 'cfg'}}], container)
    const config = await containerConfig(deps, pod, container, undefined)
    const volumes = path.join(await realpath(podsDir), pod.metadata!.uid!, 'volumes')
    expect(config.mounts![0]).toEqual({hostPath: path.join(volumes, 'kubernetes.io~empty-dir/data/logs/web'), containerPath: '/logs', readOnly: false})
    expect((await stat(config.mounts![0].hostPath)).isDirectory()).toBe(true)
    // A file of a projected volume resolves into the current payload dir, as the kubelet's subpath bind does.
    expect(config.mounts![1].hostPath).toMatch(/kubernetes\.io~configmap\/cfg\/\.\.\d{4}_[^/]+\/app\.conf$/)
    expect(config.mounts![1].readOnly).toBe(true)

    const escaping = path.join(root, `escape-${n}`)
    await mkdir(escaping, {recursive: true})
    const hostVol = path.join(root, `hv-${n}`)
    await mkdir(hostVol, {recursive: true})
    await symlink(escaping, path.join(hostVol, 'out'))
    const bad = (volumeMounts: Container['volumeMounts']) => {
      const c: Container = {name: 'app', volumeMounts}
      return containerConfig(deps, podWith([{name: 'h', hostPath: {path: hostVol}}], c), c, undefined)
    }
    await expect(bad([{name: 'h', mountPath: '/x', subPath: '/abs'}])).rejects.toMatchObject({reason: 'CreateContainerConfigError', message: 'error SubPath `/abs` must not be an absolute path'})
    await expect(bad([{name: 'h', mountPath: '/x', subPath: 'a/../..'}])).rejects.toMatchObject({message: "unable to provision SubPath `a/../..`: must not contain '..'"})
    await expect(bad([{name: 'h', mountPath: '/x', subPath: 'out'}])).rejects.toMatchObject({message: expect.stringContaining('not within volume path')})
    await expect(bad([{name: 'h', mountPath: '/x', subPathExpr: '$(NOPE)'}])).rejects.toMatchObject({message: 'missing value for NOPE'})
    await expect(bad([{name: 'other', mountPath: '/x'}])).rejects.toMatchObject({message: 'cannot find volume "other" to mount into container "app"'})
  })

  it('fails volume setup with FailedMount for a missing required source, and mounts an empty volume for an optional one', async () => {
    const {deps} = world()
    const c: Container = {name: 'app'}
    await expect(containerConfig(deps, podWith([{name: 'v', configMap: {name: 'absent'}}], c), c, undefined)).rejects.toMatchObject({
      reason: 'FailedMount', message: 'MountVolume.SetUp failed for volume "v" : configmap "absent" not found',
    })
    await expect(containerConfig(deps, podWith([{name: 'v', secret: {secretName: 'creds', items: [{key: 'nope', path: 'p'}]}}], c), c, undefined)).rejects.toMatchObject({
      message: 'MountVolume.SetUp failed for volume "v" : references non-existent secret key: nope',
    })
    await expect(containerConfig(deps, podWith([{name: 'v', persistentVolumeClaim: {claimName: 'x'}}], c), c, undefined)).rejects.toMatchObject({reason: 'FailedMount'})
    const mounted: Container = {name: 'app', volumeMounts: [{name: 'v', mountPath: '/v'}]}
    const config = await containerConfig(deps, podWith([{name: 'v', configMap: {name: 'absent', optional: true}}], mounted), mounted, undefined)
    expect((await readdir(config.mounts![0].hostPath)).filter((f) => !f.startsWith('..'))).toEqual([])
  })

  it('refreshes projected volumes when their sources change, keeps files when a source vanishes, and removes the pod dir', async () => {
    const {registry, deps} = world()
    const container: Container = {name: 'app', volumeMounts: [{name: 'cfg', mountPath: '/cfg'}, {name: 'info', mountPath: '/info'}]}
    const pod = podWith([{name: 'cfg', configMap: {name: 'cfg'}}, {name: 'info', downwardAPI: {items: [{path: 'app', fieldRef: {fieldPath: "metadata.labels['app']"}}]}}, {name: 'tmp', emptyDir: {}}], container)
    const config = await containerConfig(deps, pod, container, undefined)
    const [cfg, info] = config.mounts!.map((m) => m.hostPath)
    expect(await refreshVolumes(deps, pod)).toBe(false)
    registry.put('ConfigMap', {metadata: {name: 'cfg', namespace: 'ns'}, data: {'app.conf': 'port=8080'}})
    pod.metadata!.labels = {app: 'api'}
    expect(await refreshVolumes(deps, pod)).toBe(true)
    expect(await read(path.join(cfg, 'app.conf'))).toBe('port=8080')
    await expect(lstat(path.join(cfg, 'other'))).rejects.toMatchObject({code: 'ENOENT'})
    expect(await read(path.join(info, 'app'))).toBe('api')
    registry.delete('ConfigMap', 'ns', 'cfg')
    expect(await refreshVolumes(deps, pod)).toBe(false)
    expect(await read(path.join(cfg, 'app.conf'))).toBe('port=8080')
    await removePodVolumes(deps, pod.metadata!.uid!)
    await expect(lstat(path.join(podsDir, pod.metadata!.uid!))).rejects.toMatchObject({code: 'ENOENT'})
    await expect(removePodVolumes(deps, '../escape')).rejects.toThrow('invalid pod uid')
  })
})
