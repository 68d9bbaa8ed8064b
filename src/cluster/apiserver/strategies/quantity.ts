// resource.Quantity: parse `500m`, `1.5Gi`, `2e3`, compare them exactly, and print the canonical
// form the real server echoes back in messages (`1.5` → `1500m`, `1024Mi` → `1Gi`). Values are kept as
// integer nano-units in a bigint, so large binary quantities (`8Ei`) stay exact.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent'

export interface Quantity {
  /** Value in units of 10^-9, rounded up when the input is finer than that (as Go rounds). */
  nano: bigint
  format: QuantityFormat
}

export const QUANTITY_REGEX_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

export class QuantityParseError extends Error {
  override name = 'QuantityParseError'
  readonly code = 'QUANTITY_INVALID'
}

const DECIMAL_SUFFIX: Record<string, number> = {n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18}
const BINARY_SUFFIX: Record<string, number> = {Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6}
const NANO = 1_000_000_000n

function pow(base: bigint, exp: number): bigint {
  return base ** BigInt(exp)
}

/** Divide rounding away from zero, so a positive sub-nano remainder still counts. */
function divCeil(n: bigint, d: bigint): bigint {
  const q = n / d
  return n % d === 0n ? q : n > 0n ? q + 1n : q - 1n
}

export function parseQuantity(input: string): Quantity {
  const text = input.trim()
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(.*)$/.exec(text)
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new QuantityParseError(QUANTITY_REGEX_MESSAGE)
  const [, sign, whole, frac = '', suffix] = m
  const digits = BigInt((whole || '0') + frac)
  let nano: bigint
  let format: QuantityFormat
  if (Object.hasOwn(BINARY_SUFFIX, suffix)) {
    format = 'BinarySI'
    nano = divCeil(digits * pow(1024n, BINARY_SUFFIX[suffix]) * NANO, pow(10n, frac.length))
  } else {
    let exp10: number
    if (Object.hasOwn(DECIMAL_SUFFIX, suffix)) {
      format = 'DecimalSI'
      exp10 = DECIMAL_SUFFIX[suffix]
    } else if (/^[eE][+-]?\d+$/.test(suffix)) {
      format = 'DecimalExponent'
      exp10 = Number(suffix.slice(1))
      if (!Number.isSafeInteger(exp10) || Math.abs(exp10) > 1000) throw new QuantityParseError(QUANTITY_REGEX_MESSAGE)
    } else {
      throw new QuantityParseError(QUANTITY_REGEX_MESSAGE)
    }
    const scale = exp10 + 9 - frac.length
    nano = scale >= 0 ? digits * pow(10n, scale) : divCeil(digits, pow(10n, -scale))
  }
  return {nano: sign === '-' ? -nano : nano, format}
}

/** A quantity from JSON (a string, or a number as YAML often yields); undefined when malformed. */
export function tryParseQuantity(value: unknown): Quantity | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined
  try {
    return parseQuantity(String(value))
  } catch (error) {
    if (error instanceof QuantityParseError) return undefined
    throw error
  }
}

/** MilliValue: rounded up, like Go. */
export function toMilli(q: Quantity): bigint {
  return divCeil(q.nano, 1_000_000n)
}

/** Convenience for controllers and the agent: `"250m"` → 250, `"1Gi"` → 1073741824000. Throws on bad input. */
export function quantityToMilli(value: string | number): number {
  return Number(toMilli(parseQuantity(String(value))))
}

export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  return a.nano < b.nano ? -1 : a.nano > b.nano ? 1 : 0
}

export function addQuantities(a: Quantity, b: Quantity): Quantity {
  return {nano: a.nano + b.nano, format: a.format}
}

const DECIMAL_STEPS: Array<[number, string]> = [[18, 'E'], [15, 'P'], [12, 'T'], [9, 'G'], [6, 'M'], [3, 'k'], [0, ''], [-3, 'm'], [-6, 'u'], [-9, 'n']]
const BINARY_NAMES = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']

/** Quantity.String(): the canonical form, largest unit that keeps the mantissa an integer. */
export function formatQuantity(q: Quantity): string {
  const negative = q.nano < 0n
  const abs = negative ? -q.nano : q.nano
  const sign = negative ? '-' : ''
  if (abs === 0n) return '0'
  // Binary form only for whole numbers of at least 1024; anything else would lose precision.
  if (q.format === 'BinarySI' && abs % NANO === 0n && abs >= 1024n * NANO) {
    let units = abs / NANO
    let k = 0
    while (k < 6 && units % 1024n === 0n) {
      units /= 1024n
      k++
    }
    return `${sign}${units}${BINARY_NAMES[k]}`
  }
  for (const [exp, suffix] of DECIMAL_STEPS) {
    const unit = pow(10n, exp + 9)
    if (abs % unit === 0n) {
      const name = q.format === 'DecimalExponent' ? (exp === 0 ? '' : `e${exp}`) : suffix
      return `${sign}${abs / unit}${name}`
    }
  }
  return `${sign}${abs}n`
}

/** Canonical text of a quantity string, or the input unchanged when it does not parse. */
export function canonicalQuantity(value: unknown): string {
  const q = tryParseQuantity(value)
  return q ? formatQuantity(q) : String(value)
}
