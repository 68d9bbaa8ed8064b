// The Go types with their own JSON decoding (resource.Quantity, metav1.Time, []byte as base64) and the
// error texts they return. An error from a custom UnmarshalJSON aborts Go's decoder at once, whereas a
// plain type mismatch is remembered and decoding goes on; the caller keeps that distinction.

const QUANTITY_FORMAT = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/
const QUANTITY_SUFFIXES = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E'])
const ERR_FORMAT = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
const ERR_SUFFIX = "unable to parse quantity's suffix"

/** resource.Quantity.UnmarshalJSON: a JSON string or number in quantity syntax; the error text or undefined. */
export function quantityError(value: unknown): string | undefined {
  // Go hands the raw JSON text to ParseQuantity, so a bool or an object fails the format check.
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : JSON.stringify(value)
  if (!QUANTITY_FORMAT.test(text)) return ERR_FORMAT
  // ParseQuantity scans sign, digits, one fraction; whatever follows must be a known suffix or exponent.
  const numeric = /^[+-]?(\d*)(?:\.(\d*))?/.exec(text) as RegExpExecArray
  if (!numeric[1] && !numeric[2]) return ERR_FORMAT
  const suffix = text.slice(numeric[0].length)
  return QUANTITY_SUFFIXES.has(suffix) || /^[eE][-+]?[0-9]+$/.test(suffix) ? undefined : ERR_SUFFIX
}

const RFC3339 = '2006-01-02T15:04:05Z07:00'
// RFC3339 layout elements in order: [layout text, what the value must start with, valid range].
const TIME_STEPS: [string, RegExp, [number, number, string]?][] = [
  ['2006', /^\d{4}/], ['-', /^-/], ['01', /^\d{2}/, [1, 12, 'month']], ['-', /^-/], ['02', /^\d{2}/, [1, 31, 'day']],
  ['T', /^T/], ['15', /^\d{2}/, [0, 23, 'hour']], [':', /^:/], ['04', /^\d{2}/, [0, 59, 'minute']], [':', /^:/],
  ['05', /^\d{2}/, [0, 59, 'second']], ['', /^(\.\d+)?/], ['Z07:00', /^(Z|[+-]\d{2}:\d{2})/],
]

/** metav1.Time / MicroTime: time.Parse(RFC3339) of a JSON string; Go's ParseError text or undefined. */
export function timeError(value: string): string | undefined {
  const quoted = JSON.stringify(value)
  let rest = value
  for (const [layout, pattern, range] of TIME_STEPS) {
    const m = pattern.exec(rest)
    if (!m) return `parsing time ${quoted} as "${RFC3339}": cannot parse ${JSON.stringify(rest)} as ${JSON.stringify(layout)}`
    if (range) {
      const n = Number(m[0])
      if (n < range[0] || n > range[1]) return `parsing time ${quoted}: ${range[2]} out of range`
    }
    rest = rest.slice(m[0].length)
  }
  return rest ? `parsing time ${quoted}: extra text: ${JSON.stringify(rest)}` : undefined
}

const BASE64 = /[A-Za-z0-9+/]/

/** encoding/base64 StdEncoding.DecodeString: `illegal base64 data at input byte N`, or undefined. */
export function base64Error(value: string): string | undefined {
  const corrupt = (at: number) => `illegal base64 data at input byte ${at}`
  const newline = (c: string | undefined) => c === '\n' || c === '\r'
  let si = 0
  while (si < value.length) {
    let j = 0
    while (j < 4) {
      if (si === value.length) {
        if (j === 0) return undefined
        return corrupt(si - j) // StdEncoding requires padding
      }
      const c = value[si++]
      if (BASE64.test(c)) { j++; continue }
      if (newline(c)) continue
      if (c !== '=' || j < 2) return corrupt(si - 1)
      if (j === 2) {
        while (si < value.length && newline(value[si])) si++
        if (si === value.length) return corrupt(value.length)
        if (value[si] !== '=') return corrupt(si - 1)
        si++
      }
      while (si < value.length && newline(value[si])) si++
      return si < value.length ? corrupt(si) : undefined
    }
  }
  return undefined
}
