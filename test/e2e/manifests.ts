// Manifests shared by the e2e cases, and the image and command every test pod runs: the cases run on
// the simulated runtime and on Docker, so each pod must really run (and stop) in a container.

/** A local image (scripts/docker-up.sh builds it; `:2` is the same image tagged again): tests never pull. */
export const TEST_IMAGE = 'kcluster-test/busybox:1'

/**
 * The main process of every test pod. The image's default CMD (/bin/sh) exits at once on Docker, so
 * pods need a command that keeps running; it also ends at once on SIGTERM, because a process running
 * as PID 1 (plain `sleep 3600`, `httpd`) ignores signals it has no handler for, which would hold every
 * deletion on Docker for the whole 30 s grace period. The simulated runtime runs it forever.
 */
export const LONG_RUNNING = ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait']

/** LONG_RUNNING as a YAML flow sequence, for `command:` in manifests. */
export const LONG_RUNNING_YAML = JSON.stringify(LONG_RUNNING)

// The Secret uses `data`: with `stringData`, client-side apply reports `configured` on every re-apply,
// on a real cluster too, because the server folds stringData into data.
export function manifest(ns: string, replicas = 2, data = 'one'): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${ns}
data:
  mode: ${data}
---
apiVersion: v1
kind: Secret
metadata:
  name: creds
  namespace: ${ns}
data:
  password: aHVudGVyMg==
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: 8080
---
apiVersion: v1
kind: Pod
metadata:
  name: solo
  namespace: ${ns}
  labels:
    app: solo
spec:
  containers:
  - name: main
    image: ${TEST_IMAGE}
    imagePullPolicy: Never
    command: ${LONG_RUNNING_YAML}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${TEST_IMAGE}
        imagePullPolicy: Never
        command: ${LONG_RUNNING_YAML}
        ports:
        - containerPort: 8080
`
}
