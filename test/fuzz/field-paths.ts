// Every field path of a valid object, and a value of the wrong JSON type for each, so the fuzzer can
// put a wrong type at every place of a Pod and a Deployment instead of at the few a person thinks of.

export type PathStep = string | number
export type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array'

export interface FieldPath {
  path: PathStep[]
  type: JsonType
}

/** Every node below the root (subtrees and leaves), parents before children. */
export function fieldPaths(value: unknown, prefix: PathStep[] = []): FieldPath[] {
  const out: FieldPath[] = []
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push({path: [...prefix, i], type: jsonType(item)}, ...fieldPaths(item, [...prefix, i]))
    })
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push({path: [...prefix, key], type: jsonType(item)}, ...fieldPaths(item, [...prefix, key]))
  }
  return out
}

export function jsonType(value: unknown): JsonType {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return typeof value as JsonType
  return 'object'
}

/**
 * Values Go's encoding/json refuses for a field of `type`. Strings and numbers are not swapped where
 * Kubernetes accepts both (IntOrString, Quantity): callers name those paths in `lenient`.
 */
export function wrongTypeValues(type: JsonType, lenientStringNumber: boolean): unknown[] {
  const all: Record<JsonType, unknown> = {string: 'fuzz', number: 7, boolean: true, object: {fuzz: 1}, array: [1, 'two']}
  return (Object.keys(all) as JsonType[])
    .filter((t) => t !== type && !(lenientStringNumber && (t === 'string' || t === 'number') && (type === 'string' || type === 'number')))
    .map((t) => all[t])
}

/** A deep copy of `root` with the node at `path` replaced. */
export function replaceAt(root: unknown, path: PathStep[], value: unknown): unknown {
  if (path.length === 0) return value
  const copy = structuredClone(root) as Record<PathStep, unknown>
  let node = copy
  for (const step of path.slice(0, -1)) node = node[step] as Record<PathStep, unknown>
  node[path[path.length - 1]!] = value
  return copy
}

export function pathText(path: PathStep[]): string {
  return path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')
}

/** A Pod using most field kinds: strings, ints, bools, maps, lists of objects, IntOrString, Quantity. */
export function samplePod(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, labels: {app: 'fuzz'}, annotations: {note: 'x'}, finalizers: ['fuzz.example.com/keep']},
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 5,
      hostNetwork: false,
      nodeSelector: {disk: 'ssd'},
      tolerations: [{key: 'k', operator: 'Exists', effect: 'NoSchedule'}],
      containers: [
        {
          name: 'c',
          image: 'nginx:1.27',
          command: ['sh', '-c', 'sleep 1'],
          env: [{name: 'A', value: 'b'}],
          ports: [{containerPort: 80, protocol: 'TCP'}],
          resources: {limits: {cpu: '100m', memory: '64Mi'}},
          readinessProbe: {httpGet: {path: '/', port: 80}, periodSeconds: 3},
          securityContext: {runAsNonRoot: false, runAsUser: 1000},
          volumeMounts: [{name: 'v', mountPath: '/data', readOnly: true}],
        },
      ],
      volumes: [{name: 'v', emptyDir: {}}],
    },
  }
}

export function sampleDeployment(name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name, labels: {app: name}},
    spec: {
      replicas: 0,
      revisionHistoryLimit: 2,
      paused: false,
      selector: {matchLabels: {app: name}, matchExpressions: [{key: 'tier', operator: 'In', values: ['web']}]},
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: '25%'}},
      template: {
        metadata: {labels: {app: name, tier: 'web'}},
        spec: {containers: [{name: 'c', image: 'nginx:1.27', ports: [{containerPort: 80}], resources: {requests: {cpu: 1}}}]},
      },
    },
  }
}

/** Paths whose Kubernetes type takes either a string or a number (IntOrString, Quantity). */
export function isStringOrNumberField(path: PathStep[]): boolean {
  const text = pathText(path)
  return /\.(port|maxSurge|maxUnavailable|targetPort)$/.test(text) || /\.resources\.(limits|requests)\.[^.]+$/.test(text)
}
