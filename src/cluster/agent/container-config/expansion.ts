// The kubelet's `$(VAR)` expansion (third_party/forked/golang/expansion), used for env values and for
// command and args: `$(NAME)` becomes the variable's value when it is defined and stays as written when
// not; `$$` is an escaped `$`; any other `$` is kept.

const OPERATOR = '$'

/** Expands `input` with `lookup`, which answers undefined for an unknown name. */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = ''
  let checkpoint = 0
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== OPERATOR || cursor + 1 >= input.length) continue
    out += input.slice(checkpoint, cursor)
    const {text, isVar, advance} = readVariable(input.slice(cursor + 1))
    out += isVar ? (lookup(text) ?? `$(${text})`) : text
    cursor += advance
    checkpoint = cursor + 1
  }
  return out + input.slice(checkpoint)
}

function readVariable(rest: string): {text: string; isVar: boolean; advance: number} {
  if (rest[0] === OPERATOR) return {text: OPERATOR, isVar: false, advance: 1}
  if (rest[0] === '(') {
    const close = rest.indexOf(')', 1)
    if (close > 0) return {text: rest.slice(1, close), isVar: true, advance: close + 1}
    // An unterminated reference is copied as written.
    return {text: '$(', isVar: false, advance: 1}
  }
  return {text: OPERATOR + rest[0], isVar: false, advance: 1}
}

/** A lookup over maps, the first that has the name winning (MappingFuncFor). */
export function lookupIn(...maps: ReadonlyArray<ReadonlyMap<string, string>>): (name: string) => string | undefined {
  return (name) => {
    for (const m of maps) if (m.has(name)) return m.get(name)
    return undefined
  }
}
