import type {ServerResponse} from 'node:http'
import {notFound} from '../../api/errors.js'
import {openApiV3Document, openApiV3Root} from '../openapi/index.js'
import {sendJson} from '../status.js'

export function handleOpenApi(path: string, res: ServerResponse): void {
  if (path === '/openapi/v3' || path === '/openapi/v3/') {
    sendJson(res, 200, openApiV3Root())
    return
  }
  if (path.startsWith('/openapi/v3/')) {
    const doc = openApiV3Document(path.slice('/openapi/v3/'.length))
    if (!doc) throw notFound({group: '', resource: 'openapi'}, path)
    // The hash in the URL changes whenever the document does, so clients may cache it forever.
    res.writeHead(200, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(doc.body), 'Cache-Control': 'public, immutable', Etag: `"${doc.hash}"`})
    res.end(doc.body)
    return
  }
  // /openapi/v2 is protobuf-only for kubectl; a 404 makes it fall back to compiled-in metadata.
  throw notFound({group: '', resource: 'openapi'}, path)
}
