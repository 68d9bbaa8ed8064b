import {describe, expect, it} from 'vitest'
import {parseLdd} from '../../../../src/cluster/runtime/docker/net-container.js'

describe('the libraries kcluster-net mounts for node', () => {
  it('takes the resolved paths and the loader from ldd output, once each', () => {
    const output = [
      '\tlinux-vdso.so.1 (0x00007ffd)',
      '\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x00007f0d)',
      '\tlibstdc++.so.6 => /lib/x86_64-linux-gnu/libstdc++.so.6 (0x00007f0e)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0f)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007f10)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f0f)',
    ].join('\n')
    expect(parseLdd(output)).toEqual(['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libstdc++.so.6', '/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'])
  })
})
