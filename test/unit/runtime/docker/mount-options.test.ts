import {describe, expect, it} from 'vitest'
import {appCreateOptions, mountSettings} from '../../../../src/cluster/runtime/docker/create-options.js'
import type {ContainerSpec} from '../../../../src/cluster/runtime/runtime.js'

const base: ContainerSpec = {namespace: 'default', podName: 'web', podUid: 'abcdef12-3456', containerName: 'app', image: 'busybox:1', restartCount: 0}

describe('Docker mounts for pod volumes', () => {
  it('bind-mount host paths with their read-only flag, then tmpfs mounts world-writable with their size', () => {
    const options = appCreateOptions('c', {
      ...base,
      mounts: [
        {hostPath: '/state/pods/u/volumes/kubernetes.io~configmap/cfg', containerPath: '/etc/cfg', readOnly: true},
        {hostPath: '/state/pods/u/volumes/kubernetes.io~empty-dir/scratch', containerPath: '/scratch', readOnly: false},
      ],
      tmpfs: [{containerPath: '/cache', sizeBytes: 1 << 20}, {containerPath: '/run/x'}],
    }, 'sb')
    expect(options.HostConfig?.Mounts).toEqual([
      {Type: 'bind', Source: '/state/pods/u/volumes/kubernetes.io~configmap/cfg', Target: '/etc/cfg', ReadOnly: true},
      {Type: 'bind', Source: '/state/pods/u/volumes/kubernetes.io~empty-dir/scratch', Target: '/scratch', ReadOnly: false},
      {Type: 'tmpfs', Source: '', Target: '/cache', TmpfsOptions: {SizeBytes: 1 << 20, Mode: 0o777}},
      {Type: 'tmpfs', Source: '', Target: '/run/x', TmpfsOptions: {SizeBytes: 0, Mode: 0o777}},
    ])
  })

  it('leave Mounts unset when the container mounts nothing', () => {
    expect(appCreateOptions('c', base, 'sb').HostConfig?.Mounts).toBeUndefined()
    expect(mountSettings({mounts: [], tmpfs: []})).toEqual([])
  })
})
