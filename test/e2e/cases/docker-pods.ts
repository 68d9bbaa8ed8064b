// Issue 4 on `--driver docker`, with the real kubectl: pods are containers on the host's engine
// (a sandbox plus one container per app container, labelled), they answer HTTP on their pod IPs,
// logs/exec/port-forward/cp work over WebSocket (kubectl 1.32) and SPDY (1.29), crashes loop with a
// growing back-off, and stop/kill -9/delete leave exactly the containers they should.
import {execa} from 'execa'
import {mkdtempSync, readFileSync, realpathSync, writeFileSync} from 'node:fs'
import {request} from 'node:http'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {randomUUID} from 'node:crypto'
import {expect, it} from 'vitest'
import {systemClock} from '../../../src/cluster/clock.js'
import {DockerRuntime} from '../../../src/cluster/runtime/docker/docker-runtime.js'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml} from '../workloads.js'

const IMAGE = 'kcluster-test/busybox:1'

/** kubectl 1.29 sits beside the binary the `kubectl` dispatcher on PATH resolves to. */
async function kubectl129(): Promise<string> {
  const {stdout} = await execa('sh', ['-c', 'command -v kubectl'])
  return join(dirname(realpathSync(stdout.trim())), 'kubectl.1.29')
}

async function docker(args: string[]): Promise<string> {
  return (await execa('docker', args)).stdout
}

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, {timeout: 3000}, (res) => {
      let body = ''
      res.on('data', (c) => (body += c))
      res.on('end', () => resolve(body))
    })
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: timed out`)))
    req.on('error', reject)
    req.end()
  })
}

const WEB = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: httpd
        image: ${IMAGE}
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /www && echo hello from $(hostname) > /www/index.html && echo serving && exec httpd -f -v -p 8080 -h /www']
`

const labelled = (k: E2ECluster) => `label=kcluster.io/cluster=${k.name}`

async function webPods(k: E2ECluster): Promise<Array<{name: string; ip: string}>> {
  const list = JSON.parse(await k.kubectlOk(['get', 'pods', '-l', 'app=web', '-o', 'json']))
  return list.items.filter((p: any) => !p.metadata.deletionTimestamp).map((p: any) => ({name: p.metadata.name, ip: p.status.podIP}))
}

