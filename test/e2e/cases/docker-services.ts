// Issue 5 inside a Docker cluster, with the real kubectl: pods resolve Services through the cluster
// DNS (all four name forms, headless, ExternalName) and reach them on their ClusterIP, balanced over
// the ready endpoints and following readiness and scaling within a couple of seconds. busybox's wget crashes in
// these images, so requests go with nc: by ClusterIP from the static busybox image, by name from
// kcluster-test/netbox:1 (Debian's dynamic busybox, whose nc resolves through glibc as pods' programs do).
import {realpathSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {execa} from 'execa'
import {expect, it} from 'vitest'
import {eventually, type E2ECluster} from '../harness.js'
import {applyYaml} from '../workloads.js'
import {hostGet} from '../../support/host-get.js'

const IMAGE = 'kcluster-test/busybox:1'

const ECHO = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: net}
spec:
  replicas: 3
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${IMAGE}
        imagePullPolicy: Never
        command: [sh, -c, 'mkdir -p /w && hostname > /w/index.html && touch /w/ready && exec httpd -f -p 8080 -h /w']
        ports: [{name: http, containerPort: 8080}]
        readinessProbe: {exec: {command: [test, -f, /w/ready]}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: net}
spec:
  selector: {app: echo}
  ports: [{name: web, port: 80, targetPort: http}, {name: alt, port: 81, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: echo-headless, namespace: net}
spec:
  clusterIP: None
  selector: {app: echo}
  ports: [{name: web, port: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: elsewhere, namespace: net}
spec: {type: ExternalName, externalName: echo.net.svc.cluster.local}
---
apiVersion: v1
kind: Pod
metadata: {name: resolver, namespace: net}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: sh, image: kcluster-test/netbox:1, imagePullPolicy: Never, command: [sh, -c, 'trap "exit 0" TERM; sleep 3600 & wait']}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: net}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: sh, image: ${IMAGE}, imagePullPolicy: Never, command: [sh, -c, 'trap "exit 0" TERM; sleep 3600 & wait']}]
`

/**
 * busybox nslookup's output. It also tries the name under each search domain and exits 1 when any of
 * those is NXDOMAIN (as it would against CoreDNS), so the answer is read from the output, not the code.
 */
async function nslookup(k: E2ECluster, ...args: string[]): Promise<string> {
  return k.kubectlOk(['exec', '-n', 'net', 'client', '--', 'sh', '-c', `nslookup ${args.join(' ')}; true`])
}

/** One HTTP GET per line of output: the answering pod's hostname. */
async function askMany(k: E2ECluster, ip: string, count: number): Promise<string[]> {
  const script = `i=0; while [ $i -lt ${count} ]; do printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc ${ip} 80 | tail -1; i=$((i+1)); done`
  return (await k.kubectlOk(['exec', '-n', 'net', 'client', '--', 'sh', '-c', script], {timeout: 60_000})).split('\n').filter(Boolean)
}

export function dockerServiceCases(cluster: () => E2ECluster): void {
  it('pods reach a Service by all four DNS forms and resolve it to its ClusterIP, headless to the pod IPs, ExternalName to its CNAME; resolv.conf has the search path', async () => {
    const k = cluster()
    await k.kubectlOk(['create', 'namespace', 'net'])
    await applyYaml(k, ECHO)
    await k.kubectlOk(['rollout', 'status', 'deployment/echo', '-n', 'net', '--timeout=60s'])
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/client', '-n', 'net', '--timeout=30s'])
    const clusterIP = await k.kubectlOk(['get', 'svc', 'echo', '-n', 'net', '-o', 'jsonpath={.spec.clusterIP}'])
    // busybox's nslookup applies the search path (namespace.svc.cluster.local ...) only to names without a
    // dot, so it checks the bare and full forms; the dotted short forms go through glibc's resolver below.
    for (const name of ['echo', 'echo.net.svc.cluster.local']) {
      const out = await nslookup(k, name)
      expect(out, name).toMatch(new RegExp(`Name:\\s+echo\\.net\\.svc\\.cluster\\.local\\s+Address: ${clusterIP.replaceAll('.', '\\.')}`))
    }
    expect(await k.kubectlOk(['exec', '-n', 'net', 'client', '--', 'cat', '/etc/resolv.conf'])).toBe(
      `nameserver ${await k.kubectlOk(['get', 'svc', 'kube-dns', '-n', 'kube-system', '-o', 'jsonpath={.spec.clusterIP}'])}\nsearch net.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5`,
    )
    // All four forms through glibc's resolver (search path, ndots:5) in the netbox image: each reaches the Service.
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/resolver', '-n', 'net', '--timeout=30s'])
    const pods = (await k.kubectlOk(['get', 'pods', '-n', 'net', '-l', 'app=echo', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ')
    for (const name of ['echo', 'echo.net', 'echo.net.svc', 'echo.net.svc.cluster.local']) {
      const answer = await k.kubectlOk(['exec', '-n', 'net', 'resolver', '--', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${name} 80 | tail -1`])
      expect(pods, `${name} answered ${JSON.stringify(answer)}`).toContain(answer)
    }
    const podIPs = (await k.kubectlOk(['get', 'pods', '-n', 'net', '-l', 'app=echo', '-o', 'jsonpath={.items[*].status.podIP}'])).split(' ').sort()
    const headless = await nslookup(k, '-type=a', 'echo-headless')
    expect([...headless.matchAll(/Address: (\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1]).filter((ip) => !ip!.endsWith('.10')).sort()).toEqual(podIPs)
    const cname = await nslookup(k, '-type=cname', 'elsewhere')
    expect(cname).toContain('canonical name = echo.net.svc.cluster.local')
  })

  it('the kubernetes Service reaches the API server from a pod: kubectl inside it, with nothing but its service account token, lists pods', async () => {
    const k = cluster()
    const {stdout} = await execa('sh', ['-c', 'command -v kubectl'])
    const kubectlBinary = join(dirname(realpathSync(stdout.trim())), 'kubectl.1.32')
    await applyYaml(k, `
apiVersion: v1
kind: Pod
metadata: {name: in-cluster, namespace: net}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: sh
    image: ${IMAGE}
    imagePullPolicy: Never
    command: [sh, -c, 'trap "exit 0" TERM; sleep 3600 & wait']
    env: [{name: HOME, value: /root}]
    volumeMounts: [{name: kubectl, mountPath: /kubectl, readOnly: true}]
  volumes: [{name: kubectl, hostPath: {path: ${kubectlBinary}, type: File}}]
`)
    await k.kubectlOk(['wait', '--for=condition=Ready', 'pod/in-cluster', '-n', 'net', '--timeout=30s'])
    // kubectl's in-cluster config: KUBERNETES_SERVICE_HOST/PORT, and the token and CA the pod was given
    // (the CA verifies the serving certificate for the ClusterIP it dials).
    const files = await k.kubectlOk(['exec', '-n', 'net', 'in-cluster', '--', 'ls', '/var/run/secrets/kubernetes.io/serviceaccount'])
    expect(files.split(/\s+/).sort()).toEqual(['ca.crt', 'namespace', 'token'])
    const inside = (args: string) => k.kubectlOk(['exec', '-n', 'net', 'in-cluster', '--', 'sh', '-c', `mkdir -p /root && /kubectl ${args}`])
    expect(await inside('get pods -o name')).toContain('pod/in-cluster')
    expect(await inside('auth whoami -o jsonpath={.status.userInfo.username}')).toBe('system:serviceaccount:net:default')
    await k.kubectlOk(['delete', 'pod', 'in-cluster', '-n', 'net', '--wait=false'])
  })

  it('a failing readiness probe takes its pod out of the answering set, and no request reaches it until it passes again', async () => {
    const k = cluster()
    const clusterIP = await k.kubectlOk(['get', 'svc', 'echo', '-n', 'net', '-o', 'jsonpath={.spec.clusterIP}'])
    const pods = (await k.kubectlOk(['get', 'pods', '-n', 'net', '-l', 'app=echo', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort()
    const victim = pods[0]!
    // From the host, which sits on the cluster's bridge and so reaches ClusterIPs too: requests every
    // 50 ms, timed here rather than through kubectl exec.
    expect(pods).toContain(await eventually(() => hostGet(clusterIP, 80), 'the ClusterIP answering the host'))
    await k.kubectlOk(['exec', '-n', 'net', victim, '--', 'rm', '/w/ready'])
    const failedAt = Date.now()
    let lastFromVictim = failedAt
    let since = 0
    while (since < 40 && Date.now() - failedAt < 15_000) {
      const answer = await hostGet(clusterIP, 80)
      if (answer === victim) {
        lastFromVictim = Date.now()
        since = 0
      } else if (answer) since++
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(since, 'requests that did not reach the not-ready pod').toBe(40)
    // The 2 s figure is measured by hand (issue 5's note); the bound here only catches a broken path.
    expect(lastFromVictim - failedAt).toBeLessThan(5_000)
    expect(await k.kubectlOk(['get', 'pod', victim, '-n', 'net', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}'])).toBe('False')
    await k.kubectlOk(['exec', '-n', 'net', victim, '--', 'touch', '/w/ready'])
    await eventually(async () => {
      const answers = await Promise.all(Array.from({length: 9}, () => hostGet(clusterIP, 80)))
      return answers.includes(victim) || undefined
    }, 'the pod answering again once ready', 10_000)
  })

  it('a ClusterIP balances 100 requests over the 3 ready pods (named targetPort, and a numbered one on another port) and follows a scale-down within 2 s', async () => {
    const k = cluster()
    const clusterIP = await k.kubectlOk(['get', 'svc', 'echo', '-n', 'net', '-o', 'jsonpath={.spec.clusterIP}'])
    const pods = (await k.kubectlOk(['get', 'pods', '-n', 'net', '-l', 'app=echo', '-o', 'jsonpath={.items[*].metadata.name}'])).split(' ').sort()
    expect(pods).toContain((await k.kubectlOk(['exec', '-n', 'net', 'client', '--', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc ${clusterIP} 81 | tail -1`])).trim())
    const answers = await askMany(k, clusterIP, 100)
    expect(answers).toHaveLength(100)
    const counts = new Map<string, number>()
    for (const a of answers) counts.set(a, (counts.get(a) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual(pods)
    for (const n of counts.values()) expect(n).toBeGreaterThanOrEqual(25)

    await k.kubectlOk(['scale', 'deployment/echo', '-n', 'net', '--replicas=1'])
    const scaledAt = Date.now()
    const kept = await eventually(async () => {
      const items = JSON.parse(await k.kubectlOk(['get', 'pods', '-n', 'net', '-l', 'app=echo', '-o', 'json'])).items as any[]
      const staying = items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name)
      return staying.length === 1 ? staying[0] as string : undefined
    }, 'one pod staying')
    // Endpoints drop terminating pods at once; the proxy follows them within its settle time.
    await eventually(async () => {
      const after = await askMany(k, clusterIP, 6)
      return after.every((a) => a === kept) ? after : undefined
    }, 'requests only to the pod that stays', 10_000)
    expect(Date.now() - scaledAt).toBeLessThan(5_000)
    expect(new Set(await askMany(k, clusterIP, 20))).toEqual(new Set([kept]))
    await k.kubectlOk(['delete', 'namespace', 'net', '--wait=true', '--timeout=60s'])
  })
}
