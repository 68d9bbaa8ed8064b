// Polling the API server until it serves (`/readyz`) and until the cluster's Node reports Ready.
// Both loops are bounded by a deadline and give up early when `abandon` settles (the child died).
import {setTimeout as sleep} from 'node:timers/promises'
import type {Node} from 'kubernetes-types/core/v1.js'
import {KubeApiError, type HttpClient} from '../client/http-client.js'

export interface WaitOptions {
  timeoutMs: number
  pollMs?: number
  /** Settles with a reason when waiting is pointless (e.g. the control plane process exited). */
  abandon?: Promise<string>
}

export type WaitOutcome = {ok: true} | {ok: false; reason: string}

export async function waitForApi(client: HttpClient, options: WaitOptions): Promise<WaitOutcome> {
  return poll(options, async () => {
    const res = await client.request<string>({path: '/readyz', timeoutMs: 2000})
    return res.status === 200 ? undefined : `readyz answered ${res.status}`
  })
}

export async function waitForNodeReady(client: HttpClient, node: string, options: WaitOptions): Promise<WaitOutcome> {
  return poll(options, async () => {
    const body = await client.get<Node>(`/api/v1/nodes/${encodeURIComponent(node)}`, {timeoutMs: 2000})
    const ready = body.status?.conditions?.find((c) => c.type === 'Ready')
    if (ready?.status === 'True') return undefined
    return ready ? `node ${node} is not Ready: ${ready.reason ?? ready.status}${ready.message ? ` (${ready.message})` : ''}` : `node ${node} has no Ready condition yet`
  })
}

/** Calls `check` until it returns undefined (done); its last message or error is the reason on failure. */
async function poll(options: WaitOptions, check: () => Promise<string | undefined>): Promise<WaitOutcome> {
  const deadline = Date.now() + options.timeoutMs
  const pollMs = options.pollMs ?? 20
  let abandoned: string | undefined
  void options.abandon?.then((reason) => {
    abandoned = reason
  })
  let last = 'no answer yet'
  do {
    if (abandoned !== undefined) return {ok: false, reason: abandoned}
    try {
      const pending = await check()
      if (pending === undefined) return {ok: true}
      last = pending
    } catch (error) {
      last = error instanceof KubeApiError ? `${error.code} ${error.reason}: ${error.message}` : error instanceof Error ? error.message : String(error)
    }
    await sleep(pollMs)
  } while (Date.now() < deadline)
  if (abandoned !== undefined) return {ok: false, reason: abandoned}
  return {ok: false, reason: `timed out after ${Math.round(options.timeoutMs / 1000)}s (${last})`}
}
