// Broken upgrades on pods/exec, pods/attach and pods/portforward: bad WebSocket and SPDY handshakes,
// then garbage WebSocket frames and SPDY frames (random, truncated, lying lengths, bad header blocks)
// after a good one. The server must answer a refused handshake with a 4xx, and never crash or wedge.
import fc from 'fast-check'
import {encodeControl, encodeData, encodeSynStream, FrameType} from '../../src/cluster/apiserver/streams/spdy-frames.js'
import {HeaderCompressor} from '../../src/cluster/apiserver/streams/spdy-header-block.js'
import type {TestCluster} from '../integration/harness.js'
import {FUZZ_NAMESPACE} from './body-inputs.js'
import {FuzzViolation, REQUEST_TIMEOUT_MS} from './fuzz-http.js'
import {openRaw, requestHead, websocketKey, wsFrame} from './raw-upgrade.js'

export const STREAM_POD = 'stream-target'

export interface UpgradeProbe {
  method: string
  path: string
  headers: Record<string, string>
  /** Bytes sent right after the head (part of `head` on the server), then after a 101. */
  early: Buffer
  after: Buffer[]
}

const podPath = fc.constantFrom(
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/exec?command=cat&stdin=true&stdout=true`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/exec?command=cat&stdin=true&stdout=true&stderr=true&tty=true`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/attach?stdin=true&stdout=true`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/portforward`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/portforward?ports=80`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/portforward?ports=0,abc,70000`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/exec`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/${STREAM_POD}/exec?command=cat&container=nope&stdout=true`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/pods/missing-pod/exec?command=cat&stdout=true`,
  `/api/v1/namespaces/${FUZZ_NAMESPACE}/configmaps/x/exec?command=cat`,
)

/** Handshake header values: the right ones, absent ones and wrong ones. */
const wsHeaders = fc.record(
  {
    Connection: fc.constantFrom('Upgrade', 'upgrade, keep-alive', 'close', ''),
    Upgrade: fc.constantFrom('websocket', 'WebSocket', 'SPDY/3.1', 'spdy/2', 'h2c', 'websocket, SPDY/3.1', ''),
    'Sec-WebSocket-Version': fc.constantFrom('13', '8', 'x', ''),
    'Sec-WebSocket-Key': fc.oneof(fc.constant('VALID'), fc.constantFrom('', 'short', '!!!!!!!!!!!!!!!!!!!!!!!!')),
    'Sec-WebSocket-Protocol': fc.constantFrom('v5.channel.k8s.io', 'v4.channel.k8s.io', 'SPDY/3.1+portforward.k8s.io', 'v5.channel.k8s.io, v4.channel.k8s.io', 'base64.channel.k8s.io', ',,,', 'x y z'),
    'X-Stream-Protocol-Version': fc.constantFrom('v4.channel.k8s.io', 'v5.channel.k8s.io', 'portforward.k8s.io', 'channel.k8s.io', 'nope'),
    'Sec-WebSocket-Extensions': fc.constantFrom('permessage-deflate', 'permessage-deflate; client_max_window_bits=99', 'x;;;'),
  },
  {requiredKeys: ['Upgrade']},
)

/** Random WebSocket frames: bad opcodes, reserved bits, unmasked, lying lengths, channel junk. */
const wsGarbage = fc.array(
  fc.oneof(
    fc.tuple(fc.uint8Array({maxLength: 64}), fc.integer({min: 0, max: 15}), fc.boolean(), fc.boolean(), fc.integer({min: 0, max: 7})).map(([p, opcode, fin, mask, rsv]) => wsFrame(Buffer.from(p), {opcode, fin, mask, rsv})),
    fc.tuple(fc.integer({min: 0, max: 255}), fc.uint8Array({maxLength: 64})).map(([ch, p]) => wsFrame(Buffer.concat([Buffer.of(ch), Buffer.from(p)]))),
    fc.constantFrom(wsFrame(Buffer.of(255, 0)), wsFrame(Buffer.of(4, ...Buffer.from('{"Width":-1,"Height":1e309}\n'))), wsFrame(Buffer.alloc(0)), wsFrame(Buffer.from('text frame'), {opcode: 1})),
    fc.bigInt({min: 1n << 20n, max: (1n << 63n) - 1n}).map((lie) => wsFrame(Buffer.from('x'), {lieLength: lie})),
    fc.uint8Array({maxLength: 64}).map((b) => Buffer.from(b)),
  ),
  {maxLength: 6},
)

type SpdyPiece = {kind: 'syn'; id: number; headers: Record<string, string>; fin: boolean} | {kind: 'bytes'; bytes: Buffer}

/** SPDY frames, some well formed (SYN_STREAM with a proper header block) and most not. */
const spdyPieces = fc.array(
  fc.oneof(
    fc
      .record({
        id: fc.integer({min: 0, max: 12}),
        headers: fc.dictionary(fc.constantFrom('streamtype', 'port', 'requestid', 'x'), fc.constantFrom('error', 'data', 'stdin', 'stdout', 'resize', '80', '0', '70000', '-1', ''), {maxKeys: 3}),
        fin: fc.boolean(),
      })
      .map((s): SpdyPiece => ({kind: 'syn', ...s})),
    fc.tuple(fc.integer({min: 0, max: 12}), fc.uint8Array({maxLength: 40}), fc.boolean()).map(([id, p, fin]): SpdyPiece => ({kind: 'bytes', bytes: encodeData(id, Buffer.from(p), fin)})),
    fc.tuple(fc.integer({min: 0, max: 12}), fc.integer({min: 0, max: 255}), fc.uint8Array({maxLength: 24})).map(([type, flags, body]): SpdyPiece => ({kind: 'bytes', bytes: encodeControl(type, flags, Buffer.from(body))})),
    fc.tuple(fc.integer({min: 0, max: 12}), fc.uint8Array({maxLength: 24})).map(([id, block]): SpdyPiece => ({kind: 'bytes', bytes: encodeSynStream({streamId: id, associatedId: 0, priority: 0, headerBlock: Buffer.from(block)})})),
    fc.integer({min: 1 << 10, max: (1 << 24) - 1}).map((len): SpdyPiece => {
      const bytes = encodeControl(FrameType.Ping, 0, Buffer.alloc(4))
      bytes.writeUIntBE(len, 5, 3)
      return {kind: 'bytes', bytes}
    }),
    fc.uint8Array({maxLength: 40}).map((b): SpdyPiece => ({kind: 'bytes', bytes: Buffer.from(b)})),
  ),
  {maxLength: 8},
)

async function encodePieces(pieces: SpdyPiece[]): Promise<Buffer[]> {
  // The client side's own compression context, as a real client keeps one for the connection.
  const compressor = new HeaderCompressor()
  try {
    const out: Buffer[] = []
    for (const p of pieces) out.push(p.kind === 'bytes' ? p.bytes : encodeSynStream({streamId: p.id, associatedId: 0, priority: 0, headerBlock: await compressor.compress(p.headers)}, p.fin))
    return out
  } finally {
    compressor.close()
  }
}

export interface StreamCase {
  probe: () => Promise<UpgradeProbe>
  label: string
}

export const websocketCases: fc.Arbitrary<StreamCase> = fc.tuple(podPath, fc.constantFrom('GET', 'POST', 'PUT'), wsHeaders, wsGarbage, fc.boolean()).map(([path, method, headers, frames, early]) => {
  const key = websocketKey().key
  const h: Record<string, string> = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>
  if (h['Sec-WebSocket-Key'] === 'VALID') h['Sec-WebSocket-Key'] = key
  const all = Buffer.concat(frames)
  return {label: `ws ${method} ${path} ${JSON.stringify(h)}`, probe: async () => ({method, path, headers: h, early: early ? all : Buffer.alloc(0), after: early ? [] : frames})}
})

export const spdyCases: fc.Arbitrary<StreamCase> = fc
  .tuple(podPath, fc.constantFrom('X-Stream-Protocol-Version: v4.channel.k8s.io', 'X-Stream-Protocol-Version: portforward.k8s.io', 'X-Stream-Protocol-Version: v5.channel.k8s.io'), spdyPieces, fc.boolean(), fc.boolean())
  .map(([path, protocolHeader, pieces, early, tunnel]) => {
    const [name, value] = protocolHeader.split(': ') as [string, string]
    return {
      label: `spdy${tunnel ? ' in ws' : ''} ${path} ${JSON.stringify(pieces).slice(0, 300)}`,
      probe: async () => {
        const frames = await encodePieces(pieces)
        if (tunnel) {
          // kubectl >= 1.31: SPDY bytes inside binary WebSocket messages, split anywhere.
          const headers = {Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': websocketKey().key, 'Sec-WebSocket-Protocol': 'SPDY/3.1+portforward.k8s.io'}
          return {method: 'GET', path, headers, early: Buffer.alloc(0), after: frames.map((f) => wsFrame(f))}
        }
        const headers = {Connection: 'Upgrade', Upgrade: 'SPDY/3.1', [name]: value}
        const all = Buffer.concat(frames)
        return {method: 'POST', path, headers, early: early ? all : Buffer.alloc(0), after: early ? [] : frames}
      },
    }
  })

/** How long the probe lets the server chew on the garbage before hanging up itself. */
const SETTLE_MS = 50

/**
 * Runs one probe: a refused handshake must be answered with a 4xx (or the connection closed) within the
 * request bound; an accepted one gets the garbage, then the client hangs up. The caller checks liveness:
 * a wedged server shows there, a crash fails the whole run (the control plane is in this process).
 */
export async function runUpgradeProbe(k: TestCluster, c: StreamCase): Promise<void> {
  const p = await c.probe()
  const conn = await openRaw(k)
  try {
    conn.write(Buffer.concat([Buffer.from(requestHead(p.method, p.path, p.headers), 'latin1'), p.early]))
    const head = await Promise.race([conn.head, delay(REQUEST_TIMEOUT_MS).then(() => 'timeout' as const)])
    if (head === 'timeout') throw new FuzzViolation(`${c.label}: no answer to the handshake in ${REQUEST_TIMEOUT_MS} ms`)
    if (head === undefined) return
    if (head.status === 101) {
      for (const frame of p.after) conn.write(frame)
      await delay(SETTLE_MS)
      return
    }
    // A refusal may keep the connection alive (a request without a real Upgrade is plain HTTP).
    if (head.status < 400 || head.status >= 500) throw new FuzzViolation(`${c.label}: handshake answered ${head.status}, expected 101 or a 4xx:\n${head.raw}`)
  } finally {
    conn.destroy()
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
