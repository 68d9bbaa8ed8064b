// Live objects as the API server stores them (defaults applied, status and metadata filled in), used as the
// targets of the patch tests. Each call returns a fresh copy.
import type {Deployment} from 'kubernetes-types/apps/v1.js'
import type {ConfigMap, Node, Pod, Service} from 'kubernetes-types/core/v1.js'

const LAST_APPLIED_V1 =
  '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"image":"nginx:1.25","name":"nginx","ports":[{"containerPort":80},{"containerPort":443}]}]}}}}\n'

/** `web` right after `kubectl apply` of the two-port, two-env manifest (image nginx:1.25). */
export function liveDeployment(): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      annotations: {'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': LAST_APPLIED_V1},
      labels: {app: 'web'},
      name: 'web',
      namespace: 'default',
      uid: '455d845e-2f0b-4074-9a04-2a54978a5d8a',
      resourceVersion: '1023',
      generation: 1,
      creationTimestamp: '2026-11-22T08:04:21Z',
      managedFields: [{manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', time: '2026-11-22T08:04:21Z', fieldsType: 'FieldsV1', fieldsV1: {'f:spec': {'f:replicas': {}}}}],
    },
    spec: {
      replicas: 2,
      selector: {matchLabels: {app: 'web'}},
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25%', maxUnavailable: '25%'}},
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              ports: [{containerPort: 80, protocol: 'TCP'}, {containerPort: 443, protocol: 'TCP'}],
              env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}],
              resources: {},
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          securityContext: {},
          schedulerName: 'default-scheduler',
        },
      },
    },
    status: {
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        {type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: '2026-11-22T08:04:22Z', lastTransitionTime: '2026-11-22T08:04:22Z'},
        {type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-5d4f8c7b9" has successfully progressed.', lastUpdateTime: '2026-11-22T08:04:22Z', lastTransitionTime: '2026-11-22T08:04:21Z'},
      ],
    },
  }
}

export function livePod(): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: 'web-5d4f8c7b9-x2x7q',
      namespace: 'default',
      labels: {app: 'web', 'pod-template-hash': '5d4f8c7b9'},
      ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f8c7b9', uid: 'rs-uid-1', controller: true, blockOwnerDeletion: true}],
      uid: 'pod-uid-1',
      resourceVersion: '1030',
    },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.25',
          ports: [{containerPort: 80, protocol: 'TCP'}],
          volumeMounts: [{name: 'data', mountPath: '/data'}, {name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true}],
          args: ['--a', '--b'],
        },
      ],
      volumes: [{name: 'data', emptyDir: {}}, {name: 'kube-api-access', projected: {sources: [{serviceAccountToken: {path: 'token'}}]}}],
      tolerations: [{key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300}],
      nodeName: 'kcluster-node',
    },
    status: {
      phase: 'Running',
      conditions: [
        {type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-22T08:04:21Z'},
        {type: 'Ready', status: 'False', lastTransitionTime: '2026-11-22T08:04:21Z'},
      ],
      podIP: '10.244.0.5',
      podIPs: [{ip: '10.244.0.5'}],
      hostIPs: [{ip: '172.18.0.2'}],
    },
  }
}

export function liveService(): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'web', namespace: 'default', uid: 'svc-uid-1', resourceVersion: '1040'},
    spec: {
      type: 'NodePort',
      selector: {app: 'web'},
      clusterIP: '10.96.12.34',
      clusterIPs: ['10.96.12.34'],
      ports: [
        {name: 'http', port: 80, protocol: 'TCP', targetPort: 8080, nodePort: 30080},
        {name: 'https', port: 443, protocol: 'TCP', targetPort: 8443, nodePort: 30443},
      ],
      sessionAffinity: 'None',
    },
  }
}

export function liveConfigMap(): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name: 'cfg', namespace: 'default', uid: 'cm-uid-1', resourceVersion: '1050', finalizers: ['example.com/a', 'example.com/b']},
    data: {a: '1', b: '2'},
  }
}

export function liveNode(): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {name: 'kcluster-node', uid: 'node-uid-1', labels: {'kubernetes.io/hostname': 'kcluster-node'}},
    spec: {podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24']},
    status: {
      addresses: [{type: 'InternalIP', address: '172.18.0.2'}, {type: 'Hostname', address: 'kcluster-node'}],
      conditions: [
        {type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory'},
        {type: 'Ready', status: 'True', reason: 'KubeletReady'},
      ],
      capacity: {cpu: '4', memory: '8Gi', pods: '110'},
    },
  }
}