export function dockerPodCases(cluster: () => E2ECluster): void {
  it('runs a 3-replica httpd Deployment as labelled containers whose pod IPs answer HTTP from the host', async () => {
    const k = cluster()
    await applyYaml(k, WEB)
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=60s'])
    await k.kubectlOk(['wait', '--for=condition=Available', 'deployment/web', '--timeout=30s'])
    const pods = await webPods(k)
    expect(pods).toHaveLength(3)
    const names = (await docker(['ps', '--filter', labelled(k), '--filter', 'label=kcluster.io/pod-name', '--format', '{{.Label "kcluster.io/pod-name"}} {{.Label "kcluster.io/role"}}'])).split('\n').filter((l) => l.startsWith('web-'))
    // One sandbox and one app container per pod, nothing else.
    expect(names.sort()).toEqual(pods.flatMap((p) => [`${p.name} app`, `${p.name} sandbox`]).sort())
    for (const p of pods) expect(await httpGet(`http://${p.ip}:8080/`)).toBe(`hello from ${p.name}\n`)
  })

  it('kubectl exec runs commands and propagates exit codes over WebSocket (1.32) and SPDY (1.29); logs show the output', async () => {
    const k = cluster()
    const [pod] = await webPods(k)
    expect((await k.kubectlOk(['exec', pod!.name, '--', 'cat', '/www/index.html'])).trim()).toBe(`hello from ${pod!.name}`)
    const failed = await k.kubectl(['exec', pod!.name, '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'])
    expect(failed.exitCode).toBe(3)
    expect(failed.stdout.trim()).toBe('out')
    expect(failed.stderr).toContain('err')
    expect(failed.stderr).toContain('command terminated with exit code 3')
    const piped = await k.kubectl(['exec', '-i', pod!.name, '--', 'cat'], {input: 'abc\n'})
    expect(piped.stdout).toBe('abc')
    const old = await execa(await kubectl129(), [`--kubeconfig=${k.kubeconfig}`, 'exec', pod!.name, '--', 'sh', '-c', 'echo spdy; exit 4'], {reject: false, env: k.env})
    expect(old.exitCode).toBe(4)
    expect(old.stdout.trim()).toBe('spdy')
    expect((await k.kubectlOk(['logs', pod!.name])).split('\n')[0]).toBe('serving')
  })

  it('kubectl attach -i feeds the main process its stdin and streams its output, over WebSocket (1.32) and SPDY (1.29)', async () => {
    const k = cluster()
    const listener = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  restartPolicy: Never
  containers:
  - {name: app, image: ${IMAGE}, imagePullPolicy: Never, stdin: true, stdinOnce: true, command: [sh, -c, 'while read line; do echo "got $line"; done; echo bye']}
`
    await applyYaml(k, `${listener('listener-ws')}---\n${listener('listener-spdy')}`)
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/listener-ws', 'pod/listener-spdy', '--timeout=30s'])
    const ws = await k.kubectl(['attach', '-i', 'listener-ws'], {input: 'one\ntwo\n'})
    expect(ws.exitCode, ws.all).toBe(0)
    expect(ws.stdout.trim()).toBe('got one\ngot two\nbye')
    const spdy = await execa(await kubectl129(), [`--kubeconfig=${k.kubeconfig}`, 'attach', '-i', 'listener-spdy'], {reject: false, env: k.env, input: 'three\n', timeout: 30_000})
    expect(spdy.exitCode, spdy.stderr).toBe(0)
    expect(spdy.stdout.trim()).toBe('got three\nbye')
    await k.kubectlOk(['delete', 'pod', 'listener-ws', 'listener-spdy', '--wait=true', '--timeout=30s'])
  })

  it('kubectl exec -it gives an interactive shell on a terminal (driven through script(1) for a pty), with 1.32 and 1.29', async () => {
    const k = cluster()
    const [pod] = await webPods(k)
    for (const bin of ['kubectl', await kubectl129()]) {
      const session = execa('script', ['-qec', `${bin} --kubeconfig=${k.kubeconfig} exec -it ${pod!.name} -- sh`, '/dev/null'], {env: k.env, reject: false, timeout: 20_000})
      let output = ''
      session.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
      // Type only once the prompt is there, as a person would.
      await eventually(async () => output.includes('/ #'), `the shell prompt with ${bin}`, 10_000, 100)
      session.stdin!.write('echo tty=$(tty) host=$(hostname)\n')
      await eventually(async () => output.includes('tty=/dev/pts/'), `the command's answer with ${bin}`, 10_000, 100)
      session.stdin!.write('exit 5\n')
      const result = await session
      expect(result.exitCode).toBe(5)
      expect(output).toMatch(new RegExp(`tty=/dev/pts/\\d+ host=${pod!.name}`))
      expect(output).toContain('command terminated with exit code 5')
    }
  })

  it('kubectl port-forward serves the pod port on 127.0.0.1 (1.32 tunnelled, 1.29 raw SPDY) and kubectl cp copies both ways', async () => {
    const k = cluster()
    const [pod] = await webPods(k)
    for (const [bin, port] of [['kubectl', 18_481], [await kubectl129(), 18_482]] as const) {
      const forward = execa(bin, [`--kubeconfig=${k.kubeconfig}`, 'port-forward', `pod/${pod!.name}`, `${port}:8080`], {env: k.env, reject: false})
      try {
        const body = await eventually(async () => httpGet(`http://127.0.0.1:${port}/`).catch(() => undefined), `port-forward on ${port} with ${bin}`, 15_000)
        expect(body).toBe(`hello from ${pod!.name}\n`)
      } finally {
        forward.kill()
        await forward
      }
    }
    const dir = mkdtempSync(join(tmpdir(), 'kcluster-cp-'))
    writeFileSync(join(dir, 'in.txt'), 'copied in\n')
    await k.kubectlOk(['cp', join(dir, 'in.txt'), `${pod!.name}:/www/in.txt`])
    expect(await httpGet(`http://${pod!.ip}:8080/in.txt`)).toBe('copied in\n')
    await k.kubectlOk(['cp', `${pod!.name}:/www/index.html`, join(dir, 'out.txt')])
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe(`hello from ${pod!.name}\n`)
  })

  it('kubectl logs -f streams lines as they are written and ends when the container exits', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: ticker}
