import {describe, expect, it} from 'vitest'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {deploymentStrategy} from '../../../../src/cluster/apiserver/strategies/deployment-strategy.js'
import {clone, fakeContext, messages, object} from './fixtures.js'

const template = {metadata: {labels: {app: 'web'}}, spec: {containers: [{name: 'web', image: 'nginx'}]}}
const minimal = () => ({selector: {matchLabels: {app: 'web'}}, template: clone(template)})

function deployment(spec: Record<string, unknown>): KubeObject {
  const d = object('Deployment', 'apps/v1', {spec})
  deploymentStrategy.applyDefaults(d)
  return d
}

describe('deployment strategy', () => {
  it('defaults a minimal deployment like the real API server', () => {
    expect(deployment(minimal()).spec).toEqual({
      replicas: 1,
      selector: {matchLabels: {app: 'web'}},
      template: {
        metadata: {labels: {app: 'web'}},
        spec: {
          containers: [{
            name: 'web', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePath: '/dev/termination-log',
            terminationMessagePolicy: 'File', resources: {},
          }],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Always',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
          schedulerName: 'default-scheduler',
        },
      },
      strategy: {type: 'RollingUpdate', rollingUpdate: {maxUnavailable: '25%', maxSurge: '25%'}},
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    })
  })

  it('leaves a Recreate strategy without rollingUpdate', () => {
    expect(deployment({...minimal(), strategy: {type: 'Recreate'}}).spec).toMatchObject({strategy: {type: 'Recreate'}})
    expect((deployment({...minimal(), strategy: {type: 'Recreate'}}).spec as {strategy: unknown}).strategy).toEqual({type: 'Recreate'})
  })

  it('starts with an empty status and keeps the old one on update', async () => {
    const d = deployment(minimal())
    d.status = {replicas: 5}
    await deploymentStrategy.prepareForCreate(d, fakeContext())
    expect(d.status).toEqual({})
    const next = clone(d)
    next.status = {replicas: 9}
    await deploymentStrategy.prepareForUpdate(next, {...d, status: {replicas: 2}}, fakeContext())
    expect(next.status).toEqual({replicas: 2})
  })

  it('keeps spec and labels on a status update but takes status and annotations', () => {
    const old = deployment(minimal())
    old.metadata.labels = {team: 'a'}
    const next = clone(old)
    ;(next.spec as {replicas: number}).replicas = 7
    next.metadata.labels = {team: 'b'}
    next.metadata.annotations = {note: 'x'}
    next.status = {replicas: 3}
    deploymentStrategy.prepareForStatusUpdate(next, old)
    expect(next.spec).toEqual(old.spec)
    expect(next.metadata.labels).toEqual({team: 'a'})
    expect(next.metadata.annotations).toEqual({note: 'x'})
    expect(next.status).toEqual({replicas: 3})
  })

  it.each<[string, Record<string, unknown>, string[]]>([
    ['accepts a minimal deployment', minimal(), []],
    ['refuses negative replicas', {...minimal(), replicas: -1}, ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']],
    ['requires a selector (and a missing one selects no template)', {template: clone(template)}, [
      'spec.selector: Required value',
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]],
    ['refuses an empty selector', {selector: {}, template: clone(template)}, ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']],
    ['refuses a selector that does not match the template', {selector: {matchLabels: {app: 'db'}}, template: clone(template)}, [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]],
    ['accepts a matching matchExpressions selector', {selector: {matchExpressions: [{key: 'app', operator: 'In', values: ['web', 'api']}]}, template: clone(template)}, []],
    ['refuses an unknown selector operator', {selector: {matchExpressions: [{key: 'app', operator: 'Near', values: ['web']}]}, template: clone(template)}, [
      'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
      'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Near","values":["web"]}]}: invalid label selector',
    ]],
    ['refuses maxSurge and maxUnavailable both 0', {...minimal(), strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 0, maxUnavailable: '0%'}}}, [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
    ]],
    ['refuses a malformed percentage', {...minimal(), strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '25', maxUnavailable: 1}}}, [
      `spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
    ]],
    ['refuses maxUnavailable above 100%', {...minimal(), strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: 1, maxUnavailable: '150%'}}}, [
      'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
    ]],
    ['refuses an unknown strategy type', {...minimal(), strategy: {type: 'BlueGreen'}}, [
      'spec.strategy: Unsupported value: {"type":"BlueGreen"}: supported values: "Recreate", "RollingUpdate"',
    ]],
    ['refuses a negative revisionHistoryLimit', {...minimal(), revisionHistoryLimit: -1}, ['spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0']],
    ['refuses a template that does not restart Always', {...minimal(), template: {...clone(template), spec: {...template.spec, restartPolicy: 'Never'}}}, [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]],
    ['validates the template pod spec', {...minimal(), template: {...clone(template), spec: {containers: [{name: 'web'}]}}}, [
      'spec.template.spec.containers[0].image: Required value',
    ]],
    ['validates template labels under spec.template.labels', {selector: {matchLabels: {app: 'web'}}, template: {...clone(template), metadata: {labels: {app: 'web', 'bad key!': 'x'}}}}, [
      `spec.template.labels: Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]],
  ])('%s', (_title, spec, expected) => {
    expect(messages(deploymentStrategy.validate(deployment(spec)))).toEqual(expected)
  })

  it('refuses a selector change on update (apps/v1)', () => {
    const old = deployment(minimal())
    const next = clone(old)
    next.spec = {...(next.spec as object), selector: {matchLabels: {app: 'web', tier: 'fe'}}, template: {...clone(template), metadata: {labels: {app: 'web', tier: 'fe'}}}}
    deploymentStrategy.applyDefaults(next)
    expect(messages(deploymentStrategy.validateUpdate(next, old))).toEqual([
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"fe"}}: field is immutable',
    ])
  })

  it('allows scaling on update', () => {
    const old = deployment(minimal())
    const next = clone(old)
    ;(next.spec as {replicas: number}).replicas = 3
    expect(deploymentStrategy.validateUpdate(next, old)).toEqual([])
  })
})
