// Real backends on 127.0.0.1 for the proxy tests: a TCP server that answers `<name>:<everything the
// client sent>` once the client has shut down its sending side (so every answer crosses a half-close),
// and a UDP server that answers each datagram with `<name>:<datagram>`.
import dgram from 'node:dgram'
import net from 'node:net'
import type {ProxyEndpoint} from '../../../../src/cluster/network/proxy/endpoint-picker.js'

export interface TcpBackend {
  name: string
  endpoint: ProxyEndpoint
  /** Connections accepted so far. */
  accepted: number
  close(): Promise<void>
}

export async function tcpBackend(name: string): Promise<TcpBackend> {
  const sockets = new Set<net.Socket>()
  const backend = {name, accepted: 0} as TcpBackend
  const server = net.createServer({allowHalfOpen: true}, (socket) => {
    backend.accepted++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('end', () => socket.end(`${name}:${Buffer.concat(chunks).toString()}`))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  backend.endpoint = {ip: '127.0.0.1', port: (server.address() as net.AddressInfo).port}
  backend.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  return backend
}

/** Connects to 127.0.0.1, sends `payload`, shuts down the sending side and resolves with the whole answer. */
export function ask(port: number, payload = 'hello', timeoutMs = 5000): Promise<string> {
  return askAt('127.0.0.1', port, payload, timeoutMs)
}

/** The same to any local address (the echo backends answer on end). */
export function askAt(host: string, port: number, payload = 'hello', timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({host, port, allowHalfOpen: true})
    const chunks: Buffer[] = []
    const timer = setTimeout(() => socket.destroy(new Error('ask timed out')), timeoutMs)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    socket.on('end', () => {
      clearTimeout(timer)
      socket.end()
      resolve(Buffer.concat(chunks).toString())
    })
    socket.end(payload)
  })
}

/** Connects and resolves with how the connection ended without sending anything: the error code, or 'end'. */
export function outcome(port: number, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({host: '127.0.0.1', port})
    const timer = setTimeout(() => {
      socket.destroy()
      resolve('timeout')
    }, timeoutMs)
    const done = (how: string) => {
      clearTimeout(timer)
      socket.destroy()
      resolve(how)
    }
    socket.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message))
    socket.on('end', () => done('end'))
    socket.resume()
  })
}

export interface UdpBackend {
  name: string
  endpoint: ProxyEndpoint
  /** Datagrams received so far. */
  received: number
  close(): Promise<void>
}

export async function udpBackend(name: string): Promise<UdpBackend> {
  const socket = dgram.createSocket('udp4')
  const backend = {name, received: 0} as UdpBackend
  socket.on('message', (msg, from) => {
    backend.received++
    socket.send(`${name}:${msg.toString()}`, from.port, from.address)
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  backend.endpoint = {ip: '127.0.0.1', port: socket.address().port}
  backend.close = () => new Promise((resolve) => socket.close(() => resolve()))
  return backend
}

/** A UDP client socket on 127.0.0.1 that sends a datagram and waits for one answer. */
export async function udpClient(): Promise<{send(port: number, text: string): Promise<string>; close(): void}> {
  const socket = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  return {
    send: (port, text) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.off('message', onMessage)
          reject(new Error('no UDP answer'))
        }, 2000)
        const onMessage = (msg: Buffer) => {
          clearTimeout(timer)
          socket.off('message', onMessage)
          resolve(msg.toString())
        }
        socket.on('message', onMessage)
        socket.send(text, port, '127.0.0.1')
      }),
    close: () => socket.close(),
  }
}
