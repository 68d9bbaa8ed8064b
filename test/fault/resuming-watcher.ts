// A client-side watch cache built the way an informer builds one: list, then watch from the list's
// resourceVersion; after a disconnect it resumes from the last revision it saw, and on 410 Gone it
// relists. It records every problem it sees (out-of-order or duplicate revisions, unexpected errors,
// objects that fail `check`) instead of throwing, so the test reports them all at the end.
import type {Reply} from './child-cluster.js'
import type {Tls} from './child-cluster.js'
import {openWatch, type WatchConnection, type WatchLine} from './watch-client.js'

export interface WatchTarget {
  port: number
  tls: Tls
  request(method: string, path: string): Promise<Reply>
}

export interface ResumingWatcherOptions {
  /** Collection path, e.g. /api/v1/namespaces/ns/configmaps. */
  path: string
  labelSelector?: string
  /** Returns a problem description for an object that must not be served (e.g. half-applied). */
  check?: (object: any) => string | undefined
}

export class ResumingWatcher {
  /** name -> resourceVersion of every object the watcher believes exists. */
  readonly cache = new Map<string, number>()
  /** Every event revision delivered since `coveredFrom`. */
  readonly seen = new Set<number>()
  readonly problems: string[] = []
  /** Revision from which `seen` is complete (the last list's resourceVersion). */
  coveredFrom = 0
  lastRv = 0
  resumes = 0
  gone = 0
  events = 0
  private connection: WatchConnection | undefined
  private relisting: Promise<void> = Promise.resolve()

  constructor(readonly options: ResumingWatcherOptions) {}

  get connected(): boolean {
    return this.connection !== undefined
  }

  /** Lists and watches from the list's revision. */
  async start(target: WatchTarget): Promise<void> {
    await this.relist(target)
    this.connect(target)
  }

  /**
   * Watches again from the last revision seen (after a restart). If the server answers 410 Gone, the
   * watcher relists and watches from the list's revision by itself, as a reflector does.
   */
  resume(target: WatchTarget): void {
    this.resumes += 1
    this.connect(target)
  }

  disconnect(): void {
    const connection = this.connection
    this.connection = undefined
    connection?.close()
  }

  /** Settles once a 410-triggered relist (if any) has finished. */
  async idle(): Promise<void> {
    await this.relisting
  }

  private query(extra: Record<string, string>): string {
    const params = new URLSearchParams(extra)
    if (this.options.labelSelector) params.set('labelSelector', this.options.labelSelector)
    return `${this.options.path}?${params}`
  }

  private async relist(target: WatchTarget): Promise<void> {
    const reply = await target.request('GET', this.query({}))
    if (reply.status !== 200) throw new Error(`list ${this.options.path}: ${reply.status} ${reply.text}`)
    this.cache.clear()
    this.seen.clear()
    for (const item of reply.json.items as any[]) {
      this.inspect(item)
      this.cache.set(item.metadata.name, Number(item.metadata.resourceVersion))
    }
    this.lastRv = Number(reply.json.metadata.resourceVersion)
    this.coveredFrom = this.lastRv
  }

  private connect(target: WatchTarget): void {
    let gone = false
    const connection = openWatch(target, this.query({watch: '1', resourceVersion: String(this.lastRv), allowWatchBookmarks: 'true'}), (line) => {
      if (this.connection !== connection) return
      if (line.type === 'ERROR' && line.object?.code === 410) gone = true
      else this.apply(line)
    })
    this.connection = connection
    void connection.ended.then(() => {
      if (this.connection !== connection) return
      this.connection = undefined
      if (!gone) return
      this.gone += 1
      this.relisting = this.relist(target).then(
        () => this.connect(target),
        // The control plane died during the relist: the next resume() starts from lastRv again.
        () => undefined,
      )
    })
  }

  private apply(line: WatchLine): void {
    if (line.type === 'ERROR') {
      this.problems.push(`${this.options.path}: unexpected ERROR ${JSON.stringify(line.object)}`)
      return
    }
    const rv = Number(line.object?.metadata?.resourceVersion)
    if (line.type === 'BOOKMARK') {
      if (rv < this.lastRv) this.problems.push(`${this.options.path}: bookmark ${rv} behind ${this.lastRv}`)
      else this.lastRv = rv
      return
    }
    this.events += 1
    const name = line.object.metadata.name as string
    if (!(rv > this.lastRv)) this.problems.push(`${this.options.path}: ${line.type} ${name} at ${rv} after ${this.lastRv} (out of order or duplicated)`)
    if (this.seen.has(rv)) this.problems.push(`${this.options.path}: revision ${rv} delivered twice`)
    this.seen.add(rv)
    this.lastRv = Math.max(this.lastRv, rv)
    this.inspect(line.object)
    if (line.type === 'DELETED') this.cache.delete(name)
    else if (line.type === 'ADDED' || line.type === 'MODIFIED') this.cache.set(name, rv)
    else this.problems.push(`${this.options.path}: unknown event type ${line.type}`)
  }

  private inspect(object: any): void {
    const problem = this.options.check?.(object)
    if (problem) this.problems.push(`${this.options.path}: ${problem}`)
  }
}
