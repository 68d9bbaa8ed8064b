// One client of the load test: a seeded mix of reads and writes on its own ConfigMaps and Pods, plus
// deliberate races on a few ConfigMaps every client shares (stale updates, double creates and
// deletes), where 409 and 404 are the expected answers. Every other answer outside 2xx is a problem.
import type {Reply} from './child-cluster.js'
import {configMapBody, mergePatchFor, writeToken} from './configmap-content.js'
import type {Random} from './seeded-random.js'

export interface LoadRequester {
  request(method: string, path: string, body?: unknown, opts?: {contentType?: string}): Promise<Reply>
}

export interface LoadWrite {
  namespace: string
  resource: 'configmaps' | 'pods'
  name: string
  tier: string
  rv: number
}

export interface LoadStats {
  requests: number
  /** Expected 404/409 answers to the deliberate races. */
  raceRejections: number
  latenciesMs: number[]
  problems: string[]
  writes: LoadWrite[]
}

export const TIERS = ['a', 'b'] as const
export const SHARED_CONFIGMAPS = 3
const OWN_CONFIGMAPS = 6
const MAX_PODS = 4

/** Static for an object's lifetime, so a selector watcher's scope never changes under it. */
export function tierOf(name: string): string {
  let hash = 0
  for (const ch of name) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return TIERS[hash % TIERS.length]!
}

type Own = {name: string; index: number; token?: string; rv?: number}

export class LoadClient {
  private readonly configMaps: Own[]
  private pods: string[] = []
  private seq = 0
  private podSeq = 0

  constructor(
    readonly id: number,
    readonly namespace: string,
    private readonly random: Random,
    private readonly stats: LoadStats,
  ) {
    this.configMaps = Array.from({length: OWN_CONFIGMAPS}, (_, index) => ({name: `l${id}-cm${index}`, index}))
  }

  async run(api: LoadRequester, until: number): Promise<void> {
    while (Date.now() < until) await this.step(api)
  }

  /** Deletes everything this client still owns (the load's objects go before memory is measured). */
  async cleanUp(api: LoadRequester): Promise<void> {
    for (const own of this.configMaps.filter((o) => o.token)) await this.call(api, 'DELETE', this.path('configmaps', own.name), undefined, [200], own)
    for (const pod of this.pods) await this.call(api, 'DELETE', `${this.path('pods', pod)}?gracePeriodSeconds=0`, undefined, [200])
    this.pods = []
  }

  private path(resource: string, name?: string): string {
    return `/api/v1/namespaces/${this.namespace}/${resource}${name ? `/${name}` : ''}`
  }

  private async step(api: LoadRequester): Promise<void> {
    const roll = this.random.next()
    if (roll < 0.35) return this.configMapWrite(api)
    if (roll < 0.5) {
      const own = this.random.pick(this.configMaps)
      return void (await this.call(api, 'GET', this.path('configmaps', own.name), undefined, [own.token ? 200 : 404]))
    }
    if (roll < 0.6) return void (await this.call(api, 'GET', `${this.path('configmaps')}?labelSelector=tier%3D${this.random.pick(TIERS)}`, undefined, [200]))
    if (roll < 0.8) return this.podStep(api)
    return this.race(api)
  }

  private async configMapWrite(api: LoadRequester): Promise<void> {
    const own = this.random.pick(this.configMaps)
    const token = writeToken(this.id, own.index, ++this.seq)
    const extra = {tier: tierOf(own.name)}
    if (!own.token) {
      const reply = await this.call(api, 'POST', this.path('configmaps'), configMapBody(own.name, token, extra), [201], own)
      if (reply?.status === 201) own.token = token
      return
    }
    const roll = this.random.next()
    if (roll < 0.4) {
      const reply = await this.call(api, 'PUT', this.path('configmaps', own.name), configMapBody(own.name, token, extra, String(own.rv)), [200], own)
      if (reply?.status === 200) own.token = token
    } else if (roll < 0.75) {
      const reply = await this.call(api, 'PATCH', this.path('configmaps', own.name), mergePatchFor(own.token, token), [200], own, 'application/merge-patch+json')
      if (reply?.status === 200) own.token = token
    } else {
      const reply = await this.call(api, 'DELETE', this.path('configmaps', own.name), undefined, [200], own)
      if (reply?.status === 200) own.token = undefined
    }
  }

