// A TCP port on 127.0.0.1 that nothing listens on (bound, then released), for "connection refused".
import {createServer} from 'node:net'
import type {AddressInfo} from 'node:net'

export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const {port} = server.address() as AddressInfo
  await new Promise((r) => server.close(r))
  return port
}
