// Hand-written message schemas: field number -> JSON name and type, transcribed from the Kubernetes
// generated.proto files. Only what kcluster must accept is described; other field numbers are skipped
// with a warning.
//
// Emitting a field follows Go's encoding/json on the typed struct. gogo-protobuf writes every
// non-pointer scalar (even "" / 0 / false) and writes a pointer field only when it is non-nil, so:
//   - plain scalar (Go tag has omitempty): zero values are dropped, like omitempty;
//   - `ptr` (Go type is a pointer, e.g. DeploymentSpec.replicas *int32): present on the wire means set,
//     so it is kept even when 0/false/"";
//   - `keepZero` (Go tag has no omitempty, e.g. Container.name, ContainerPort.containerPort): kept too.
// Whether a field is a pointer is not in the .proto; it comes from the Go types (k8s.io/api types.go).
// Nested messages are emitted whenever present on the wire (Go never omits a non-pointer struct, and a
// present pointer struct is non-nil). Empty lists and maps cannot be present, so they never appear.

export type ScalarKind = 'string' | 'bytes' | 'bool' | 'int32' | 'int64'

/** Messages with a custom JSON form, decoded by special-types.ts instead of a schema. */
export type SpecialType = 'Time' | 'MicroTime' | 'Quantity' | 'IntOrString' | 'FieldsV1' | 'ExtraValue'

export interface FieldSpec {
  /** JSON name (empty for `inline`, whose fields land in the parent object, like Go's `json:",inline"`). */
  readonly name: string
  readonly kind: ScalarKind | 'message' | 'map'
  /** For `message`: a schema name or SpecialType. For `map`: the value type (`string`, `bytes` or a message/special). */
  readonly type?: string
  readonly repeated?: boolean
  readonly inline?: boolean
  /** Go pointer: a zero value on the wire was set explicitly and is kept. */
  readonly ptr?: boolean
  /** Go JSON tag without omitempty: a zero value is kept. */
  readonly keepZero?: boolean
}

export type MessageSchema = Readonly<Record<number, FieldSpec>>
export type SchemaRegistry = Readonly<Record<string, MessageSchema>>

interface Presence {
  ptr?: boolean
  keepZero?: boolean
}

export const PTR: Presence = {ptr: true}
export const KEEP: Presence = {keepZero: true}

export const str = (name: string, p?: Presence): FieldSpec => ({name, kind: 'string', ...p})
export const bytes = (name: string, p?: Presence): FieldSpec => ({name, kind: 'bytes', ...p})
export const bool = (name: string, p?: Presence): FieldSpec => ({name, kind: 'bool', ...p})
export const int32 = (name: string, p?: Presence): FieldSpec => ({name, kind: 'int32', ...p})
export const int64 = (name: string, p?: Presence): FieldSpec => ({name, kind: 'int64', ...p})
export const msg = (name: string, type: string, p?: Presence): FieldSpec => ({name, kind: 'message', type, ...p})
export const list = (name: string, type: string): FieldSpec => ({name, kind: 'message', type, repeated: true})
export const strList = (name: string): FieldSpec => ({name, kind: 'string', repeated: true})
export const int32List = (name: string): FieldSpec => ({name, kind: 'int32', repeated: true})
export const int64List = (name: string): FieldSpec => ({name, kind: 'int64', repeated: true})
/** proto `map<string, V>`: repeated entry messages {1: key, 2: value}. */
export const map = (name: string, valueType: string): FieldSpec => ({name, kind: 'map', type: valueType})
export const inline = (type: string): FieldSpec => ({name: '', kind: 'message', type, inline: true})

const SPECIAL_TYPES: ReadonlySet<string> = new Set<SpecialType>(['Time', 'MicroTime', 'Quantity', 'IntOrString', 'FieldsV1', 'ExtraValue'])

export function isSpecialType(type: string): type is SpecialType {
  return SPECIAL_TYPES.has(type)
}