spec:
  restartPolicy: Never
  containers: [{name: app, image: ${IMAGE}, imagePullPolicy: Never, command: [sh, -c, 'for i in 1 2 3; do echo tick $i; sleep 1; done']}]
`,
    )
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/ticker', '--timeout=30s'])
    const started = Date.now()
    const seen: Array<{line: string; at: number}> = []
    const follow = execa('kubectl', [`--kubeconfig=${k.kubeconfig}`, 'logs', '-f', 'ticker'], {env: k.env, reject: false, timeout: 20_000})
    follow.stdout!.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) seen.push({line, at: Date.now() - started})
    })
    const result = await follow
    expect(result.exitCode).toBe(0)
    expect(seen.map((s) => s.line)).toEqual(['tick 1', 'tick 2', 'tick 3'])
    // Streamed, not printed at the end: the last line came about two seconds after the first.
    expect(seen[2]!.at - seen[0]!.at).toBeGreaterThan(1000)
  })

  it('kubectl logs takes deployment/x, -l, --tail, --timestamps (each line its own time), --since and --since-time', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: talker}
spec:
  replicas: 2
  selector: {matchLabels: {app: talker}}
  template:
    metadata: {labels: {app: talker}}
    spec:
      terminationGracePeriodSeconds: 1
      containers: [{name: app, image: ${IMAGE}, imagePullPolicy: Never, command: [sh, -c, 'echo first; sleep 2; echo second; exec sleep 3600']}]
`,
    )
    await k.kubectlOk(['rollout', 'status', 'deployment/talker', '--timeout=60s'])
    const pods = (await k.kubectlOk(['get', 'pods', '-l', 'app=talker', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ')
    const stamped = await eventually(async () => {
      const out = await k.kubectlOk(['logs', pods[0]!, '--timestamps'])
      return out.includes('second') ? out.split('\n') : undefined
    }, 'both lines', 20_000)
    const [first, second] = stamped.map((line) => /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (\w+)$/.exec(line)!)
    expect([first![2], second![2]]).toEqual(['first', 'second'])
    // Per-line times from the engine: two seconds apart, not the container's start time repeated.
    expect(Date.parse(second![1]!) - Date.parse(first![1]!)).toBeGreaterThan(1500)
    expect(await k.kubectlOk(['logs', pods[0]!, `--since-time=${second![1]}`])).toBe('second')
    expect(await k.kubectlOk(['logs', pods[0]!, '--since=1h'])).toBe('first\nsecond')
    expect(await k.kubectlOk(['logs', pods[0]!, '--tail=1'])).toBe('second')
    expect(await k.kubectlOk(['logs', 'deployment/talker'])).toBe('first\nsecond')
    const both = await eventually(async () => {
      const out = (await k.kubectlOk(['logs', '-l', 'app=talker', '--prefix'])).split('\n').sort()
      return out.length === 4 ? out : undefined
    }, 'both pods\' lines')
    expect(both).toEqual(pods.flatMap((p) => [`[pod/${p}/app] first`, `[pod/${p}/app] second`]).sort())
    await k.kubectlOk(['delete', 'deployment', 'talker', '--wait=true', '--timeout=60s'])
  })

  it('a container that exits 1 goes into CrashLoopBackOff with restarts counted, and logs --previous shows the crash', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  containers: [{name: app, image: ${IMAGE}, imagePullPolicy: Never, command: [sh, -c, 'echo crashing now; exit 1']}]
`,
    )
    const status = await eventually(async () => {
      const p = JSON.parse(await k.kubectlOk(['get', 'pod', 'crasher', '-o', 'json']))
      const s = p.status.containerStatuses?.[0]
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 1 ? s : undefined
    }, 'CrashLoopBackOff', 40_000)
    expect(status.lastState.terminated).toMatchObject({exitCode: 1, reason: 'Error'})
    expect(status.state.waiting.message).toMatch(/^back-off (10|20)s restarting failed container=app pod=crasher_default\(/)
    expect((await k.kubectlOk(['get', 'pod', 'crasher', '--no-headers'])).split(/\s+/)[2]).toBe('CrashLoopBackOff')
    expect((await k.kubectlOk(['logs', 'crasher', '--previous'])).trim()).toBe('crashing now')
    await k.kubectlOk(['delete', 'pod', 'crasher', '--wait=true', '--timeout=30s'])
    expect(await docker(['ps', '-a', '-q', '--filter', labelled(k), '--filter', 'label=kcluster.io/pod-name=crasher'])).toBe('')
  })

  it('a failing readiness probe makes the pod NotReady and drops it from the endpoints; a failing liveness probe restarts it', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: probed, labels: {app: probed}}
spec:
  # httpd as PID 1 ignores SIGTERM: the kill after the liveness failure takes the whole grace period.
  terminationGracePeriodSeconds: 2
  containers:
  - name: app
    image: ${IMAGE}
    imagePullPolicy: Never
    command: [sh, -c, 'mkdir -p /www && echo ok > /www/ready && exec httpd -f -p 8080 -h /www']
    readinessProbe: {httpGet: {path: /ready, port: 8080}, periodSeconds: 1, failureThreshold: 1}
    livenessProbe: {exec: {command: [test, -e, /www/ready]}, periodSeconds: 1, failureThreshold: 3}
---
apiVersion: v1
kind: Service
metadata: {name: probed}
spec: {selector: {app: probed}, ports: [{port: 80, targetPort: 8080}]}
`,
    )
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/probed', '--timeout=30s'])
    const ready = await eventually(async () => (await k.kubectlOk(['get', 'endpoints', 'probed', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).trim() || undefined, 'a ready endpoint')
    // Remove the file both probes look at: readiness fails first (HTTP 404), then liveness kills the container.
    await k.kubectlOk(['exec', 'probed', '--', 'rm', '/www/ready'])
    await eventually(async () => (await k.kubectlOk(['get', 'endpoints', 'probed', '-o', 'jsonpath={.subsets[*].notReadyAddresses[*].ip}'])).trim() === ready, 'the address not ready')
    const events = await eventually(async () => {
      const out = await k.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=probed', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}'])
      return out.includes('Container app failed liveness probe, will be restarted') ? out : undefined
    }, 'the liveness kill', 30_000)
    expect(events).toContain('Readiness probe failed: HTTP probe failed with statuscode: 404')
    expect(events).toContain('Liveness probe failed:')
    // The restarted container wrote the file again: Ready, restartCount 1.
    const status = await eventually(async () => {
      const p = JSON.parse(await k.kubectlOk(['get', 'pod', 'probed', '-o', 'json']))
      const s = p.status.containerStatuses[0]
      return s.restartCount >= 1 && s.ready ? s : undefined
    }, 'the restarted container ready', 40_000)
    expect(status.lastState.terminated.exitCode).toBeGreaterThan(128)
    await k.kubectlOk(['delete', 'pod/probed', 'service/probed', '--wait=true', '--timeout=30s'])
  }, 90_000)

  it('env (literal, envFrom, ConfigMap/Secret keys, status.podIP) and ConfigMap/Secret volumes reach the container; a ConfigMap update reaches the file', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {color: blue, app.conf: "mode=fast\\n"}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: configured}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: ${IMAGE}
    imagePullPolicy: Never
    command: [sh, -c, 'echo GREETING=$GREETING COLOR=$COLOR PASSWORD=$PASSWORD POD=$POD_NAME CM_color=$CM_color; echo POD_IP=$POD_IP; cat /etc/app/app.conf /etc/creds/password; echo; sleep 3600']
    envFrom:
    - {configMapRef: {name: settings}, prefix: CM_}
    env:
    - {name: GREETING, value: hello}
    - {name: COLOR, valueFrom: {configMapKeyRef: {name: settings, key: color}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    volumeMounts:
    - {name: conf, mountPath: /etc/app}
    - {name: creds, mountPath: /etc/creds}
  volumes:
  - {name: conf, configMap: {name: settings}}
  - {name: creds, secret: {secretName: creds}}
`,
    )
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/configured', '--timeout=30s'])
    const logs = await eventually(async () => {
      const out = await k.kubectlOk(['logs', 'configured'])
      return out.includes('s3cret') ? out : undefined
    }, 'the configured output')
    // The first container of a pod already sees its IP: the sandbox is made before its env is worked out.
    const podIP = await k.kubectlOk(['get', 'pod', 'configured', '-o', 'jsonpath={.status.podIP}'])
    expect(podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/)
    expect(logs.split('\n').slice(0, 4)).toEqual(['GREETING=hello COLOR=blue PASSWORD=s3cret POD=configured CM_color=blue', `POD_IP=${podIP}`, 'mode=fast', 's3cret'])

    // The mounted file follows the ConfigMap while the container runs (the kubelet's atomic ..data swap).
    await k.kubectlOk(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"app.conf":"mode=careful\\n"}}'])
    const updatedAfter = Date.now()
    const conf = await eventually(async () => {
      const out = (await k.kubectlOk(['exec', 'configured', '--', 'cat', '/etc/app/app.conf'])).trim()
      return out === 'mode=careful' ? out : undefined
    }, 'the updated ConfigMap file', 20_000)
    expect(conf).toBe('mode=careful')
    // Woken by the ConfigMap's watch event, not by the 60 s resync.
    expect(Date.now() - updatedAfter).toBeLessThan(10_000)
    await k.kubectlOk(['delete', 'pod/configured', 'configmap/settings', 'secret/creds', '--wait=true', '--timeout=60s', '--grace-period=1'])
  })

  it('a container gets the Service variables of the Services that exist when it starts, and the kubernetes Service', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'service', 'clusterip', 'greeter', '--tcp=8080:80'])
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: linked}
spec:
  restartPolicy: Never
  containers: [{name: app, image: ${IMAGE}, imagePullPolicy: Never, command: [sh, -c, 'echo $GREETER_SERVICE_HOST:$GREETER_SERVICE_PORT $GREETER_PORT $KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT']}]
`,
    )
    const greeterIP = await k.kubectlOk(['get', 'svc', 'greeter', '-o', 'jsonpath={.spec.clusterIP}'])
    const kubernetesIP = await k.kubectlOk(['get', 'svc', 'kubernetes', '-n', 'default', '-o', 'jsonpath={.spec.clusterIP}'])
    const line = await eventually(async () => (await k.kubectlOk(['logs', 'linked'])).trim() || undefined, 'the pod output')
    expect(line).toBe(`${greeterIP}:8080 tcp://${greeterIP}:8080 ${kubernetesIP}:443`)
    await k.kubectlOk(['delete', 'pod/linked', 'service/greeter', '--wait=true', '--timeout=30s'])
  })

  it('a termination message reaches state.terminated.message: from the file (also a custom path as another user) or, under FallbackToLogsOnError, from the output', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: farewell}
