// Reads and decodes request bodies: a size limit first (the real server caps at 3 MiB), then the
// Content-Type decides the decoder. Every failure is a 4xx Status, never a crash.
import type {IncomingMessage} from 'node:http'
import {parseDocument} from 'yaml'
import {ApiError, badRequest, unsupportedMediaType} from '../api/errors.js'
import {isPlainObject} from '../api/types.js'
import {decodeProtobufObject} from './protobuf/decode.js'

export const MAX_BODY_BYTES = 3 * 1024 * 1024

export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > limit) {
    req.resume()
    throw tooLarge(limit)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) {
      req.resume()
      throw tooLarge(limit)
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`)
}

export type BodyFormat = 'json' | 'yaml' | 'protobuf'

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase()
}

/** Decode an object body (create/update). A missing Content-Type is JSON (kubectl's PUT on /scale sends none). */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): {object: Record<string, unknown>; warnings: string[]} {
  const type = mediaType(contentType)
  if (type === 'application/vnd.kubernetes.protobuf') {
    const {object, warnings} = decodeProtobufObject(body)
    return {object: object as Record<string, unknown>, warnings}
  }
  if (type === '' || type === 'application/json' || type === '*/*') return {object: requireObject(parseJson(body)), warnings: []}
  if (type === 'application/yaml') return {object: requireObject(parseYaml(body)), warnings: []}
  throw unsupportedMediaType(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`)
}

export function parseJson(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('the request body is empty; expected a JSON object')
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (error) {
    throw badRequest(`the request body is not valid JSON: ${(error as Error).message}`)
  }
}

/** YAML 1.1 (as Kubernetes' go-yaml parses it), bounded against alias bombs. */
export function parseYaml(body: Buffer): unknown {
  if (body.length === 0) throw badRequest('the request body is empty')
  const doc = parseDocument(body.toString('utf8'), {version: '1.1', uniqueKeys: true, prettyErrors: true})
  if (doc.errors.length > 0) {
    const e = doc.errors[0]
    const where = e.linePos ? ` (line ${e.linePos[0].line}, column ${e.linePos[0].col})` : ''
    throw badRequest(`error converting YAML to JSON: ${e.message.split('\n')[0]}${where}`)
  }
  try {
    return doc.toJS({maxAliasCount: 100})
  } catch (error) {
    throw badRequest(`error converting YAML to JSON: ${(error as Error).message}`)
  }
}

function requireObject(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw badRequest(`the request body must be a JSON object, not ${Array.isArray(value) ? 'an array' : typeof value}`)
  return value
}
