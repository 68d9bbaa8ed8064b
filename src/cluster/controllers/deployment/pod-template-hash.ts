// pod-template-hash, as ComputeHash does it: FNV-1a (32-bit) over the template, plus the collision
// count, rendered with the "safe" alphabet so it can be a label value and a name suffix.

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

function fnv1a32(text: string): number {
  let hash = 0x811c9dc5
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash >>> 0
}

/** rand.SafeEncodeString: each character mapped into an alphabet without vowels or look-alikes. */
function safeEncode(text: string): string {
  let out = ''
  for (const ch of text) out += SAFE_ALPHABET[ch.charCodeAt(0) % SAFE_ALPHABET.length]
  return out
}

/** The template must be given without its pod-template-hash label (it is what is being computed). */
export function podTemplateHash(template: unknown, collisionCount = 0): string {
  const text = stableStringify(template) + (collisionCount > 0 ? String(collisionCount) : '')
  return safeEncode(String(fnv1a32(text)))
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}
