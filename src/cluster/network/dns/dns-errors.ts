// The errors of the DNS module: each has a name and a code, and keeps its cause.

/** A DNS packet that cannot be read, or a message that cannot be written (answered with FORMERR). */
export class DnsFormatError extends Error {
  override name = 'DnsFormatError'
  readonly code = 'DnsFormat'
}

/** The upstream resolver did not answer usefully in time (answered with SERVFAIL). */
export class DnsUpstreamError extends Error {
  override name = 'DnsUpstreamError'
  readonly code: 'UpstreamTimeout' | 'UpstreamFailed'

  constructor(message: string, code: 'UpstreamTimeout' | 'UpstreamFailed', options?: {cause?: unknown}) {
    super(message, options)
    this.code = code
  }
}