spec:
  restartPolicy: Never
  containers:
  - {name: file, image: ${IMAGE}, imagePullPolicy: Never, command: [sh, -c, 'echo "bye now" > /dev/termination-log; exit 3']}
  - name: custom
    image: ${IMAGE}
    imagePullPolicy: Never
    terminationMessagePath: /tmp/why
    securityContext: {runAsUser: 1000}
    command: [sh, -c, 'printf "done as $(id -u)" > /tmp/why']
  - {name: logs, image: ${IMAGE}, imagePullPolicy: Never, terminationMessagePolicy: FallbackToLogsOnError, command: [sh, -c, 'echo something broke; exit 2']}
`,
    )
    const statuses = await eventually(async () => {
      const p = JSON.parse(await k.kubectlOk(['get', 'pod', 'farewell', '-o', 'json']))
      const all = p.status.containerStatuses ?? []
      return all.length === 3 && all.every((s: any) => s.state.terminated) ? Object.fromEntries(all.map((s: any) => [s.name, s.state.terminated])) : undefined
    }, 'all three to terminate', 30_000)
    expect(statuses.file).toMatchObject({exitCode: 3, message: 'bye now\n'})
    expect(statuses.custom).toMatchObject({exitCode: 0, message: 'done as 1000'})
    expect(statuses.logs).toMatchObject({exitCode: 2, message: 'something broke\n'})
    await k.kubectlOk(['delete', 'pod', 'farewell', '--wait=true', '--timeout=30s'])
  })

  it('a container that allocates beyond its memory limit is OOMKilled, and kubectl shows it', async () => {
    const k = cluster()
    // The shell doubles a string until the 16 MiB limit stops it; without a limit it would take all memory, so the loop is bounded at 2^30 bytes.
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: ${IMAGE}
    imagePullPolicy: Never
    command: [sh, -c, 'x=0123456789abcdef; i=0; while [ $i -lt 26 ]; do x=$x$x; i=$((i+1)); done; echo survived']
    resources: {limits: {memory: 16Mi}}
`,
    )
    const terminated = await eventually(async () => {
      const p = JSON.parse(await k.kubectlOk(['get', 'pod', 'hog', '-o', 'json']))
      return p.status.containerStatuses?.[0]?.state?.terminated
    }, 'the hog to terminate', 60_000)
    expect(terminated).toMatchObject({reason: 'OOMKilled', exitCode: 137})
    expect((await k.kubectlOk(['get', 'pod', 'hog', '--no-headers'])).split(/\s+/)[2]).toBe('OOMKilled')
    expect(await k.kubectlOk(['get', 'pod', 'hog', '-o', 'jsonpath={.status.phase}'])).toBe('Failed')
    await k.kubectlOk(['delete', 'pod', 'hog', '--wait=true', '--timeout=30s'])
  })

  it('an image that is not there with imagePullPolicy Never waits as ErrImageNeverPull, retried on a back-off, not in a loop', async () => {
    const k = cluster()
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: imageless}
spec:
  containers: [{name: app, image: kcluster-test/not-built:1, imagePullPolicy: Never}]
`,
    )
    const waiting = await eventually(async () => {
      const p = JSON.parse(await k.kubectlOk(['get', 'pod', 'imageless', '-o', 'json']))
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull' ? p.status.containerStatuses[0].state.waiting : undefined
    }, 'ErrImageNeverPull')
    expect(waiting.message).toBe('Container image "kcluster-test/not-built:1" is not present with pull policy of Never')
    expect((await k.kubectlOk(['get', 'pod', 'imageless', '--no-headers'])).split(/\s+/)[2]).toBe('ErrImageNeverPull')
    await new Promise((r) => setTimeout(r, 3000))
    const counts = JSON.parse(await k.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=imageless,reason=ErrImageNeverPull', '-o', 'json'])).items.map((e: any) => e.count ?? 1)
    // One attempt, the next one 10 s later: not a retry per reconcile.
    expect(counts.reduce((a: number, b: number) => a + b, 0)).toBe(1)
    await k.kubectlOk(['delete', 'pod', 'imageless', '--wait=true', '--timeout=30s'])
  })

  it('runs postStart after the start and preStop before the stop; a failing postStart hook gets the container killed', async () => {
    const k = cluster()
    const dir = mkdtempSync(join(tmpdir(), 'kcluster-hooks-'))
    await applyYaml(
      k,
      `apiVersion: v1
kind: Pod
metadata: {name: hooked}
spec:
  terminationGracePeriodSeconds: 5
  volumes: [{name: out, hostPath: {path: ${dir}, type: Directory}}]
  containers:
  - name: app
    image: ${IMAGE}
    imagePullPolicy: Never
    command: [sleep, '3600']
    volumeMounts: [{name: out, mountPath: /out}]
    lifecycle:
      postStart: {exec: {command: [sh, -c, 'echo started > /out/post-start']}}
      preStop: {exec: {command: [sh, -c, 'echo stopping > /out/pre-stop']}}
---
apiVersion: v1
kind: Pod
metadata: {name: badhook}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${IMAGE}
    imagePullPolicy: Never
    command: [sleep, '3600']
    lifecycle: {postStart: {exec: {command: [sh, -c, 'echo nope; exit 1']}}}
`,
    )
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/hooked', '--timeout=30s'])
    await eventually(async () => readFileSync(join(dir, 'post-start'), 'utf8') === 'started\n', 'the postStart file')
    await k.kubectlOk(['delete', 'pod', 'hooked', '--wait=true', '--timeout=30s'])
    expect(readFileSync(join(dir, 'pre-stop'), 'utf8')).toBe('stopping\n')
    const failed = await eventually(async () => {
      const out = await k.kubectlOk(['get', 'events', '--field-selector', 'involvedObject.name=badhook,reason=FailedPostStartHook', '-o', 'jsonpath={.items[*].message}'])
      return out.trim() || undefined
    }, 'FailedPostStartHook')
    expect(failed).toContain('Exec lifecycle hook ([sh -c echo nope; exit 1]) for Container "app" in Pod "badhook_default(')
    expect(failed).toContain('exited with 1')
    await eventually(async () => {
      const p = JSON.parse(await k.kubectlOk(['get', 'pod', 'badhook', '-o', 'json']))
      return (p.status.containerStatuses?.[0]?.restartCount ?? 0) >= 1
    }, 'the container restarted after its hook failed', 30_000)
    await k.kubectlOk(['delete', 'pod', 'badhook', '--wait=true', '--timeout=30s'])
  }, 60_000)

  it('kill -9 of the control plane, then start: the same containers are adopted, none duplicated', async () => {
    const k = cluster()
    const ids = async () => (await docker(['ps', '-q', '--no-trunc', '--filter', labelled(k)])).split('\n').filter(Boolean).sort()
    const before = await ids()
    // The web Deployment's 3 pods (sandbox + app each) and the cluster's kcluster-net.
    expect(before.length).toBe(7)
    expect(await docker(['ps', '-q', '--filter', labelled(k), '--filter', 'label=kcluster.io/role=net'])).not.toBe('')
    const pid = Number(readFileSync(join(k.home, k.name, 'control-plane.pid'), 'utf8').trim())
    process.kill(pid, 'SIGKILL')
    await eventually(async () => (await k.kcluster(['status', '--name', k.name])).exitCode !== 0, 'the control plane gone')
    // What a kill -9 between a pod's sandbox and its first container leaves when the pod is deleted meanwhile.
    const ghost = {namespace: 'default', podName: 'ghost', podUid: randomUUID()}
    await new DockerRuntime({cluster: k.name, clock: systemClock}).preparePod(ghost)
    const ghostSandboxes = () => docker(['ps', '-a', '-q', '--filter', labelled(k), '--filter', `label=kcluster.io/pod-uid=${ghost.podUid}`])
    expect(await ghostSandboxes()).not.toBe('')
    const started = await k.kcluster(['start', '--name', k.name, '--wait', '60s'])
    expect(started.exitCode, started.all).toBe(0)
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=60s'])
    await eventually(async () => (await ghostSandboxes()) === '', 'the orphaned sandbox removed')
    await new Promise((r) => setTimeout(r, 2000))
    expect(await ids()).toEqual(before)
    const restarts = JSON.parse(await k.kubectlOk(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.containerStatuses[0].restartCount}']).then((s) => `[${s.trim().split(/\s+/).join(',')}]`))
    expect(restarts).toEqual([0, 0, 0])
  })

  it('kcluster stop leaves no kcluster container running; start brings the pods back Running at the same IPs', async () => {
    const k = cluster()
    const ipsBefore = Object.fromEntries((await webPods(k)).map((p) => [p.name, p.ip]))
    const stopped = await k.kcluster(['stop', '--name', k.name])
    expect(stopped.exitCode, stopped.all).toBe(0)
    expect(await docker(['ps', '-q', '--filter', labelled(k)])).toBe('')
    const started = await k.kcluster(['start', '--name', k.name, '--wait', '60s'])
    expect(started.exitCode, started.all).toBe(0)
    await k.kubectlOk(['rollout', 'status', 'deployment/web', '--timeout=60s'])
    const pods = await eventually(async () => {
      const list = await webPods(k)
      return list.length === 3 && list.every((p) => p.ip) ? list : undefined
    }, 'three pods with IPs')
    // Sandboxes keep their fixed addresses, so no pod's status or endpoint ever names another pod's IP.
    expect(Object.fromEntries(pods.map((p) => [p.name, p.ip]))).toEqual(ipsBefore)
    for (const p of pods) expect(await eventually(() => httpGet(`http://${p.ip}:8080/`).catch(() => undefined), `pod ${p.name} serving`)).toBe(`hello from ${p.name}\n`)
  })
  it('an app container killed behind the agent\'s back is restarted by its restart policy and counted, with no duplicate container', async () => {
    const k = cluster()
    const [pod] = await webPods(k)
    const uid = await k.kubectlOk(['get', 'pod', pod!.name, '-o', 'jsonpath={.metadata.uid}'])
    const restarts = async () => Number(await k.kubectlOk(['get', 'pod', pod!.name, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']))
    const before = await restarts()
    const apps = (state: string) => docker(['ps', '-a', '-q', '--filter', labelled(k), '--filter', `label=kcluster.io/pod-uid=${uid}`, '--filter', 'label=kcluster.io/role=app', '--filter', `status=${state}`])
    const killed = await apps('running')
    await docker(['kill', killed])
    await eventually(async () => (await restarts()) === before + 1 || undefined, 'the restart counted', 20_000)
    await k.kubectlOk(['wait', '--for=condition=Ready', `pod/${pod!.name}`, '--timeout=30s'])
    const running = (await apps('running')).split('\n').filter(Boolean)
    expect(running).toHaveLength(1)
    expect(running[0]).not.toBe(killed)
    expect(await k.kubectlOk(['get', 'pod', pod!.name, '-o', 'jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}'])).toBe('137')
  })

  it('a sandbox stopped behind the agent\'s back comes back: its pod\'s containers are restarted in it (SandboxChanged) with the same IP', async () => {
    const k = cluster()
    const [pod] = await webPods(k)
    const uid = await k.kubectlOk(['get', 'pod', pod!.name, '-o', 'jsonpath={.metadata.uid}'])
    const restarts = async () => Number(await k.kubectlOk(['get', 'pod', pod!.name, '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']))
    const before = await restarts()
    const sandbox = await docker(['ps', '-q', '--filter', labelled(k), '--filter', `label=kcluster.io/pod-uid=${uid}`, '--filter', 'label=kcluster.io/role=sandbox'])
    await docker(['stop', '-t', '0', sandbox])
    await eventually(async () => (await restarts()) > before || undefined, 'the container restarted in the sandbox started again', 20_000)
    expect(await k.kubectlOk(['events', '--for', `pod/${pod!.name}`])).toMatch(/SandboxChanged\s+.*Pod sandbox changed, it will be killed and re-created\./)
    await k.kubectlOk(['wait', '--for=condition=Ready', `pod/${pod!.name}`, '--timeout=30s'])
    expect(await k.kubectlOk(['get', 'pod', pod!.name, '-o', 'jsonpath={.status.podIP}'])).toBe(pod!.ip)
    expect(await eventually(() => httpGet(`http://${pod!.ip}:8080/`).catch(() => undefined), 'the pod serving again')).toBe(`hello from ${pod!.name}\n`)
  })
}

/** After `kcluster delete`: nothing of the cluster is left on the engine. */
export async function expectNothingLeft(clusterName: string): Promise<void> {
  expect(await docker(['ps', '-a', '-q', '--filter', `label=kcluster.io/cluster=${clusterName}`])).toBe('')
  expect(await docker(['network', 'ls', '-q', '--filter', `label=kcluster.io/cluster=${clusterName}`])).toBe('')
}
