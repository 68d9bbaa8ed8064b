import {describe, expect, it} from 'vitest'
import {expand, lookupIn} from '../../../../src/cluster/agent/container-config/expansion.js'

const vars = lookupIn(new Map([['A', 'alpha'], ['EMPTY', '']]), new Map([['A', 'shadowed'], ['B', 'beta']]))

describe('$(VAR) expansion', () => {
  it('replaces defined variables, the first map that has a name winning', () => {
    expect(expand('$(A)-$(B)', vars)).toBe('alpha-beta')
    expect(expand('x$(EMPTY)y', vars)).toBe('xy')
  })

  it('leaves undefined references as written', () => {
    expect(expand('$(NOPE) and $(A)', vars)).toBe('$(NOPE) and alpha')
    expect(expand('$()', vars)).toBe('$()')
  })

  it('treats $$ as an escaped dollar, so $$(A) is the literal $(A)', () => {
    expect(expand('$$(A)', vars)).toBe('$(A)')
    expect(expand('cost: $$5', vars)).toBe('cost: $5')
    expect(expand('$$$(A)', vars)).toBe('$alpha')
  })

  it('keeps a lone, trailing or unterminated operator', () => {
    expect(expand('$A $', vars)).toBe('$A $')
    expect(expand('$(A', vars)).toBe('$(A')
    expect(expand('a$(A)$(', vars)).toBe('aalpha$(')
  })
})
