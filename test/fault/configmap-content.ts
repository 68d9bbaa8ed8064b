// ConfigMap contents that make a half-applied write visible: one write stamps the same token on a
// label, an annotation and every data key, and the token fixes how many keys there are. Any mix of
// two writes (keys of one, values of the other, label of a third) fails `contentProblem`.

export const TOKEN_LABEL = 'fault.kcluster.dev/token'
const MAX_KEYS = 6

/** `c3-o1-s17`: client 3's object 1, its 17th write. */
export function writeToken(client: number, object: number, seq: number): string {
  return `c${client}-o${object}-s${seq}`
}

function keyCount(token: string): number {
  const seq = Number(/-s(\d+)$/.exec(token)?.[1])
  return 1 + (seq % MAX_KEYS)
}

export function dataFor(token: string): Record<string, string> {
  return Object.fromEntries(Array.from({length: keyCount(token)}, (_, i) => [`k${i}`, token]))
}

/** The full object of a create or update. */
export function configMapBody(name: string, token: string, extraLabels: Record<string, string> = {}, resourceVersion?: string): object {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {name, labels: {...extraLabels, [TOKEN_LABEL]: token}, annotations: {[TOKEN_LABEL]: token}, ...(resourceVersion ? {resourceVersion} : {})},
    data: dataFor(token),
  }
}

/** A JSON merge patch taking an object written with `previous` to exactly the content of `token`. */
export function mergePatchFor(previous: string, token: string): object {
  const data: Record<string, string | null> = {}
  for (const key of Object.keys(dataFor(previous))) data[key] = null
  Object.assign(data, dataFor(token))
  return {metadata: {labels: {[TOKEN_LABEL]: token}, annotations: {[TOKEN_LABEL]: token}}, data}
}

/** The token of a ConfigMap written by these tests; undefined for anyone else's (kube-root-ca.crt). */
export function tokenOf(object: any): string | undefined {
  return object?.metadata?.labels?.[TOKEN_LABEL]
}

/** Why this object is not the whole content of one write, or undefined when it is. */
export function contentProblem(object: any): string | undefined {
  const token = tokenOf(object)
  if (token === undefined) return undefined
  const name = `${object.metadata.namespace}/${object.metadata.name}@${object.metadata.resourceVersion}`
  if (object.metadata.annotations?.[TOKEN_LABEL] !== token) return `${name}: label ${token} but annotation ${object.metadata.annotations?.[TOKEN_LABEL]}`
  const expected = dataFor(token)
  const actual = object.data ?? {}
  const same = Object.keys(expected).length === Object.keys(actual).length && Object.entries(expected).every(([k, v]) => actual[k] === v)
  return same ? undefined : `${name}: half-applied, token ${token} with data ${JSON.stringify(actual)}`
}