  private async podStep(api: LoadRequester): Promise<void> {
    const roll = this.random.next()
    if (this.pods.length < MAX_PODS && (roll < 0.3 || this.pods.length === 0)) {
      const name = `l${this.id}-p${++this.podSeq}`
      const body = {metadata: {name, labels: {tier: tierOf(name)}}, spec: {containers: [{name: 'c', image: 'busybox:1.36'}], terminationGracePeriodSeconds: 0}}
      const reply = await this.call(api, 'POST', this.path('pods'), body, [201], {name})
      if (reply?.status === 201) this.pods.push(name)
      return
    }
    const pod = this.random.pick(this.pods)
    if (roll < 0.5) await this.call(api, 'GET', this.path('pods', pod), undefined, [200])
    else if (roll < 0.65) await this.call(api, 'GET', `${this.path('pods')}?labelSelector=tier%3D${this.random.pick(TIERS)}`, undefined, [200])
    else if (roll < 0.85) {
      const patch = {metadata: {annotations: {'fault.kcluster.dev/touch': String(++this.seq)}}}
      await this.call(api, 'PATCH', this.path('pods', pod), patch, [200], {name: pod}, 'application/merge-patch+json')
    } else {
      const reply = await this.call(api, 'DELETE', `${this.path('pods', pod)}?gracePeriodSeconds=0`, undefined, [200], {name: pod})
      if (reply?.status === 200) this.pods = this.pods.filter((p) => p !== pod)
    }
  }

  // Races on purpose: every client of the namespace goes at the same few objects without coordination.
  private async race(api: LoadRequester): Promise<void> {
    const name = `shared-${this.random.int(0, SHARED_CONFIGMAPS - 1)}`
    const roll = this.random.next()
    const body = configMapBody(name, writeToken(this.id, 99, ++this.seq), {tier: tierOf(name)})
    if (roll < 0.35) return void (await this.call(api, 'POST', this.path('configmaps'), body, [201, 409], {name}))
    if (roll < 0.55) return void (await this.call(api, 'DELETE', this.path('configmaps', name), undefined, [200, 404], {name}))
    // A replace carrying a resourceVersion read a moment ago: another client may have written since.
    const read = await this.call(api, 'GET', this.path('configmaps', name), undefined, [200, 404])
    if (read?.status !== 200) return
    const stale = configMapBody(name, writeToken(this.id, 99, ++this.seq), {tier: tierOf(name)}, read.json.metadata.resourceVersion)
    await this.call(api, 'PUT', this.path('configmaps', name), stale, [200, 404, 409], {name})
  }

  /** One request; an answer outside `expected` or a failed connection is recorded as a problem. */
  private async call(api: LoadRequester, method: string, path: string, body: unknown, expected: number[], written?: {name: string; rv?: number}, contentType?: string): Promise<Reply | undefined> {
    const started = performance.now()
    this.stats.requests += 1
    let reply: Reply
    try {
      reply = await api.request(method, path, body, contentType ? {contentType} : undefined)
    } catch (error) {
      this.stats.problems.push(`${method} ${path}: ${(error as Error).message}`)
      return undefined
    } finally {
      this.stats.latenciesMs.push(performance.now() - started)
    }
    if (!expected.includes(reply.status)) {
      this.stats.problems.push(`${method} ${path}: ${reply.status} (expected ${expected.join('/')}) ${reply.text.slice(0, 200)}`)
      return reply
    }
    if (reply.status === 404 || reply.status === 409) this.stats.raceRejections += method === 'GET' ? 0 : 1
    if (written && method !== 'GET' && reply.status < 300) {
      const rv = Number(reply.json?.metadata?.resourceVersion)
      const resource = path.includes('/pods') ? 'pods' : 'configmaps'
      this.stats.writes.push({namespace: this.namespace, resource, name: written.name, tier: tierOf(written.name), rv})
      written.rv = rv
    }
    return reply
  }
}
