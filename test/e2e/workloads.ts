// Helpers for the workload e2e cases (rollouts, cascades, endpoints): manifests and a background
// `kubectl ... -w` whose output lines the test can read while it drives the cluster.
import {Cidr} from '../../src/cluster/network/cidr.js'
import {networkOfServiceCIDR, SIMULATED_ADDRESSING, splitNetwork} from '../../src/cluster/network/cluster-addressing.js'
import {execa, type ResultPromise} from 'execa'
import {expect} from 'vitest'
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {eventually, type E2ECluster} from './harness.js'
import {LONG_RUNNING_YAML, TEST_IMAGE} from './manifests.js'

export const GATE = 'example.com/ready'

export interface DeploymentSpec {
  name: string
  namespace: string
  replicas?: number
  image?: string
  maxSurge?: number | string
  maxUnavailable?: number | string
  /** Pods carry the readiness gate GATE: Ready only once the test sets that condition True. */
  gated?: boolean
  annotations?: Record<string, string>
  /**
   * An exec readiness probe that first runs this many seconds after the container starts: a slow
   * start on Docker. The simulated runtime runs no probes (its equivalent is `--sim-start-delay`).
   */
  readyAfterSeconds?: number
}

export function deploymentManifest(d: DeploymentSpec): string {
  const annotations = Object.entries(d.annotations ?? {}).map(([k, v]) => `\n    ${k}: ${JSON.stringify(v)}`).join('')
  const strategy =
    d.maxSurge === undefined && d.maxUnavailable === undefined
      ? ''
      : `\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: ${d.maxSurge ?? '25%'}\n      maxUnavailable: ${d.maxUnavailable ?? '25%'}`
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${d.name}
  namespace: ${d.namespace}${annotations ? `\n  annotations:${annotations}` : ''}
spec:
  replicas: ${d.replicas ?? 1}${strategy}
  selector:
    matchLabels:
      app: ${d.name}
  template:
    metadata:
      labels:
        app: ${d.name}
    spec:${d.gated ? `\n      readinessGates:\n      - conditionType: ${GATE}` : ''}
      containers:
      - name: main
        image: ${d.image ?? TEST_IMAGE}
        imagePullPolicy: IfNotPresent
        command: ${LONG_RUNNING_YAML}${
          d.readyAfterSeconds === undefined
            ? ''
            : `\n        readinessProbe:\n          exec: {command: ["true"]}\n          initialDelaySeconds: ${d.readyAfterSeconds}\n          periodSeconds: 1`
        }
        ports:
        - name: http
          containerPort: 8080
`
}

/** Writes YAML to a temporary file and `kubectl apply`s it. */
export async function applyYaml(k: E2ECluster, yaml: string): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'kcluster-e2e-yaml-')), 'objects.yaml')
  writeFileSync(file, yaml)
  return k.kubectlOk(['apply', '-f', file])
}

/** Sets (or clears) the readiness-gate condition of a pod, as a controller owning the gate would. */
export async function setGate(k: E2ECluster, namespace: string, pod: string, status: 'True' | 'False'): Promise<void> {
  const patch = JSON.stringify({status: {conditions: [{type: GATE, status}]}})
  await k.kubectlOk(['patch', 'pod', pod, '-n', namespace, '--subresource=status', '--type=strategic', '-p', patch])
}

export interface BackgroundKubectl {
  /** Complete lines printed so far. */
  lines(): string[]
  stop(): Promise<void>
}

/** Runs a long-lived kubectl (a watch, a wait) in the background and collects its output lines. */
export function backgroundKubectl(k: E2ECluster, args: string[]): BackgroundKubectl & {process: ResultPromise} {
  const child = execa('kubectl', [`--cache-dir=${join(k.env.HOME, 'kube-cache')}`, ...args], {env: k.env, reject: false, all: true})
  let seen = ''
  child.all!.on('data', (chunk: Buffer) => (seen += chunk.toString()))
  return {
    process: child,
    lines: () => seen.split('\n').slice(0, -1),
    async stop() {
      child.kill('SIGINT')
      await child
    },
  }
}

/** The names of the pods matching a label selector (terminating ones included). */
export async function podNames(k: E2ECluster, namespace: string, selector: string): Promise<string[]> {
  const out = await k.kubectlOk(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}'])
  return out.split(' ').filter(Boolean)
}

/** Waits until exactly `count` pods match and none is terminating; returns them as JSON. */
export async function settledPods(k: E2ECluster, namespace: string, selector: string, count: number, timeoutMs = 20_000): Promise<PodSummary[]> {
  return eventually(
    async () => {
      const pods = JSON.parse(await k.kubectlOk(['get', 'pods', '-n', namespace, '-l', selector, '-o', 'json'])).items as PodSummary[]
      return pods.length === count && pods.every((p) => !p.metadata.deletionTimestamp) && pods
    },
    `${count} settled pods matching ${selector} in ${namespace}`,
    timeoutMs,
  )
}

export interface PodSummary {
  metadata: {name: string; uid: string; deletionTimestamp?: string; labels?: Record<string, string>; ownerReferences?: {kind: string; name: string; controller?: boolean}[]}
  spec: {containers: {image: string}[]}
  status: {podIP?: string; phase?: string; conditions?: {type: string; status: string}[]}
}

/** Creates the namespace unless it exists, so each case can run alone (`vitest -t`). */
export async function ensureNamespace(k: E2ECluster, namespace: string): Promise<void> {
  const r = await k.kubectl(['create', 'namespace', namespace])
  if (r.exitCode !== 0 && !r.stderr.includes('AlreadyExists')) throw new Error(`kubectl create namespace ${namespace} failed: ${r.stderr}`)
}

/** Whether an IPv4 address lies in a CIDR block such as 10.244.0.0/16. */
export function inCIDR(ip: string, cidr: string): boolean {
  return Cidr.parse(cidr).contains(ip)
}

/**
 * The cluster's Service range, as docs/networking.md lays it out: Kubernetes' usual 10.96.0.0/16 on the
 * simulated runtime; on Docker the upper half of the network whose lower half is the node's podCIDR.
 */
export async function serviceCIDR(k: E2ECluster): Promise<string> {
  if (k.driver === 'sim') return SIMULATED_ADDRESSING.serviceCIDR
  const podCIDR = await k.kubectlOk(['get', 'node', k.name, '-o', 'jsonpath={.spec.podCIDR}'])
  return splitNetwork(networkOfServiceCIDR(podCIDR)).serviceCIDR
}

/** A `kubectl get svc` row's CLUSTER-IP column lies in the cluster's Service range. */
export async function expectClusterIPInRange(k: E2ECluster, row: string): Promise<void> {
  const ip = row.trim().split(/\s+/)[2] ?? ''
  const range = await serviceCIDR(k)
  expect(inCIDR(ip, range), `ClusterIP ${ip} lies in the Service range ${range}`).toBe(true)
}

/**
 * Pod IPs are checked against the node, not a literal range: on a real cluster every pod IP lies in its
 * node's spec.podCIDR, the block the network plugin allocates from, whatever the runtime. The cases
 * check it last, so that a mismatch does not hide what the rest of the case would find.
 */
export async function expectInNodePodCIDR(k: E2ECluster, podIP: string | undefined, node = k.name): Promise<void> {
  const cidr = await k.kubectlOk(['get', 'node', node, '-o', 'jsonpath={.spec.podCIDR}'])
  expect(inCIDR(podIP ?? '', cidr), `pod IP ${podIP} lies in node ${node}'s podCIDR ${cidr}`).toBe(true)
}

