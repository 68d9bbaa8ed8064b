// Label selectors as k8s.io/apimachinery/pkg/labels parses, prints and matches them, and
// metav1.LabelSelectorAsSelector for `spec.selector`. Error texts match the real server's, because
// kubectl prints them verbatim (`Error from server (BadRequest): unable to parse requirement: ...`).
import {badRequest} from './errors.js'
import {labelKeyErrors, labelValueErrors} from './label-validation.js'

export {labelKeyErrors, labelValueErrors}

/** selection.Operator values. `=` and `==` behave the same; both are kept so String() round-trips. */
export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt'

export interface LabelRequirement {
  key: string
  operator: LabelOperator
  values: string[]
}

export interface LabelSelector {
  /** ANDed; sorted by key. */
  requirements: readonly LabelRequirement[]
  /** labels.Nothing(): what a nil `spec.selector` means. */
  matchesNothing?: boolean
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string> | null
  matchExpressions?: Array<{key: string; operator: string; values?: string[] | null}> | null
}

/** Why a selector is malformed, in the apimachinery wording; the public functions turn it into a 400. */
class LabelSelectorError extends Error {
  override name = 'LabelSelectorError'
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt']

// ---- lexer (labels.Lexer) ----

type Token = 'eos' | 'id' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '('
interface Item {
  tok: Token
  lit: string
}

const LITERAL_TOKENS = new Map<string, Token>([
  [')', ')'], [',', ','], ['!', '!'], ['==', '=='], ['=', '='], ['>', '>'],
  ['in', 'in'], ['<', '<'], ['!=', '!='], ['notin', 'notin'], ['(', '('],
])

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n'
const isSpecial = (ch: string): boolean => '=!(),><'.includes(ch)

function lex(s: string): Item[] {
  const items: Item[] = []
  let pos = 0
  // Every pass consumes at least one character or ends, so the loop is bounded by s.length.
  for (;;) {
    while (pos < s.length && isWhitespace(s[pos])) pos++
    if (pos >= s.length) {
      items.push({tok: 'eos', lit: ''})
      return items
    }
    if (isSpecial(s[pos])) {
      // Longest run of special characters that is still an operator: `!=` but `=(` → `=`, `(`.
      let lit = s[pos++]
      while (pos < s.length && isSpecial(s[pos]) && LITERAL_TOKENS.has(lit + s[pos])) lit += s[pos++]
      items.push({tok: LITERAL_TOKENS.get(lit)!, lit})
      continue
    }
    const start = pos
    while (pos < s.length && !isSpecial(s[pos]) && !isWhitespace(s[pos])) pos++
    const lit = s.slice(start, pos)
    items.push({tok: LITERAL_TOKENS.get(lit) ?? 'id', lit})
  }
}

// ---- parser (labels.Parser) ----

/** In a value position `in` and `notin` are plain identifiers: `x in (in)`. */
type Context = 'keyAndOperator' | 'values'

class Parser {
  private position = 0
  constructor(private readonly items: Item[]) {}

  lookahead(ctx: Context): Item {
    return this.asContext(this.items[Math.min(this.position, this.items.length - 1)], ctx)
  }

  consume(ctx: Context): Item {
    // The last item is always `eos`; never step past it.
    const item = this.items[Math.min(this.position, this.items.length - 1)]
    this.position++
    return this.asContext(item, ctx)
  }

