// IPv4 ranges: parsing, containment, overlap, and the n-th address. Cluster addressing is built on
// them: the pod half and the Service half of a Docker cluster's network, and the Service allocator.

export class Cidr {
  /** The network address as an unsigned 32-bit number. */
  readonly base: number
  readonly prefix: number

  private constructor(base: number, prefix: number) {
    this.prefix = prefix
    this.base = prefix === 0 ? 0 : (base & (~0 << (32 - prefix))) >>> 0
  }

  /** `10.200.0.0/16`; throws a CidrError on anything else (IPv6 included: not supported yet). */
  static parse(text: string): Cidr {
    const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim())
    const base = match ? ipToNumber(match[1]!) : undefined
    const prefix = match ? Number(match[2]) : NaN
    if (base === undefined || !(prefix >= 0 && prefix <= 32)) throw new CidrError(`invalid IPv4 CIDR ${JSON.stringify(text)}`)
    return new Cidr(base, prefix)
  }

  get size(): number {
    return 2 ** (32 - this.prefix)
  }

  contains(ip: string): boolean {
    const n = ipToNumber(ip)
    return n !== undefined && n >= this.base && n < this.base + this.size
  }

  overlaps(other: Cidr): boolean {
    return this.base < other.base + other.size && other.base < this.base + this.size
  }

  /** The address `offset` places into the range (0 is the network address). */
  nth(offset: number): string {
    if (!Number.isInteger(offset) || offset < 0 || offset >= this.size) throw new CidrError(`offset ${offset} is outside ${this.toString()}`)
    return numberToIp(this.base + offset)
  }

  /** Where `ip` lies in the range, or undefined when it is outside. */
  offsetOf(ip: string): number | undefined {
    return this.contains(ip) ? ipToNumber(ip)! - this.base : undefined
  }

  /** The two halves (`/16` → two `/17`s). */
  halves(): [Cidr, Cidr] {
    if (this.prefix >= 32) throw new CidrError(`${this.toString()} cannot be halved`)
    return [new Cidr(this.base, this.prefix + 1), new Cidr(this.base + this.size / 2, this.prefix + 1)]
  }

  toString(): string {
    return `${numberToIp(this.base)}/${this.prefix}`
  }
}

export class CidrError extends Error {
  override name = 'CidrError'
  readonly code = 'InvalidCidr'
}

export function ipToNumber(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined
  return parts.reduce((n, p) => n * 256 + Number(p), 0)
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}
