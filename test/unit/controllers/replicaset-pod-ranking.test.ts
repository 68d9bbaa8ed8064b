import {describe, expect, it} from 'vitest'
import {deletionCost, podsToDelete, POD_DELETION_COST} from '../../../src/cluster/controllers/pod-ranking.js'
import {podObject} from './replicaset-fixtures.js'

const NOW = new Date('2026-01-01T12:00:00Z')
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000)
const names = (pods: Array<{metadata?: {name?: string}}>) => pods.map((p) => p.metadata?.name)
const first = (pods: ReturnType<typeof podObject>[], related = pods) => names(podsToDelete(pods, related, 1, NOW.getTime()))[0]

describe('podsToDelete (ActivePodsWithRanks order)', () => {
  it('deletes an unscheduled pod before a scheduled one, whatever else differs', () => {
    const scheduled = podObject('scheduled', {nodeName: 'n1', phase: 'Pending'})
    const unscheduled = podObject('unscheduled', {phase: 'Running', readySince: ago(1000)})
    expect(first([scheduled, unscheduled])).toBe('unscheduled')
  })

  it('deletes Pending before Unknown before Running', () => {
    const pods = [podObject('running', {nodeName: 'n', phase: 'Running'}), podObject('unknown', {nodeName: 'n', phase: 'Unknown'}), podObject('pending', {nodeName: 'n', phase: 'Pending'})]
    expect(names(podsToDelete(pods, pods, 2, NOW.getTime()))).toEqual(['pending', 'unknown'])
  })

  it('deletes a not-ready pod before a ready one', () => {
    expect(first([podObject('ready', {nodeName: 'n', readySince: ago(10)}), podObject('not-ready', {nodeName: 'n'})])).toBe('not-ready')
  })

  it('deletes the pod with the lower pod-deletion-cost first', () => {
    const cheap = podObject('cheap', {nodeName: 'n', annotations: {[POD_DELETION_COST]: '-5'}})
    const dear = podObject('dear', {nodeName: 'n', annotations: {[POD_DELETION_COST]: '100'}})
    expect(first([dear, cheap])).toBe('cheap')
  })

  it('reads an unparsable or out-of-range deletion cost as 0', () => {
    expect(deletionCost(podObject('a', {annotations: {[POD_DELETION_COST]: '+3'}}))).toBe(0)
    expect(deletionCost(podObject('b', {annotations: {[POD_DELETION_COST]: '4294967296'}}))).toBe(0)
    expect(deletionCost(podObject('c', {annotations: {[POD_DELETION_COST]: '-7'}}))).toBe(-7)
  })

  it('deletes a pod doubled up on a node before a lone one', () => {
    const a = podObject('a', {nodeName: 'n1'})
    const b = podObject('b', {nodeName: 'n1'})
    const lone = podObject('lone', {nodeName: 'n2'})
    const toDelete = first([lone, a, b])
    expect(['a', 'b']).toContain(toDelete)
  })

  it('deletes the pod ready for less time first when their ages differ by a log2 bucket', () => {
    const old = podObject('old', {nodeName: 'n', readySince: ago(600)})
    const fresh = podObject('fresh', {nodeName: 'n', readySince: ago(10)})
    expect(first([old, fresh])).toBe('fresh')
  })

  it('treats ready times in the same log2 bucket as equal and orders those by uid', () => {
    // 5 s and 7 s ago fall in the same floor(log2(ns)) bucket (32).
    const a = podObject('a', {nodeName: 'n', readySince: ago(5), uid: 'uid-b', restarts: 0})
    const b = podObject('b', {nodeName: 'n', readySince: ago(7), uid: 'uid-a', restarts: 0})
    expect(first([a, b])).toBe('b')
  })

  it('deletes the pod with more restarts first', () => {
    const t = ago(100)
    expect(first([podObject('calm', {nodeName: 'n', readySince: t}), podObject('flappy', {nodeName: 'n', readySince: t, restarts: 4})])).toBe('flappy')
  })

  it('deletes the newest pod first when everything else is equal', () => {
    const older = podObject('older', {nodeName: 'n', creationTimestamp: '2026-01-01T10:00:00Z'})
    const newer = podObject('newer', {nodeName: 'n', creationTimestamp: '2026-01-01T11:59:00Z'})
    const unknownAge = podObject('no-timestamp', {nodeName: 'n'})
    const pods = [older, newer, unknownAge]
    expect(names(podsToDelete(pods, pods, 3, NOW.getTime()))).toEqual(['older', 'newer', 'no-timestamp'])
    expect(names(podsToDelete(pods, pods, 2, NOW.getTime()))).toEqual(['no-timestamp', 'newer'])
  })

  it('returns every pod, unsorted, when all of them go', () => {
    const pods = [podObject('a', {nodeName: 'n', readySince: ago(5)}), podObject('b')]
    expect(names(podsToDelete(pods, pods, 5, NOW.getTime()))).toEqual(['a', 'b'])
  })
})