  private asContext(item: Item, ctx: Context): Item {
    return ctx === 'values' && (item.tok === 'in' || item.tok === 'notin') ? {tok: 'id', lit: item.lit} : item
  }

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = []
    for (;;) {
      const {tok, lit} = this.lookahead('values')
      if (tok === 'eos') return requirements
      if (tok !== 'id' && tok !== '!') throw new LabelSelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`)
      try {
        requirements.push(this.parseRequirement())
      } catch (err) {
        throw new LabelSelectorError(`unable to parse requirement: ${(err as Error).message}`, {cause: err})
      }
      const next = this.consume('values')
      if (next.tok === 'eos') return requirements
      if (next.tok !== ',') throw new LabelSelectorError(`found '${next.lit}', expected: ',' or 'end of string'`)
      const after = this.lookahead('values')
      if (after.tok !== 'id' && after.tok !== '!') throw new LabelSelectorError(`found '${after.lit}', expected: identifier after ','`)
    }
  }

  private parseRequirement(): LabelRequirement {
    let notExists = false
    let item = this.consume('values')
    if (item.tok === '!') {
      notExists = true
      item = this.consume('values')
    }
    if (item.tok !== 'id') throw new LabelSelectorError(`found '${item.lit}', expected: identifier`)
    const keyErrors = labelKeyErrors(item.lit)
    // The parser validates the key with a nil field path, which Go prints as `<nil>`.
    if (keyErrors.length) throw new LabelSelectorError(invalidValue('<nil>', item.lit, keyErrors.join('; ')))
    const key = item.lit
    // `!key` never takes an operator: in `!a=b` the `=` is left for the caller to reject.
    if (notExists) return newRequirement(key, '!', [])
    const after = this.lookahead('values').tok
    if (after === 'eos' || after === ',') return newRequirement(key, 'exists', [])
    const operator = this.parseOperator()
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue()
    return newRequirement(key, operator, [...values].sort())
  }

  private parseOperator(): LabelOperator {
    const {tok, lit} = this.consume('keyAndOperator')
    switch (tok) {
      case 'in': return 'in'
      case 'notin': return 'notin'
      case '=': return '='
      case '==': return '=='
      case '!=': return '!='
      case '>': return 'gt'
      case '<': return 'lt'
      default: throw new LabelSelectorError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`)
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume('values')
    if (open.tok !== '(') throw new LabelSelectorError(`found '${open.lit}' expected: '('`)
    const {tok, lit} = this.lookahead('values')
    if (tok === ')') {
      this.consume('values')
      return new Set([''])
    }
    if (tok !== 'id' && tok !== ',') throw new LabelSelectorError(`found '${lit}', expected: ',', ')' or identifier`)
    const values = this.parseIdentifiersList()
    this.consume('values') // the `)` that ended the list
    return values
  }

  /** `(a,,b)`, `(,a)` and `(a,)` all contain the empty value. */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>()
    for (;;) {
      const {tok, lit} = this.consume('values')
      if (tok === 'id') {
        values.add(lit)
        const next = this.lookahead('values')
        if (next.tok === ',') continue
        if (next.tok === ')') return values
        throw new LabelSelectorError(`found '${next.lit}', expected: ',' or ')'`)
      }
      if (tok !== ',') throw new LabelSelectorError(`found '${lit}', expected: ',', or identifier`)
      if (values.size === 0) values.add('')
      const next = this.lookahead('values').tok
      if (next === ')') {
        values.add('')
        return values
      }
      if (next === ',') values.add('')
    }
  }

  private parseExactValue(): Set<string> {
    const ahead = this.lookahead('values').tok
    if (ahead === 'eos' || ahead === ',') return new Set([''])
    const {tok, lit} = this.consume('values')
    if (tok === 'id') return new Set([lit])
    throw new LabelSelectorError(`found '${lit}', expected: identifier`)
  }
}

// ---- requirements (labels.NewRequirement) ----

function invalidValue(field: string, value: unknown, detail: string): string {
  return `${field}: Invalid value: ${goValue(value)}: ${detail}`
}

/** Go's %q for strings and %#v for []string, as field.Error prints bad values. */
function goValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (Array.isArray(value)) return value.length ? `[]string{${value.map((v) => JSON.stringify(v)).join(', ')}}` : '[]string(nil)'
  return String(value)
}

