// Streams watch events as newline-delimited JSON, flushed one by one. Bookmarks only for clients that
// asked; a too-old resourceVersion is an ERROR event with a 410 Status, then the stream ends.
import {apiVersionOf} from '../../api/resources.js'
import {negotiate} from '../negotiation.js'
import {watchObjects} from '../registry/watch.js'
import {selectionFromQuery} from '../selection.js'
import {statusFromError} from '../status.js'
import {TABLE_CONTENT_TYPE} from '../response-shapes.js'
import {buildTable, tablePrinterFor} from '../tables/index.js'
import type {ResourceRequest} from '../handler-context.js'
import {CompactedError} from '../../store/store.js'
import {logger} from '../../log.js'

export async function handleWatch(rr: ResourceRequest): Promise<void> {
  const {info, resource, services, res} = rr
  const form = negotiate(rr.req.headers.accept, info.query)
  const matches = selectionFromQuery(resource, info.query)
  const wantsBookmarks = info.query.get('allowWatchBookmarks') === 'true'
  const timeoutSeconds = Number(info.query.get('timeoutSeconds') ?? 0)

  res.writeHead(200, {
    'Content-Type': form.form === 'table' ? TABLE_CONTENT_TYPE : 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  })
  res.flushHeaders()
  const write = (event: unknown) => res.write(JSON.stringify(event) + '\n')

  let watch
  try {
    watch = await watchObjects(services.store, resource, {namespace: info.namespace, resourceVersion: info.query.get('resourceVersion') ?? undefined, matches})
  } catch (error) {
    if (!(error instanceof CompactedError)) throw error
    write({type: 'ERROR', object: statusFromError(error)})
    res.end()
    return
  }
  const stop = () => watch.close()
  res.on('close', stop)
  services.shutdownSignal.addEventListener('abort', stop, {once: true})
  const timers: NodeJS.Timeout[] = []
  if (timeoutSeconds > 0) timers.push(setTimeout(stop, timeoutSeconds * 1000))
  let lastRevision = watch.startRevision
  if (wantsBookmarks)
    timers.push(
      setInterval(() => {
        // The last delivered revision is always safe to resume from.
        write({type: 'BOOKMARK', object: {kind: resource.kind, apiVersion: apiVersionOf(resource), metadata: {resourceVersion: String(lastRevision)}}})
      }, services.bookmarkIntervalMs),
    )
  let first = true
  try {
    for await (const event of watch.events) {
      lastRevision = Number(event.object.metadata.resourceVersion) || lastRevision
      if (form.form === 'table') {
        const table = buildTable(tablePrinterFor(resource), [event.object], {
          now: services.clock.now(),
          includeObject: form.includeObject,
          resourceVersion: event.object.metadata.resourceVersion ?? '',
          includeColumns: first,
        })
        write({type: event.type, object: table})
      } else {
        write(event)
      }
      first = false
    }
  } catch (error) {
    if (error instanceof CompactedError) write({type: 'ERROR', object: statusFromError(error)})
    else logger('watch').warn({err: error, resource: resource.plural}, 'watch ended with an error')
  } finally {
    for (const t of timers) clearTimeout(t)
    services.shutdownSignal.removeEventListener('abort', stop)
    res.off('close', stop)
    if (!res.writableEnded) res.end()
  }
}
