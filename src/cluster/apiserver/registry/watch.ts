// API-level watch over the store: optional initial state (synthetic ADDED), then live events filtered
// by namespace and selectors. An object that stops matching a selector is reported as DELETED and
// one that starts matching as ADDED, as the real watch cache does.
import type {ResourceType} from '../../api/resources.js'
import {keyPrefix} from '../../api/resources.js'
import type {KubeObject} from '../../api/types.js'
import type {KeyValue, Store, StoreEvent} from '../../store/store.js'
import {decodeStored} from './codec.js'
import {withTypeMeta} from './object-registry.js'

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

export interface ApiWatchEvent {
  type: WatchEventType
  /** Shared between watchers: read it, never change it. */
  object: KubeObject
}

export interface WatchRequest {
  namespace?: string
  /** '' or '0': start with the current state as ADDED events. Otherwise: replay events after this revision. */
  resourceVersion?: string
  matches?: (obj: KubeObject) => boolean
}

export interface ApiWatch {
  /** The revision the watch started from (after the initial state, if any). */
  startRevision: number
  events: AsyncIterable<ApiWatchEvent>
  close(): void
}

/** Throws CompactedError (-> 410) synchronously when the requested revision is no longer retained. */
export async function watchObjects(store: Store, r: ResourceType, req: WatchRequest): Promise<ApiWatch> {
  const prefix = keyPrefix(r, req.namespace)
  const filtered = req.matches !== undefined
  const matches = req.matches ?? (() => true)
  const rv = req.resourceVersion
  let initial: KubeObject[] = []
  let from: number
  if (!rv || rv === '0') {
    const listed = await store.list(prefix)
    initial = await decodeInChunks(r, listed.items, matches)
    from = listed.revision
  } else {
    from = Number(rv)
  }
  const watch = store.watch(prefix, from)
  async function* events(): AsyncGenerator<ApiWatchEvent> {
    for (const object of initial) yield {type: 'ADDED', object}
    for await (const event of watch.events) {
      const translated = translate(r, event, filtered ? matches : undefined)
      if (translated) yield translated
    }
  }
  return {startRevision: from, events: events(), close: () => watch.close()}
}

// The store hands the same event to every watcher, so each value is parsed once for all of them.
// Watch consumers therefore treat event objects as read-only.
const decoded = new WeakMap<KeyValue, KubeObject>()

function decodeShared(kv: KeyValue, revision = kv.modRevision): KubeObject {
  let obj = decoded.get(kv)
  if (!obj) {
    obj = decodeStored(kv, revision)
    decoded.set(kv, obj)
  }
  return obj
}

// A relist of thousands of objects is decoded in slices with a turn of the event loop between them,
// so requests keep being answered while controllers catch up after a restart.
async function decodeInChunks(r: ResourceType, items: KeyValue[], matches: (obj: KubeObject) => boolean): Promise<KubeObject[]> {
  const out: KubeObject[] = []
  for (let i = 0; i < items.length; i += 250) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve))
    for (const kv of items.slice(i, i + 250)) {
      const obj = withTypeMeta(r, decodeStored(kv))
      if (matches(obj)) out.push(obj)
    }
  }
  return out
}

/** `matches` undefined: every object matches, so an update's previous value is never decoded. */
function translate(r: ResourceType, event: StoreEvent, matches: ((obj: KubeObject) => boolean) | undefined): ApiWatchEvent | undefined {
  if (event.type === 'DELETE') {
    const last = withTypeMeta(r, decodeShared(event.kv, event.revision))
    return !matches || matches(last) ? {type: 'DELETED', object: last} : undefined
  }
  const current = withTypeMeta(r, decodeShared(event.kv))
  if (!matches) return {type: event.created ? 'ADDED' : 'MODIFIED', object: current}
  const nowMatches = matches(current)
  if (event.created) return nowMatches ? {type: 'ADDED', object: current} : undefined
  // A replayed update whose previous state was compacted away: report it as a change if it matches.
  if (!event.prevKv) return nowMatches ? {type: 'MODIFIED', object: current} : undefined
  const before = withTypeMeta(r, decodeShared(event.prevKv))
  const beforeMatched = matches(before)
  if (nowMatches && beforeMatched) return {type: 'MODIFIED', object: current}
  if (nowMatches) return {type: 'ADDED', object: current}
  if (beforeMatched) return {type: 'DELETED', object: current}
  return undefined
}
