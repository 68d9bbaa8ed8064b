// grpc probes as pkg/probe/grpc does them: one grpc.health.v1.Health/Check call over plaintext HTTP/2,
// SERVING is success, everything else a failure with the kubelet's texts. The request and response are
// one-field protobuf messages, encoded by hand rather than pulling in a gRPC library.
import {connect, constants, type ClientHttp2Session} from 'node:http2'
import {joinHostPort} from './go-net-errors.js'
import {PROBE_USER_AGENT} from './http-probe.js'
import {failure, success, type ProbeOutcome} from './probe-outcome.js'

const SERVING_STATUS = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN']
const GRPC_CODES = ['OK', 'Canceled', 'Unknown', 'InvalidArgument', 'DeadlineExceeded', 'NotFound', 'AlreadyExists', 'PermissionDenied',
  'ResourceExhausted', 'FailedPrecondition', 'Aborted', 'OutOfRange', 'Unimplemented', 'Internal', 'Unavailable', 'DataLoss', 'Unauthenticated']

export function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port)
  const within = `${timeoutMs / 1000}s`
  return new Promise((resolve) => {
    let connected = false
    let settled = false
    let session: ClientHttp2Session | undefined
    const finish = (outcome: ProbeOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      session?.destroy()
      resolve(outcome)
    }
    // grpc-go dials with WithBlock: a refused connection is retried until the deadline, then reported as such.
    const connectTimeout = () => failure(`timeout: failed to connect service ${JSON.stringify(addr)} within ${within}: context deadline exceeded`)
    const timer = setTimeout(() => finish(connected ? failure(`timeout: health rpc did not complete within ${within}`) : connectTimeout()), timeoutMs)
    session = connect(`http://${addr}`)
    session.on('error', () => finish(connected ? failure('error: health rpc probe failed: rpc error: code = Unavailable desc = connection closed') : connectTimeout()))
    session.on('connect', () => {
      connected = true
      const call = session!.request({
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check',
        'content-type': 'application/grpc',
        te: 'trailers',
        'user-agent': PROBE_USER_AGENT,
      })
      const chunks: Buffer[] = []
      let grpcStatus: string | undefined
      let grpcMessage = ''
      const note = (headers: Record<string, unknown>) => {
        if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status'])
        if (headers['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(headers['grpc-message']))
      }
      call.on('response', note)
      call.on('trailers', note)
      call.on('data', (chunk: Buffer) => chunks.push(chunk))
      call.on('error', (error) => finish(failure(`error: health rpc probe failed: ${error.message}`)))
      call.on('end', () => finish(verdict(grpcStatus, grpcMessage, Buffer.concat(chunks))))
      call.end(frame(encodeRequest(service)))
    })
  })
}

function verdict(grpcStatus: string | undefined, message: string, body: Buffer): ProbeOutcome {
  const code = Number(grpcStatus ?? '2')
  if (code === 12) return failure(`error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${message}`)
  if (code !== 0) return failure(`error: health rpc probe failed: rpc error: code = ${GRPC_CODES[code] ?? `Code(${code})`} desc = ${message}`)
  const status = decodeStatus(body.subarray(5))
  if (status !== 1) return failure(`service unhealthy (responded with ${JSON.stringify(SERVING_STATUS[status] ?? String(status))})`)
  return success('service healthy')
}

/** HealthCheckRequest{service}: field 1, length-delimited; proto3 leaves an empty string out. */
function encodeRequest(service: string): Buffer {
  const bytes = Buffer.from(service, 'utf8')
  return bytes.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a]), varint(bytes.length), bytes])
}

/** HealthCheckResponse.status: field 1, varint; absent means 0 (UNKNOWN). */
function decodeStatus(message: Buffer): number {
  for (let i = 0; i < message.length;) {
    const tag = message[i++] ?? 0
    let value = 0
    for (let shift = 0; i < message.length; shift += 7) {
      const b = message[i++] ?? 0
      value |= (b & 0x7f) << shift
      if ((b & 0x80) === 0) break
    }
    if (tag === 0x08) return value
    if ((tag & 7) === 2) i += value
  }
  return 0
}

/** The gRPC message frame: not compressed, 4-byte big-endian length. */
function frame(message: Buffer): Buffer {
  const header = Buffer.alloc(5)
  header.writeUInt32BE(message.length, 1)
  return Buffer.concat([header, message])
}

function varint(n: number): Buffer {
  const out: number[] = []
  for (let v = n; ; v >>>= 7) {
    if (v < 0x80) {
      out.push(v)
      break
    }
    out.push((v & 0x7f) | 0x80)
  }
  return Buffer.from(out)
}
