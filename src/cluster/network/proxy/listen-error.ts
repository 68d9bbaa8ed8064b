// A proxy that cannot bind its port (another process holds it, or a port below 1024 for a non-root
// user) is reported, never thrown past the table: the caller turns it into a Warning event on the
// Service, so the message reads like one.

export interface ListenAddress {
  host: string
  port: number
  protocol: 'TCP' | 'UDP'
}

const REASONS: Record<string, string> = {
  EADDRINUSE: 'address already in use',
  EACCES: 'permission denied',
  EADDRNOTAVAIL: 'address not available on this host',
}

export class ProxyListenError extends Error {
  override name = 'ProxyListenError'
  constructor(
    message: string,
    /** The system error code (EADDRINUSE, EACCES, EADDRNOTAVAIL, ...) or 'UNKNOWN'. */
    readonly code: string,
    readonly address: ListenAddress,
    options?: {cause?: unknown},
  ) {
    super(message, options)
  }
}

/** `listen TCP 127.0.0.1:80: permission denied (EACCES)` from the error `listen`/`bind` failed with. */
export function listenError(address: ListenAddress, cause: unknown): ProxyListenError {
  const code = typeof (cause as {code?: unknown})?.code === 'string' ? (cause as {code: string}).code : 'UNKNOWN'
  const reason = REASONS[code] ?? (cause instanceof Error ? cause.message : String(cause))
  const where = `${address.host.includes(':') ? `[${address.host}]` : address.host}:${address.port}`
  return new ProxyListenError(`listen ${address.protocol} ${where}: ${reason} (${code})`, code, address, {cause})
}

