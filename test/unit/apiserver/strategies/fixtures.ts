// Shared test helpers: rendered error messages and a fake StrategyContext that records allocations.
import {formatFieldError, type FieldError} from '../../../../src/cluster/api/errors.js'
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import {systemClock} from '../../../../src/cluster/clock.js'
import type {StrategyContext} from '../../../../src/cluster/apiserver/strategies/strategy.js'

export function messages(errors: FieldError[]): string[] {
  return errors.map(formatFieldError)
}

export interface FakeContext extends StrategyContext {
  clusterIPRequests: Array<string | undefined>
  nodePortRequests: Array<number | undefined>
}

export function fakeContext(): FakeContext {
  let nextIP = 10
  let nextPort = 30000
  const ctx: FakeContext = {
    clock: systemClock,
    clusterIPRequests: [],
    nodePortRequests: [],
    async allocateClusterIP(requested) {
      ctx.clusterIPRequests.push(requested)
      return requested ?? `10.96.0.${nextIP++}`
    },
    async allocateNodePort(requested) {
      ctx.nodePortRequests.push(requested)
      return requested ?? nextPort++
    },
  }
  return ctx
}

export function object(kind: string, apiVersion: string, body: Partial<KubeObject> & Record<string, unknown>, namespace: string | null = 'default'): KubeObject {
  const metadata = {name: 'web', ...(namespace ? {namespace} : {}), ...(body.metadata ?? {})}
  return {apiVersion, kind, ...body, metadata}
}

export function clone<T>(value: T): T {
  return structuredClone(value)
}
