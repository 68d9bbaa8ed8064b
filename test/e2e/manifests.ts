// Manifests shared by the e2e cases.

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
    image: kcluster-test/busybox:1
    imagePullPolicy: Never
    command: ["sleep", "3600"]
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
        image: kcluster-test/busybox:1
        imagePullPolicy: Never
        ports:
        - containerPort: 8080
`
}
