// client-node's port-forward: the kubelet-style channel WebSocket (v4.channel.k8s.io), not SPDY.
// Port i uses data channel 2i and error channel 2i+1; each channel first carries the port number
// as two little-endian bytes. The socket closes once every port's connection ended (§7.3).
import type {Duplex} from 'node:stream'
import type {WebSocket} from 'ws'
import {logger} from '../../log.js'
import type {PortForwardDialer} from './port-forward-spdy.js'
import {ChannelSender, decodeChannelMessage, messageBytes} from './websocket-channels.js'

const log = logger('port-forward')

export async function servePortForwardWebSocket(ws: WebSocket, protocol: string, ports: number[], dialer: PortForwardDialer, shutdownSignal: AbortSignal): Promise<void> {
  const sender = new ChannelSender(ws)
  const targets: Array<Duplex | undefined> = ports.map(() => undefined)
  const pendingInput: Buffer[][] = ports.map(() => [])
  const onShutdown = () => ws.terminate()
  shutdownSignal.addEventListener('abort', onShutdown, {once: true})
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  ws.on('error', () => ws.terminate())
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) return
    const message = decodeChannelMessage(messageBytes(data), protocol)
    if (!message || message.kind !== 'data' || message.channel % 2 !== 0) return
    const index = message.channel / 2
    if (index >= ports.length) return
    const target = targets[index]
    if (target) target.write(message.payload)
    else pendingInput[index]!.push(Buffer.from(message.payload))
  })
  try {
    for (const [i, port] of ports.entries()) {
      const portBytes = Buffer.alloc(2)
      portBytes.writeUInt16LE(port, 0)
      await sender.send(2 * i, portBytes)
      await sender.send(2 * i + 1, portBytes)
    }
    await Promise.race([closed, Promise.all(ports.map((port, i) => forwardOne(i, port)))])
  } catch (error) {
    log.debug({err: error}, 'port-forward websocket failed')
  } finally {
    shutdownSignal.removeEventListener('abort', onShutdown)
    for (const target of targets) target?.destroy()
    if (ws.readyState === ws.OPEN) ws.close(1000)
  }

  async function forwardOne(i: number, port: number): Promise<void> {
    let target: Duplex
    try {
      target = await dialer.dial(port)
    } catch (error) {
      await sender.send(2 * i + 1, `error forwarding port ${port} to ${dialer.describe}: ${error instanceof Error ? error.message : String(error)}`).catch(() => undefined)
      return
    }
    targets[i] = target
    for (const chunk of pendingInput[i]!.splice(0)) target.write(chunk)
    await new Promise<void>((resolve) => {
      target.on('data', (chunk: Buffer) => {
        sender.send(2 * i, chunk).catch(() => target.destroy())
      })
      target.on('error', (error) => {
        void sender.send(2 * i + 1, `error forwarding port ${port} to ${dialer.describe}: ${error.message}`).catch(() => undefined)
      })
      target.on('close', () => resolve())
    })
  }
}
