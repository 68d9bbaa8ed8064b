import {readFileSync} from 'node:fs'
import {describe, expect, it} from 'vitest'
import {decodeProtobufObject} from '../../../../src/cluster/apiserver/protobuf/decode.js'
import type {Capture} from '../../../fixtures/protobuf/wire-builder.js'

const captures = JSON.parse(readFileSync(new URL('../../../fixtures/protobuf/captures.json', import.meta.url), 'utf8')) as Capture[]

// What `kubectl <command> --dry-run=client -o json` prints for the same object, minus the
// `creationTimestamp: null` entries (a zero metav1.Time is omitted rather than printed as null).
const EXPECTED: Record<string, Record<string, unknown>> = {
  namespace: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'ns1'}, spec: {}, status: {}},
  configmap: {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'c1'}, data: {a: 'b'}},
  secret: {apiVersion: 'v1', kind: 'Secret', metadata: {name: 's1'}, data: {a: 'Yg=='}},
  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {name: 'svc1', labels: {app: 'svc1'}},
    spec: {ports: [{name: '80-80', protocol: 'TCP', port: 80, targetPort: 80}], selector: {app: 'svc1'}, type: 'ClusterIP'},
    status: {loadBalancer: {}},
  },
  deployment: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {name: 'd1', labels: {app: 'd1'}},
    spec: {
      replicas: 1,
      selector: {matchLabels: {app: 'd1'}},
      template: {metadata: {labels: {app: 'd1'}}, spec: {containers: [{name: 'nginx', image: 'nginx', resources: {}}]}},
      strategy: {},
    },
    status: {},
  },
  job: {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {name: 'j1'},
    spec: {template: {metadata: {}, spec: {containers: [{name: 'j1', image: 'busybox', resources: {}}], restartPolicy: 'Never'}}},
    status: {},
  },
  token: {apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', metadata: {}, spec: {}, status: {token: ''}},
  ssar: {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    metadata: {},
    spec: {resourceAttributes: {namespace: 'default', verb: 'create', resource: 'pods'}},
    status: {allowed: false},
  },
  ssrr: {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectRulesReview',
    metadata: {},
    spec: {namespace: 'default'},
    status: {incomplete: false},
  },
  whoami: {apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: {userInfo: {}}},
}

describe('decodeProtobufObject on bodies captured from kubectl 1.32', () => {
  it('has an expected object for every capture', () => {
    expect(captures.map((c) => c.name).sort()).toEqual(Object.keys(EXPECTED).sort())
  })

  for (const capture of captures) {
    it(`decodes "${capture.command}" to the object kubectl would send as JSON`, () => {
      const {object, warnings} = decodeProtobufObject(Buffer.from(capture.hex, 'hex'))
      expect(object).toEqual(EXPECTED[capture.name])
      expect(warnings).toEqual([])
    })
  }

  it('produces JSON that round-trips through JSON.stringify unchanged', () => {
    for (const capture of captures) {
      const {object} = decodeProtobufObject(Buffer.from(capture.hex, 'hex'))
      expect(JSON.parse(JSON.stringify(object))).toEqual(object)
    }
  })
})
