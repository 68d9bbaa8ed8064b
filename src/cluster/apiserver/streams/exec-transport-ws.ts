// exec/attach over the channel WebSocket (v5 or v4): stdin on 0, stdout 1, stderr 2, the Status on
// 3, resize JSON on 4; v5's `[255, 0]` is stdin EOF (kubectl-compat §7.2).
import {Readable, Writable} from 'node:stream'
import type {WebSocket} from 'ws'
import {parseTerminalSize} from './exec-status.js'
import type {ExecTransport} from './exec-session.js'
import {Channel, ChannelSender, decodeChannelMessage, messageBytes} from './websocket-channels.js'

export interface ExecStreamsWanted {
  stdin: boolean
  stdout: boolean
  stderr: boolean
}

/** After the Status, how long to wait for the client's close reply before dropping the socket. */
const CLOSE_WAIT_MS = 5_000

export function websocketExecTransport(ws: WebSocket, protocol: string, wanted: ExecStreamsWanted): ExecTransport {
  const sender = new ChannelSender(ws)
  const resizeListeners: Array<(size: {width: number; height: number}) => void> = []
  const stdin = wanted.stdin ? new Readable({read() {}}) : undefined
  const output = (channel: number) =>
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        sender.send(channel, chunk).then(() => callback(), callback)
      },
    })
  const clientGone = new Promise<void>((resolve) => ws.once('close', () => resolve()))
  let finished = false
  ws.on('close', () => {
    if (stdin && !stdin.readableEnded) stdin.push(null)
  })
  ws.on('error', () => ws.terminate())
  ws.on('message', (data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    if (!isBinary) return
    const message = decodeChannelMessage(messageBytes(data), protocol)
    if (!message) return
    if (message.kind === 'close') {
      if (message.channel === Channel.Stdin && stdin && !stdin.readableEnded) stdin.push(null)
      return
    }
    if (message.channel === Channel.Stdin && stdin && !stdin.readableEnded) stdin.push(Buffer.from(message.payload))
    else if (message.channel === Channel.Resize) {
      for (const line of message.payload.toString('utf8').split('\n')) {
        const size = line.trim() ? parseTerminalSize(line) : undefined
        if (size) for (const listener of resizeListeners) listener(size)
      }
    }
  })
  return {
    stdin,
    stdout: wanted.stdout ? output(Channel.Stdout) : undefined,
    stderr: wanted.stderr ? output(Channel.Stderr) : undefined,
    onResize: (listener) => resizeListeners.push(listener),
    clientGone,
    async finish(status) {
      if (finished) return
      finished = true
      await sender.send(Channel.Error, JSON.stringify(status))
      ws.close(1000)
      await Promise.race([clientGone, delay(CLOSE_WAIT_MS)])
      if (ws.readyState !== ws.CLOSED) ws.terminate()
    },
    abort: () => ws.terminate(),
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref())
}
