// The two ways a protobuf body is refused, worded so kubectl's "Error from server (...)" line says what
// was wrong. Every failure inside the decoder goes through these, so callers only ever see ApiError.
import {ApiError} from '../../api/errors.js'

/** 400: the bytes are not a well-formed Kubernetes protobuf object (bad magic, lying length, ...). */
export function malformed(detail: string): ApiError {
  return new ApiError(400, 'BadRequest', `the object provided is unrecognized / could not be decoded as protobuf: ${detail}`)
}

/** 415: the envelope is fine but we carry no schema for its apiVersion/kind; the client should send JSON. */
export function unsupportedKind(): ApiError {
  return new ApiError(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml')
}
