// A Pod's container spec turned into a running Docker container: env from literals, ConfigMaps, Secrets
// and the downward API; configMap, secret, downwardAPI, emptyDir (disk and memory) and subPath mounts;
// runAsUser; and a ConfigMap update projected into the running container by refreshVolumes. Needs the
// local image kcluster-test/busybox:1 (scripts/docker-up.sh); never pulls. Skipped without an engine,
// except under CI=true where a missing engine fails.
import {randomBytes, randomUUID} from 'node:crypto'
import {mkdtemp, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import Docker from 'dockerode'
import type {Container, Pod} from 'kubernetes-types/core/v1.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {containerConfig, refreshVolumes, removePodVolumes} from '../../src/cluster/agent/container-config/container-config.js'
import {systemClock} from '../../src/cluster/clock.js'
import {removeEverything} from '../../src/cluster/runtime/docker/cluster-lifecycle.js'
import {DockerRuntime} from '../../src/cluster/runtime/docker/docker-runtime.js'
import {engine, itFindsDockerUnderCI} from '../support/docker-engine.js'
import type {RuntimeContainer} from '../../src/cluster/runtime/runtime.js'
import {b64, FakeRegistry} from '../unit/agent/container-config/fake-registry.js'

const IMAGE = 'kcluster-test/busybox:1'
const cluster = `cc-${randomBytes(3).toString('hex')}`

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

itFindsDockerUnderCI()

describe.skipIf(!engine.ok)('container config on the real engine', () => {
  const docker = new Docker()
  const runtime = new DockerRuntime({cluster, clock: systemClock, docker})
  const registry = new FakeRegistry()
  let podsDir: string
  let deps: {registry: FakeRegistry; podsDir: string}
  const podUid = randomUUID()

  // Prints what it sees, then waits (bounded) for the ConfigMap update to show up in the mounted file.
  const script = [
    'echo "user=$(id -u)"',
    // The environment as the runtime set it: sh drops names like CFG_app.conf from what it passes on.
    'tr "\\0" "\\n" < /proc/1/environ | grep -E "^(GREETING|MODE|DB_PASSWORD|POD_NAME|MEM_MI|CFG_.*)=" | sort',
    'echo "conf=$(cat /etc/cfg/app.conf)"',
    'echo "single=$(cat /etc/app.conf)"',
    'echo "secret=$(cat /etc/sec/password)"',
    'echo "labels=$(cat /info/labels)"',
    'touch /etc/cfg/x 2>/dev/null && echo cfg=writable || echo cfg=readonly',
    'echo scratch > /scratch/f && echo "scratch=$(cat /scratch/f)"',
    'grep -q " /mem tmpfs" /proc/mounts && echo mem=tmpfs',
    'echo "args=$0 $1"',
    'echo READY',
    'for i in $(seq 1 200); do if grep -q 8080 /etc/cfg/app.conf; then echo "updated=$(cat /etc/cfg/app.conf) single=$(cat /etc/app.conf)"; exit 0; fi; sleep 0.1; done',
    'exit 1',
  ].join('\n')

  const container: Container = {
    name: 'app',
    image: IMAGE,
    imagePullPolicy: 'Never',
    command: ['sh', '-c', script],
    args: ['$(POD_NAME)', '$$(POD_NAME)'],
    resources: {limits: {memory: '64Mi', cpu: '500m'}},
    securityContext: {runAsUser: 1000, runAsGroup: 1000},
    envFrom: [{configMapRef: {name: 'settings'}, prefix: 'CFG_'}],
    env: [
      {name: 'MODE', valueFrom: {configMapKeyRef: {name: 'settings', key: 'mode'}}},
      {name: 'DB_PASSWORD', valueFrom: {secretKeyRef: {name: 'db', key: 'password'}}},
      {name: 'POD_NAME', valueFrom: {fieldRef: {fieldPath: 'metadata.name'}}},
      {name: 'MEM_MI', valueFrom: {resourceFieldRef: {resource: 'limits.memory', divisor: '1Mi'}}},
      {name: 'GREETING', value: 'hello $(POD_NAME) in $(MODE)'},
    ],
    volumeMounts: [
      {name: 'cfg', mountPath: '/etc/cfg'},
      {name: 'cfg', mountPath: '/etc/app.conf', subPath: 'app.conf'},
      {name: 'sec', mountPath: '/etc/sec'},
      {name: 'info', mountPath: '/info'},
      {name: 'scratch', mountPath: '/scratch'},
      {name: 'mem', mountPath: '/mem'},
    ],
  }
  const pod: Pod = {
    metadata: {name: 'cfg-pod', namespace: 'default', uid: podUid, labels: {app: 'cfg'}},
    spec: {
      containers: [container],
      volumes: [
        {name: 'cfg', configMap: {name: 'settings'}},
        {name: 'sec', secret: {secretName: 'db', defaultMode: 0o444}},
        {name: 'info', downwardAPI: {items: [{path: 'labels', fieldRef: {fieldPath: 'metadata.labels'}}]}},
        {name: 'scratch', emptyDir: {}},
        {name: 'mem', emptyDir: {medium: 'Memory', sizeLimit: '8Mi'}},
      ],
    },
  }
  let started: RuntimeContainer

  beforeAll(async () => {
    await docker.getImage(IMAGE).inspect() // fails clearly when scripts/docker-up.sh was not run
    podsDir = await mkdtemp(path.join(tmpdir(), 'kcluster-cc-it-'))
    deps = {registry, podsDir}
    registry.put('ConfigMap', {metadata: {name: 'settings', namespace: 'default'}, data: {mode: 'fast', 'app.conf': 'port=80'}})
    registry.put('Secret', {metadata: {name: 'db', namespace: 'default'}, data: {password: b64('s3cr3t')}})
    const config = await containerConfig(deps, pod, container, undefined)
    started = await runtime.start({namespace: 'default', podName: 'cfg-pod', podUid, containerName: 'app', image: IMAGE, restartCount: 0, ...config})
  })

  afterAll(async () => {
    await removeEverything(cluster, {docker})
    if (podsDir) {
      await removePodVolumes(deps, podUid)
      await rm(podsDir, {recursive: true, force: true})
    }
  })

  it('runs the container with the env, files, user, limits and expanded args from the pod spec', async () => {
    expect(started.state.state).toBe('running')
    const logs = await waitFor('the container to print READY', async () => {
      const text = await runtime.logs(started.id)
      return text.includes('READY') ? text : undefined
    })
    expect(logs.split('\n').slice(0, 16)).toEqual([
      'user=1000',
      'CFG_app.conf=port=80',
      'CFG_mode=fast',
      'DB_PASSWORD=s3cr3t',
      'GREETING=hello cfg-pod in fast',
      'MEM_MI=64',
      'MODE=fast',
      'POD_NAME=cfg-pod',
      'conf=port=80',
      'single=port=80',
      'secret=s3cr3t',
      'labels=app="cfg"',
      'cfg=readonly',
      'scratch=scratch',
      'mem=tmpfs',
      'args=cfg-pod $(POD_NAME)',
    ])
    const info = await docker.getContainer(started.id).inspect()
    expect(info.HostConfig.Memory).toBe(64 << 20)
    expect(info.HostConfig.NanoCpus).toBe(500_000_000)
  })

  it('shows a ConfigMap update in the running container after refreshVolumes, but not through the subPath mount', async () => {
    registry.put('ConfigMap', {metadata: {name: 'settings', namespace: 'default'}, data: {mode: 'fast', 'app.conf': 'port=8080'}})
    expect(await refreshVolumes(deps, pod)).toBe(true)
    const done = await waitFor('the container to exit', async () => {
      const found = (await runtime.list({podUid})).find((c) => c.id === started.id)
      return found?.state.state === 'exited' ? found : undefined
    })
    expect(done.state).toMatchObject({exitCode: 0})
    // As in Kubernetes, a subPath mount keeps the file it was started with.
    expect(await runtime.logs(started.id)).toContain('updated=port=8080 single=port=80\n')
  })
})
