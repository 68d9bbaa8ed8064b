// Pod requests and node allocatable in numbers, as component-helpers' PodRequests computes them:
// regular containers are summed, sidecars (restartable init containers) add to that sum, and an
// ordinary init container counts only as the maximum with the sidecars started before it, since it
// runs to completion before the next one starts. Pod overhead is added on top.
import type {Container, Node, Pod} from 'kubernetes-types/core/v1.js'
import {toMilli, tryParseQuantity} from '../apiserver/strategies/quantity.js'
import type {ResourceAmounts} from './types.js'

/** kube-scheduler's defaults for a container without a cpu / memory request (scoring only). */
export const DEFAULT_MILLI_CPU_REQUEST = 100
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

type ResourceList = Record<string, unknown> | undefined

export function emptyAmounts(): ResourceAmounts {
  return {milliCpu: 0, memory: 0, ephemeralStorage: 0, scalars: {}}
}

/** Resources other than cpu/memory/storage/pods that the scheduler counts: extended ones and hugepages. */
export function isScalarResource(name: string): boolean {
  return name.includes('/') || name.startsWith('hugepages-')
}

/** Quantity.MilliValue() for cpu, Value() (rounded up) for the rest; malformed values count as 0. */
function amount(name: string, value: unknown): number {
  const q = tryParseQuantity(value)
  if (!q) return 0
  return name === 'cpu' ? Number(toMilli(q)) : Number((q.nano + 999_999_999n) / 1_000_000_000n)
}

export function amountsFromList(list: ResourceList): ResourceAmounts {
  const out = emptyAmounts()
  for (const [name, value] of Object.entries(list ?? {})) {
    if (name === 'cpu') out.milliCpu = amount(name, value)
    else if (name === 'memory') out.memory = amount(name, value)
    else if (name === 'ephemeral-storage') out.ephemeralStorage = amount(name, value)
    else if (isScalarResource(name)) out.scalars[name] = amount(name, value)
  }
  return out
}

export function addAmounts(into: ResourceAmounts, add: ResourceAmounts, sign = 1): void {
  into.milliCpu += sign * add.milliCpu
  into.memory += sign * add.memory
  into.ephemeralStorage += sign * add.ephemeralStorage
  for (const [name, value] of Object.entries(add.scalars)) into.scalars[name] = (into.scalars[name] ?? 0) + sign * value
}

function maxInto(into: ResourceAmounts, other: ResourceAmounts): void {
  into.milliCpu = Math.max(into.milliCpu, other.milliCpu)
  into.memory = Math.max(into.memory, other.memory)
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage)
  for (const [name, value] of Object.entries(other.scalars)) into.scalars[name] = Math.max(into.scalars[name] ?? 0, value)
}

function cloneAmounts(a: ResourceAmounts): ResourceAmounts {
  return {...a, scalars: {...a.scalars}}
}

/** A container's requests; with nonZero, a missing cpu or memory request takes the scheduler's default. */
function containerRequests(c: Container, nonZero: boolean): ResourceAmounts {
  const requests = c.resources?.requests as ResourceList
  const out = amountsFromList(requests)
  if (nonZero) {
    if (!requests || !Object.hasOwn(requests, 'cpu')) out.milliCpu = DEFAULT_MILLI_CPU_REQUEST
    if (!requests || !Object.hasOwn(requests, 'memory')) out.memory = DEFAULT_MEMORY_REQUEST
  }
  return out
}

function computeRequests(pod: Pod, nonZero: boolean): ResourceAmounts {
  const spec = pod.spec
  const total = emptyAmounts()
  for (const c of spec?.containers ?? []) addAmounts(total, containerRequests(c, nonZero))
  const sidecars = emptyAmounts()
  const initMax = emptyAmounts()
  for (const c of spec?.initContainers ?? []) {
    const requests = containerRequests(c, nonZero)
    if (c.restartPolicy === 'Always') {
      // A sidecar keeps running beside everything started after it.
      addAmounts(total, requests)
      addAmounts(sidecars, requests)
      maxInto(initMax, sidecars)
    } else {
      const during = cloneAmounts(requests)
      addAmounts(during, sidecars)
      maxInto(initMax, during)
    }
  }
  maxInto(total, initMax)
  addAmounts(total, amountsFromList(spec?.overhead as ResourceList))
  return total
}

export function podRequests(pod: Pod): ResourceAmounts {
  return computeRequests(pod, false)
}

export function podNonZeroRequests(pod: Pod): {milliCpu: number; memory: number} {
  const r = computeRequests(pod, true)
  return {milliCpu: r.milliCpu, memory: r.memory}
}

export function nodeAllocatable(node: Node): ResourceAmounts & {pods: number} {
  // Allocatable is what kubelet offers pods; a node that reports only capacity offers all of it.
  const list = (node.status?.allocatable ?? node.status?.capacity) as ResourceList
  const amounts = amountsFromList(list)
  const pods = list && Object.hasOwn(list, 'pods') ? amount('pods', list.pods) : 0
  return {...amounts, pods}
}