function newRequirement(key: string, operator: LabelOperator, values: string[]): LabelRequirement {
  const errors: string[] = []
  const keyErrors = labelKeyErrors(key)
  if (keyErrors.length) errors.push(invalidValue('key', key, keyErrors.join('; ')))
  if ((operator === 'in' || operator === 'notin') && values.length === 0) {
    errors.push(invalidValue('values', values, "for 'in', 'notin' operators, values set can't be empty"))
  } else if ((operator === '=' || operator === '==' || operator === '!=') && values.length !== 1) {
    errors.push(invalidValue('values', values, 'exact-match compatibility requires one single value'))
  } else if ((operator === 'exists' || operator === '!') && values.length !== 0) {
    errors.push(invalidValue('values', values, 'values set must be empty for exists and does not exist'))
  } else if (operator === 'gt' || operator === 'lt') {
    if (values.length !== 1) errors.push(invalidValue('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"))
    values.forEach((v, i) => {
      if (!/^[+-]?\d+$/.test(v)) errors.push(invalidValue(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"))
    })
  }
  values.forEach((v, i) => {
    const valueErrors = labelValueErrors(v)
    if (valueErrors.length) errors.push(invalidValue(`values[${i}][${key}]`, v, valueErrors.join('; ')))
  })
  if (errors.length) throw new LabelSelectorError(aggregate(errors))
  return {key, operator, values}
}

/** utilerrors.NewAggregate(...).Error(): one message bare, several de-duplicated in brackets. */
function aggregate(messages: string[]): string {
  const unique = [...new Set(messages)]
  return unique.length === 1 ? unique[0] : `[${unique.join(', ')}]`
}

function sortByKey(requirements: LabelRequirement[]): LabelRequirement[] {
  return requirements.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
}

// ---- public API ----

/** labels.Parse: the `?labelSelector=` grammar. Throws ApiError 400 BadRequest on bad input. */
export function parseLabelSelector(text: string): LabelSelector {
  try {
    return {requirements: sortByKey(new Parser(lex(text)).parse())}
  } catch (err) {
    if (err instanceof LabelSelectorError) throw badRequest(err.message)
    throw err
  }
}

const SPEC_OPERATORS: Record<string, LabelOperator> = {In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!'}

/**
 * metav1.LabelSelectorAsSelector: a missing spec selects nothing, an empty one selects everything.
 * Throws ApiError 400 BadRequest for an unknown operator or invalid key/values.
 */
export function labelSelectorFromSpec(spec: LabelSelectorSpec | null | undefined): LabelSelector {
  if (spec === null || spec === undefined) return {requirements: [], matchesNothing: true}
  const requirements: LabelRequirement[] = []
  try {
    for (const [key, value] of Object.entries(spec.matchLabels ?? {})) requirements.push(newRequirement(key, '=', [value]))
    for (const expr of spec.matchExpressions ?? []) {
      const operator = Object.hasOwn(SPEC_OPERATORS, expr.operator) ? SPEC_OPERATORS[expr.operator] : undefined
      if (!operator) throw new LabelSelectorError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`)
      requirements.push(newRequirement(expr.key, operator, [...(expr.values ?? [])]))
    }
  } catch (err) {
    if (err instanceof LabelSelectorError) throw badRequest(err.message)
    throw err
  }
  return {requirements: sortByKey(requirements)}
}

function requirementMatches(r: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key)
  const value = has ? labels[r.key] : undefined
  switch (r.operator) {
    case 'in': case '=': case '==':
      return has && r.values.includes(value!)
    case 'notin': case '!=':
      return !has || !r.values.includes(value!)
    case 'exists':
      return has
    case '!':
      return !has
    case 'gt': case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(value!) || r.values.length !== 1 || !/^[+-]?\d+$/.test(r.values[0])) return false
      const [actual, bound] = [BigInt(value!), BigInt(r.values[0])]
      return r.operator === 'gt' ? actual > bound : actual < bound
    }
  }
}

/** Selector.Matches: every requirement holds. Missing labels behave as an empty set. */
export function matchesLabels(sel: LabelSelector, labels?: Record<string, string> | null): boolean {
  if (sel.matchesNothing) return false
  const set = labels ?? {}
  return sel.requirements.every((r) => requirementMatches(r, set))
}

/** Selector.Empty(): true only for the select-everything selector. */
export function isEmptySelector(sel: LabelSelector): boolean {
  return !sel.matchesNothing && sel.requirements.length === 0
}

function formatRequirement(r: LabelRequirement): string {
  if (r.operator === '!') return `!${r.key}`
  if (r.operator === 'exists') return r.key
  const op = {in: ' in ', notin: ' notin ', '=': '=', '==': '==', '!=': '!=', gt: '>', lt: '<'}[r.operator]
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort().join(',')
  return r.operator === 'in' || r.operator === 'notin' ? `${r.key}${op}(${values})` : `${r.key}${op}${values}`
}

/** Selector.String(): `app=web,tier in (be,fe)`; empty for both everything and nothing (Scale status.selector form). */
export function formatLabelSelector(sel: LabelSelector): string {
  if (sel.matchesNothing) return ''
  return sel.requirements.map(formatRequirement).join(',')
}
