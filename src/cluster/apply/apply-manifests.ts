// `kcluster apply`: read every input, apply the good documents in order, and report each bad one
// (file:line, why, what to do). One failure never hides the outcome of the others.
import {KubeApiError, KubeConnectionError, type HttpClient} from '../client/http-client.js'
import {applyObject, ApplyInputError, type AppliedObject} from './apply-object.js'
import {Discovery, UnknownKindError} from './discovery.js'
import {readManifests, sortProblems, type ManifestDocument, type ManifestProblem} from './read-manifests.js'

export interface ApplyOptions {
  files: readonly string[]
  namespace?: string
  dryRun?: boolean
  readStdin?: () => Promise<string>
}

export interface ApplyResult {
  applied: AppliedObject[]
  problems: ManifestProblem[]
  dryRun: boolean
}

export async function applyDocuments(client: Pick<HttpClient, 'get' | 'request'>, options: ApplyOptions): Promise<ApplyResult> {
  const {documents, problems, sources} = await readManifests(options.files, options.readStdin)
  const applied: AppliedObject[] = []
  const discovery = new Discovery(client)
  const dryRun = options.dryRun ?? false
  for (const [i, doc] of documents.entries()) {
    try {
      applied.push(await applyObject(client, discovery, doc.object, {namespace: options.namespace, dryRun}))
    } catch (error) {
      problems.push(problemFor(doc, error))
      if (error instanceof KubeConnectionError) {
        const left = documents.length - i - 1
        if (left > 0) problems.push({source: doc.source, message: `${left} later object(s) were not applied`, fix: 'run the same apply again once the cluster answers'})
        break
      }
    }
  }
  return {applied, problems: sortProblems(problems, sources), dryRun}
}

function problemFor(doc: ManifestDocument, error: unknown): ManifestProblem {
  const at = {source: doc.source, line: doc.line}
  const what = `${doc.object.kind} "${doc.object.metadata.name}"`
  if (error instanceof ApplyInputError) return {...at, message: `${what}: ${error.message}`, fix: error.fix}
  if (error instanceof UnknownKindError) {
    return {...at, message: `${what}: ${error.message}`, fix: 'check apiVersion and kind; kubectl api-resources lists what this cluster serves'}
  }
  if (error instanceof KubeConnectionError) {
    return {...at, message: `${what}: the API server did not answer (${error.message})`, fix: 'check the cluster with: kcluster status'}
  }
  if (error instanceof KubeApiError) return {...at, message: `${what}: ${apiMessage(error)}`, fix: apiFix(error)}
  throw error
}

function apiMessage(error: KubeApiError): string {
  const conflicts = error.causes.filter((c) => c.reason === 'FieldManagerConflict')
  if (conflicts.length) {
    const fields = conflicts.map((c) => `${c.field ?? '?'} (${c.message ?? 'owned by another manager'})`).join(', ')
    return `field ownership conflict: ${fields}`
  }
  return shorten(error.message)
}

const MAX_MESSAGE = 1500

/**
 * The API server quotes the whole patch in some errors (`patch: Invalid value: "{...}": json: cannot
 * unmarshal ...`, as kube-apiserver does), megabytes for a large object; the reason is at the end.
 */
export function shorten(message: string): string {
  if (message.length <= MAX_MESSAGE) return message
  const cut = message.length - 1000 - 400
  return `${message.slice(0, 1000)} … (${cut} characters cut) … ${message.slice(-400)}`
}

function apiFix(error: KubeApiError): string {
  if (error.causes.some((c) => c.reason === 'FieldManagerConflict')) {
    return 'another manager owns these fields and kcluster apply never takes them over: change them with the tool that owns them, drop them from this manifest, or run kubectl apply --server-side --force-conflicts'
  }
  switch (error.reason) {
    case 'Invalid':
      return 'correct the fields named in the message'
    case 'BadRequest':
      return 'correct the manifest (unknown or mistyped fields are rejected)'
    case 'NotFound':
      return 'create what is missing first (e.g. put the Namespace object earlier in the input)'
    case 'UnsupportedMediaType':
      return 'this cluster cannot server-side apply this kind yet; use kubectl apply (client-side) for it'
    case 'Forbidden':
      return 'the request was refused; check the object against the message'
    default:
      return 'see the message from the API server'
  }
}
