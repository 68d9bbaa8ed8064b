import {describe, expect, it} from 'vitest'
import {appContainerName, podHostname, sandboxContainerName} from '../../../../src/cluster/runtime/docker/container-names.js'
import {LABEL, appLabels, labelFilter, sandboxLabels, specFromLabels} from '../../../../src/cluster/runtime/docker/labels.js'
import type {ContainerSpec} from '../../../../src/cluster/runtime/runtime.js'

const spec: ContainerSpec = {
  namespace: 'team-a',
  podName: 'web-7d9f',
  podUid: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  containerName: 'nginx',
  image: 'nginx:1.27',
  restartCount: 2,
  command: ['nginx'],
  args: ['-g', 'daemon off;'],
  env: {MODE: 'prod'},
  memoryLimitBytes: 64 * 1024 * 1024,
}

describe('Docker labels', () => {
  it('round-trip an app container spec, optional fields included', () => {
    const labels = appLabels('dev', spec)
    expect(labels[LABEL.cluster]).toBe('dev')
    expect(labels[LABEL.role]).toBe('app')
    expect(labels[LABEL.restartCount]).toBe('2')
    expect(specFromLabels(labels, 'nginx:1.27')).toEqual(spec)
  })

  it('omit the spec label when no optional field is set', () => {
    const {command, args, env, memoryLimitBytes, ...bare} = spec
    void [command, args, env, memoryLimitBytes]
    const labels = appLabels('dev', bare)
    expect(labels[LABEL.spec]).toBeUndefined()
    expect(specFromLabels(labels, bare.image)).toEqual(bare)
  })

  it('do not turn a sandbox or a foreign container into a spec', () => {
    expect(specFromLabels(sandboxLabels('dev', spec), 'kcluster/pause:1')).toBeUndefined()
    expect(specFromLabels({'com.example': 'x'}, 'nginx')).toBeUndefined()
    expect(specFromLabels(undefined, 'nginx')).toBeUndefined()
  })

  it('keep the identity when the spec label is not JSON', () => {
    const labels = {...appLabels('dev', spec), [LABEL.spec]: '{broken'}
    expect(specFromLabels(labels, 'nginx:1.27')).toEqual({namespace: 'team-a', podName: 'web-7d9f', podUid: spec.podUid, containerName: 'nginx', image: 'nginx:1.27', restartCount: 2})
  })

  it('filter by cluster, role and only the pod fields that are given', () => {
    expect(labelFilter('dev', 'app', {[LABEL.podUid]: 'u1', [LABEL.podName]: undefined})).toEqual(['kcluster.io/cluster=dev', 'kcluster.io/role=app', 'kcluster.io/pod-uid=u1'])
    expect(labelFilter(undefined, 'sandbox')).toEqual(['kcluster.io/cluster', 'kcluster.io/role=sandbox'])
  })
})

describe('Docker container names', () => {
  it('follow the k8s_<container>_<pod>_<namespace>_<uid8>_<attempt> pattern', () => {
    expect(appContainerName(spec)).toBe('k8s_nginx_web-7d9f_team-a_0f1e2d3c_2')
    expect(sandboxContainerName(spec)).toBe('k8s_POD_web-7d9f_team-a_0f1e2d3c_0')
  })

  it('differ between restart attempts of the same container', () => {
    expect(appContainerName({...spec, restartCount: 3})).not.toBe(appContainerName(spec))
  })

  it('make hostnames of at most 63 characters that do not end in a dash', () => {
    expect(podHostname('web')).toBe('web')
    const long = `${'a'.repeat(62)}-b`
    expect(podHostname(long)).toBe('a'.repeat(62))
    expect(podHostname('x'.repeat(100))).toHaveLength(63)
  })
})
