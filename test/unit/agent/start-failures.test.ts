import {describe, expect, it} from 'vitest'
import type {Pod} from 'kubernetes-types/core/v1.js'
import {configError} from '../../../src/cluster/agent/container-config/config-error.js'
import type {KubeletEvents} from '../../../src/cluster/agent/kubelet-events.js'
import {StartFailures} from '../../../src/cluster/agent/start-failures.js'
import {ManualClock} from '../../../src/cluster/manual-clock.js'

const pod: Pod = {metadata: {name: 'web', namespace: 'default', uid: 'u1'}, spec: {nodeName: 'n1', containers: [{name: 'app', image: 'reg.local/app:1'}]}}
const app = pod.spec!.containers[0]!
const ID = 'u1/app'

function setUp() {
  const clock = new ManualClock()
  const recorded: string[] = []
  const events = {
    warning: (_p: Pod, _n: string, _c: string, reason: string, message: string) => recorded.push(`Warning ${reason}: ${message}`),
    normal: (_p: Pod, _n: string, _c: string, reason: string, message: string) => recorded.push(`Normal ${reason}: ${message}`),
  } as unknown as KubeletEvents
  return {clock, recorded, failures: new StartFailures({clock, events})}
}

describe('start failures', () => {
  it('shows a failed pull as ErrImagePull for a second, then ImagePullBackOff with its events, until the 10 s back-off ends', async () => {
    const {clock, recorded, failures} = setUp()
    failures.imageFailed(pod, app, Object.assign(new Error('Failed to pull image "reg.local/app:1": connection refused'), {code: 'ErrImagePull'}))
    expect(failures.pending(ID)).toEqual({waiting: {reason: 'ErrImagePull', message: 'Failed to pull image "reg.local/app:1": connection refused'}, wakeInMs: 1000})
    expect(recorded).toEqual(['Warning Failed: Failed to pull image "reg.local/app:1": connection refused', 'Warning Failed: Error: ErrImagePull'])
    await clock.advance(1000)
    expect(failures.pending(ID)).toEqual({waiting: {reason: 'ImagePullBackOff', message: 'Back-off pulling image "reg.local/app:1"'}, wakeInMs: 9000})
    expect(recorded.slice(2)).toEqual(['Normal BackOff: Back-off pulling image "reg.local/app:1"', 'Warning Failed: Error: ImagePullBackOff'])
    // The back-off events are recorded once per wait, not on every sync.
    failures.pending(ID)
    expect(recorded).toHaveLength(4)
    await clock.advance(9000)
    expect(failures.pending(ID)).toBeUndefined()
  })

  it('doubles the wait with each failure and starts over once the container starts', async () => {
    const {clock, failures} = setUp()
    const fail = () => failures.imageFailed(pod, app, Object.assign(new Error('no'), {code: 'ErrImageNeverPull'}))
    fail()
    expect(failures.pending(ID)?.wakeInMs).toBe(10_000)
    await clock.advance(10_000)
    fail()
    expect(failures.pending(ID)).toMatchObject({waiting: {reason: 'ErrImageNeverPull'}, wakeInMs: 20_000})
    failures.started(ID)
    expect(failures.pending(ID)).toBeUndefined()
    fail()
    expect(failures.pending(ID)?.wakeInMs).toBe(10_000)
  })

  it('waits 10 s on a configuration error as CreateContainerConfigError, and forgets a deleted pod', () => {
    const {recorded, failures} = setUp()
    failures.configFailed(pod, app, configError('configmap "settings" not found'))
    expect(failures.pending(ID)).toEqual({waiting: {reason: 'CreateContainerConfigError', message: 'configmap "settings" not found'}, wakeInMs: 10_000})
    expect(recorded).toEqual(['Warning Failed: Error: configmap "settings" not found'])
    failures.forgetPod('u1')
    expect(failures.pending(ID)).toBeUndefined()
  })

  it('shows another create failure under its code when it reads as a reason, else CreateContainerError', () => {
    const {failures} = setUp()
    failures.createFailed(pod, app, Object.assign(new Error('sandbox failed'), {code: 'SandboxError'}))
    expect(failures.pending(ID)?.waiting).toEqual({reason: 'SandboxError', message: 'sandbox failed'})
    failures.createFailed(pod, app, Object.assign(new Error('boom'), {code: 'ECONNRESET'}))
    expect(failures.pending(ID)?.waiting).toEqual({reason: 'CreateContainerError', message: 'boom'})
  })
})
