import {describe, expect, it} from 'vitest'
import {KIND_SCHEMAS, SCHEMAS} from '../../../../src/cluster/apiserver/protobuf/kinds.js'
import {isSpecialType} from '../../../../src/cluster/apiserver/protobuf/schema.js'

describe('the protobuf schema registry', () => {
  it('resolves every message type a field refers to', () => {
    const missing: string[] = []
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      for (const [field, spec] of Object.entries(schema)) {
        if (spec.kind !== 'message' && spec.kind !== 'map') continue
        const type = spec.type ?? ''
        const known = isSpecialType(type) || Object.hasOwn(SCHEMAS, type) || (spec.kind === 'map' && (type === 'string' || type === 'bytes'))
        if (!known) missing.push(`${name}.${field} -> ${type}`)
      }
    }
    expect(missing).toEqual([])
  })

  it('maps every supported kind to a schema with metadata in field 1', () => {
    for (const schemaName of Object.values(KIND_SCHEMAS)) {
      expect(SCHEMAS[schemaName]?.[1]).toMatchObject({name: 'metadata', type: 'meta.ObjectMeta'})
    }
  })

  it('gives every field of a message a distinct JSON name, counting inlined structs', () => {
    const namesOf = (type: string): string[] =>
      Object.values(SCHEMAS[type]).flatMap((spec) => (spec.inline ? namesOf(spec.type as string) : [spec.name]))
    for (const name of Object.keys(SCHEMAS)) {
      const names = namesOf(name)
      expect(new Set(names).size, name).toBe(names.length)
    }
  })

  it('never marks an inline or repeated field as a pointer or keep-zero field', () => {
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      for (const spec of Object.values(schema)) {
        if (spec.inline || spec.repeated) expect({name, ptr: spec.ptr, keepZero: spec.keepZero}).toEqual({name, ptr: undefined, keepZero: undefined})
      }
    }
  })
})
