// Node's socket errors rewritten as the Go net package prints them, because the kubelet puts Go's
// err.Error() into probe events verbatim: `dial tcp 10.0.0.3:81: connect: connection refused`.

/** syscall.Errno.Error() for the errnos a probe can meet. */
const ERRNO_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
  ETIMEDOUT: 'connection timed out',
  EADDRNOTAVAIL: 'cannot assign requested address',
  EPIPE: 'broken pipe',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
}

interface SystemError extends Error {
  code?: string
  syscall?: string
  hostname?: string
}

/** net.JoinHostPort: brackets around IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** The text of a failed dial to `hostPort`, e.g. `dial tcp 10.0.0.3:81: connect: connection refused`. */
export function dialErrorText(error: unknown, hostPort: string): string {
  const e = error as SystemError
  if (e?.syscall === 'getaddrinfo' || e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') {
    return `dial tcp: lookup ${e.hostname ?? hostPort.replace(/:\d+$/, '')}: no such host`
  }
  const text = e?.code ? ERRNO_TEXT[e.code] : undefined
  if (text) return `dial tcp ${hostPort}: connect: ${text}`
  return `dial tcp ${hostPort}: ${e?.message ?? String(error)}`
}

/** The text of an error on an established connection (`read tcp a->b: read: connection reset by peer`). */
export function connectionErrorText(error: unknown, local: string | undefined, remote: string): string {
  const e = error as SystemError
  // Node's "socket hang up": the server closed the connection before answering, which Go reports as EOF.
  if (e?.message === 'socket hang up') return 'EOF'
  const text = e?.code ? ERRNO_TEXT[e.code] : undefined
  const op = e?.syscall === 'write' ? 'write' : 'read'
  if (text) return `${op} tcp ${local ?? '?'}->${remote}: ${op}: ${text}`
  return e?.message ?? String(error)
}

/** Dial errors happen before the socket connects; Node marks them with the connect/lookup syscalls. */
export function isDialError(error: unknown): boolean {
  const e = error as SystemError
  return e?.syscall === 'connect' || e?.syscall === 'getaddrinfo' || e?.code === 'ENOTFOUND'
}
