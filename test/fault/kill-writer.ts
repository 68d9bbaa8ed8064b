// One client of the kill test: owns a few ConfigMaps and creates, replaces, merge-patches and deletes
// them until its connection fails. It knows what each object must look like: the last acknowledged
// write, or (after a write whose answer never came) either the state before or the state after it.
import type {Reply} from './child-cluster.js'
import {configMapBody, contentProblem, mergePatchFor, tokenOf, writeToken} from './configmap-content.js'
import type {Random} from './seeded-random.js'
import type {WriteLedger} from './write-ledger.js'

type State = {exists: false} | {exists: true; token: string; rv: number}

interface Owned {
  name: string
  index: number
  state: State
  /** The state an unacknowledged write would have left (its rv unknown). */
  maybe?: {op: string; after: State}
}

export interface Requester {
  request(method: string, path: string, body?: unknown, opts?: {contentType?: string}): Promise<Reply>
}

export class KillWriter {
  private readonly objects: Owned[]
  private seq = 0
  private lastAck = 0

  constructor(
    readonly id: number,
    readonly namespace: string,
    objectCount: number,
    private readonly random: Random,
    private readonly ledger: WriteLedger,
  ) {
    this.objects = Array.from({length: objectCount}, (_, index) => ({name: `w${id}-o${index}`, index, state: {exists: false}}))
  }

  /** Writes until a request fails (the control plane died) or `stopped()`; never throws. */
  async run(cluster: Requester, stopped: () => boolean): Promise<number> {
    let writes = 0
    while (!stopped()) {
      const target = this.random.pick(this.objects)
      try {
        await this.writeOnce(cluster, target)
        writes += 1
      } catch {
        // No answer: the write may or may not have committed. The next list decides which.
        this.ledger.unacked += 1
        return writes
      }
    }
    return writes
  }

  /** Checks every owned object against the list after a restart and adopts what is there. */
  reconcile(listed: Map<string, any>): void {
    for (const owned of this.objects) {
      const object = listed.get(owned.name)
      const problem = contentProblem(object)
      if (problem) this.ledger.problems.push(problem)
      const actual: State = object ? {exists: true, token: tokenOf(object)!, rv: Number(object.metadata.resourceVersion)} : {exists: false}
      const where = `${this.namespace}/${owned.name}`
      if (owned.maybe) {
        const {op, after} = owned.maybe
        if (sameContent(actual, after)) {
          this.ledger.unackedApplied += 1
          if (actual.exists && owned.state.exists && actual.rv <= owned.state.rv) this.ledger.problems.push(`${where}: unacknowledged ${op} applied at ${actual.rv}, not after ${owned.state.rv}`)
        } else if (!sameState(actual, owned.state)) {
          this.ledger.problems.push(`${where}: after an unacknowledged ${op} found ${show(actual)}, expected ${show(owned.state)} or ${show(after)}`)
        }
      } else if (!sameState(actual, owned.state)) {
        this.ledger.problems.push(`${where}: acknowledged ${show(owned.state)} but found ${show(actual)}`)
      }
      owned.state = actual
      owned.maybe = undefined
    }
  }

  private path(name?: string): string {
    return `/api/v1/namespaces/${this.namespace}/configmaps${name ? `/${name}` : ''}`
  }

  private async writeOnce(cluster: Requester, owned: Owned): Promise<void> {
    const state = owned.state
    const token = writeToken(this.id, owned.index, ++this.seq)
    let op: 'create' | 'update' | 'patch' | 'delete'
    let send: () => Promise<Reply>
    if (!state.exists) {
      op = 'create'
      send = () => cluster.request('POST', this.path(), configMapBody(owned.name, token))
    } else {
      const roll = this.random.next()
      op = roll < 0.4 ? 'update' : roll < 0.7 ? 'patch' : 'delete'
      if (op === 'update') send = () => cluster.request('PUT', this.path(owned.name), configMapBody(owned.name, token, {}, String(state.rv)))
      else if (op === 'patch') send = () => cluster.request('PATCH', this.path(owned.name), mergePatchFor(state.token, token), {contentType: 'application/merge-patch+json'})
      else send = () => cluster.request('DELETE', this.path(owned.name))
    }
    const after: State = op === 'delete' ? {exists: false} : {exists: true, token, rv: 0}
    owned.maybe = {op, after}
    const reply = await send()
    owned.maybe = undefined
    const expected = op === 'create' ? 201 : 200
    if (reply.status !== expected) {
      this.ledger.problems.push(`${op} ${this.namespace}/${owned.name}: ${reply.status} ${reply.text.slice(0, 300)}`)
      return
    }
    const rv = Number(reply.json.metadata.resourceVersion)
    if (!(rv > this.lastAck)) this.ledger.problems.push(`client ${this.id}: ${op} acknowledged at ${rv}, not after its previous ack ${this.lastAck}`)
    this.lastAck = rv
    this.ledger.ack({namespace: this.namespace, name: owned.name, op, rv})
    owned.state = op === 'delete' ? {exists: false} : {exists: true, token, rv}
  }
}

function sameContent(a: State, b: State): boolean {
  return a.exists === b.exists && (!a.exists || (b.exists && a.token === b.token))
}

function sameState(a: State, b: State): boolean {
  return sameContent(a, b) && (!a.exists || (b.exists && a.rv === b.rv))
}

function show(state: State): string {
  return state.exists ? `${state.token}@${state.rv}` : 'absent'
}
