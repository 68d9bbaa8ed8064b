// A .json manifest is read as kubectl reads one: strict JSON (a trailing comma or a missing quote is
// an error, as in `kubectl apply`), possibly several values one after another (`{...}{...}` or one
// per line, as `kubectl get -o json` piped through jq -c writes them).

export interface JsonValueSpan {
  /** Offsets of the value's first character and one past its last in the file's text. */
  start: number
  end: number
}

export type JsonValueResult = {value: unknown} | {error: string; offset: number}

/**
 * Splits concatenated JSON values by bracket depth outside strings. An unclosed value runs to the end
 * of the text, so JSON.parse then reports what is missing.
 */
export function splitJsonValues(text: string): JsonValueSpan[] {
  const spans: JsonValueSpan[] = []
  let i = skipSpace(text, 0)
  while (i < text.length) {
    const start = i
    i = text[i] === '{' || text[i] === '[' ? endOfContainer(text, i) : endOfScalar(text, i)
    spans.push({start, end: i})
    i = skipSpace(text, i)
  }
  return spans
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++
  return i
}

function endOfContainer(text: string, i: number): number {
  let depth = 0
  let inString = false
  for (; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if (c === '}' || c === ']') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return text.length
}

function endOfScalar(text: string, i: number): number {
  if (text[i] === '"') {
    for (i++; i < text.length; i++) {
      if (text[i] === '\\') i++
      else if (text[i] === '"') return i + 1
    }
    return text.length
  }
  while (i < text.length && !/[\s{["]/.test(text[i]!)) i++
  return i
}

/** Parses one value; a syntax error comes back with its offset in the whole text. */
export function parseJsonValue(text: string, span: JsonValueSpan): JsonValueResult {
  try {
    return {value: JSON.parse(text.slice(span.start, span.end))}
  } catch (error) {
    const message = (error as Error).message
    const position = /at position (\d+)/.exec(message)
    const offset = position ? span.start + Number(position[1]) : Math.max(span.start, span.end - 1)
    if (/end of JSON input/.test(message)) return {error: 'the input ends inside a value (a closing }, ] or quote is missing)', offset}
    return {error: message.replace(/ in JSON at position \d+.*$/, ''), offset}
  }
}
