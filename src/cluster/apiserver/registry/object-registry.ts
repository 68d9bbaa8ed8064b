// Generic object semantics over the Store, shared by the HTTP handlers and in-process clients:
// uid/generation/resourceVersion rules, optimistic concurrency, no-op detection, graceful deletion
// with finalizers, and validation through the kind's strategy. Kinds are never special-cased here.
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  notFound,
  qualifiedResource,
  type GroupResource,
} from '../../api/errors.js'
import {apiVersionOf, keyPrefix, objectKey, RESOURCES, type ResourceType} from '../../api/resources.js'
import {cloneJson, type KubeObject} from '../../api/types.js'
import {rfc3339, type Clock} from '../../clock.js'
import {KeyExistsError, KeyNotFoundError, RevisionConflictError, type Store} from '../../store/store.js'
import {updateManagedFields} from '../patch/managed-fields.js'
import type {ResourceStrategy, StrategyContext} from '../strategies/strategy.js'
import {decodeStored, encodeForStore, sameStoredContent} from './codec.js'
import {deletionPolicyFor, readyToRemove} from './deletion-policy.js'
import {carryOverForUpdate, generatedName, reconcileNamespace, stampForCreate} from './object-meta.js'

export interface WriteOptions {
  /** Field manager recorded in managedFields. */
  manager: string
  dryRun?: boolean
  /** 'status' for writes through the status subresource. */
  subresource?: string
  /** The caller already computed metadata.managedFields (server-side apply); keep them as given. */
  managedFieldsComputed?: boolean
}

export interface DeleteOptions {
  dryRun?: boolean
  gracePeriodSeconds?: number
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'
  preconditions?: {uid?: string; resourceVersion?: string}
}

export interface DeleteResult {
  object: KubeObject
  /** True when the object is gone; false when it is only marked (finalizers, graceful termination). */
  removed: boolean
}

/** Compute the new object from the current one (undefined when absent). Throw ApiError to refuse. */
export type Mutation = (current: KubeObject | undefined) => KubeObject | Promise<KubeObject>

export interface UpdateResult {
  object: KubeObject
  created: boolean
}

const MAX_RETRIES = 16

export class ObjectRegistry {
  constructor(
    readonly store: Store,
    private readonly strategyFor: (r: ResourceType) => ResourceStrategy,
    private readonly clock: Clock,
    private readonly strategyContext: StrategyContext,
  ) {}

  key(r: ResourceType, namespace: string | undefined, name: string): string {
    return objectKey(r, namespace, name)
  }

  async get(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const kv = await this.store.get(objectKey(r, namespace, name))
    if (!kv) throw notFound(groupResource(r), name)
    return withTypeMeta(r, decodeStored(kv))
  }

  async tryGet(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const kv = await this.store.get(objectKey(r, namespace, name))
    return kv ? withTypeMeta(r, decodeStored(kv)) : undefined
  }

  /** All objects of a kind (optionally in one namespace) and the revision the listing reflects. */
  async list(r: ResourceType, namespace?: string): Promise<{items: KubeObject[]; resourceVersion: string}> {
    const {items, revision} = await this.store.list(keyPrefix(r, namespace))
    return {items: items.map((kv) => withTypeMeta(r, decodeStored(kv))), resourceVersion: String(revision)}
  }

  async create(r: ResourceType, namespace: string | undefined, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const strategy = this.strategyFor(r)
    const obj = cloneJson(input)
    obj.metadata ??= {}
    checkTypeMeta(r, obj)
    reconcileNamespace(r, obj, namespace)
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = generatedName(obj.metadata.generateName)
    if (r.scope === 'Namespaced') await this.requireActiveNamespace(r, obj.metadata.namespace, input.metadata?.name ?? '')
    strategy.applyDefaults(obj)
    stampForCreate(r, obj, this.clock.now())
    await strategy.prepareForCreate(obj, this.strategyContext)
    const errors = strategy.validate(obj)
    if (errors.length > 0) throw invalid(r, obj.metadata.name ?? '', errors)
    obj.metadata.managedFields = this.managedFieldsFor(r, undefined, obj, opts)
    if (opts.dryRun) return obj
    for (let attempt = 0; ; attempt++) {
      try {
        const kv = await this.store.create(objectKey(r, obj.metadata.namespace, obj.metadata.name!), encodeForStore(obj))
        return withResourceVersion(r, obj, kv.modRevision)
      } catch (error) {
        if (!(error instanceof KeyExistsError)) throw error
        // A generated name collided: pick another, as the real server does.
        if (input.metadata?.name || !input.metadata?.generateName || attempt >= 3) throw alreadyExists(groupResource(r), obj.metadata.name!)
        obj.metadata.name = generatedName(input.metadata.generateName)
      }
    }
  }

  /**
   * Read-modify-write with compare-and-swap, retried when another writer got there first (like
   * GuaranteedUpdate). A mutation that returns an object carrying a resourceVersion different from the
   * stored one is a client precondition and fails with 409 instead of retrying.
   */
  async update(r: ResourceType, namespace: string | undefined, name: string, mutate: Mutation, opts: WriteOptions & {allowCreate?: boolean; requestBody?: KubeObject}): Promise<UpdateResult> {
    const key = objectKey(r, namespace, name)
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const kv = await this.store.get(key)
      const old = kv ? withTypeMeta(r, decodeStored(kv)) : undefined
      if (!old) {
        if (!opts.allowCreate) throw notFound(groupResource(r), name)
        const created = await mutate(undefined)
        if (created.metadata?.name && created.metadata.name !== name) throw nameMismatch(created.metadata.name, name)
        created.metadata = {...created.metadata, name}
        try {
          return {object: await this.create(r, namespace, created, opts), created: true}
        } catch (error) {
          if (error instanceof ApiError && error.reason === 'AlreadyExists') continue
          throw error
        }
      }
      // mutate gets its own copy of the stored object, so what it returns may be changed freely
      // (parsing the stored text again is cheaper than structuredClone of the parsed object).
      const next = await mutate(withTypeMeta(r, decodeStored(kv!)))
      next.metadata ??= {}
      checkTypeMeta(r, next)
      if (next.metadata.name !== undefined && next.metadata.name !== name) throw nameMismatch(next.metadata.name, name)
      next.metadata.name = name
      reconcileNamespace(r, next, namespace)
      const requestedVersion = next.metadata.resourceVersion
      if (requestedVersion && requestedVersion !== old.metadata.resourceVersion) throw conflict(groupResource(r), name)
      const prepared = await this.prepareUpdate(r, next, old, opts)
      // A write that changes nothing is not written (no new resourceVersion). Checked before
      // managedFields are computed: an unchanged object gives no field to own.
      if (sameStoredContent(prepared, old)) return {object: old, created: false}
      prepared.metadata.managedFields = this.managedFieldsFor(r, old, prepared, opts)
      if (opts.dryRun) return {object: prepared, created: false}
      try {
        if (readyToRemove(r, prepared)) {
          const {deleted, revision} = await this.store.delete(key, kv!.modRevision)
          return {object: withTypeMeta(r, decodeStored({...deleted, value: encodeForStore(prepared)}, revision)), created: false}
        }
        const encoded = encodeForStore(prepared)
        const written = await this.store.update(key, encoded, kv!.modRevision)
        // What was stored is exactly `prepared` (JSON without undefined members), so the answer is it
        // with its new resourceVersion rather than a second parse of the text just written.
        return {object: withResourceVersion(r, prepared, written.modRevision), created: false}
      } catch (error) {
        // Another writer got there first: run the mutation again on the fresh object. A PUT that named
        // a resourceVersion then fails the precondition above with 409; a patch re-applies cleanly.
        if (error instanceof RevisionConflictError || error instanceof KeyNotFoundError) continue
        throw error
      }
    }
    throw conflict(groupResource(r), name, 'too many concurrent writers; please try again')
  }

  private async prepareUpdate(r: ResourceType, next: KubeObject, old: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const strategy = this.strategyFor(r)
    const metaErrors = carryOverForUpdate(r, next, old)
    if (opts.subresource === 'binding') {
      // Binding is the one sanctioned write of spec.nodeName; bind-pod.ts makes exactly that change.
      if (metaErrors.length > 0) throw invalid(r, old.metadata.name ?? '', metaErrors)
      return next
    }
    strategy.applyDefaults(next)
    if (opts.subresource === 'status') strategy.prepareForStatusUpdate(next, old)
    else await strategy.prepareForUpdate(next, old, this.strategyContext)
    if (r.hasGeneration && opts.subresource === 'status') next.metadata.generation = old.metadata.generation
    const errors = [...metaErrors, ...strategy.validateUpdate(next, old)]
    if (errors.length > 0) throw invalid(r, old.metadata.name ?? '', errors)
    return next
  }

  async delete(r: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<DeleteResult> {
    const key = objectKey(r, namespace, name)
    const policy = deletionPolicyFor(r)
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      const kv = await this.store.get(key)
      if (!kv) throw notFound(groupResource(r), name)
      const old = withTypeMeta(r, decodeStored(kv))
      checkPreconditions(r, old, opts.preconditions)
      const grace = policy.gracePeriodSeconds(old, opts.gracePeriodSeconds)
      const finalizers = new Set(old.metadata.finalizers ?? [])
      if (opts.propagationPolicy === 'Foreground') finalizers.add('foregroundDeletion')
      if (opts.propagationPolicy === 'Orphan') finalizers.add('orphan')
      const marked = cloneJson(old)
      if (finalizers.size > 0) marked.metadata.finalizers = [...finalizers]
      const now = this.clock.now()
      if (old.metadata.deletionTimestamp) {
        // Already terminating: only a shorter grace period changes anything.
        const remaining = old.metadata.deletionGracePeriodSeconds ?? 0
        if (grace >= remaining && finalizers.size === (old.metadata.finalizers ?? []).length) return {object: old, removed: false}
        marked.metadata.deletionGracePeriodSeconds = Math.min(grace, remaining)
        if (grace < remaining) marked.metadata.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000))
      } else {
        marked.metadata.deletionTimestamp = rfc3339(new Date(now.getTime() + grace * 1000))
        marked.metadata.deletionGracePeriodSeconds = grace
        policy.onDeletionStarted?.(marked)
        if (r.hasGeneration && finalizers.size > 0) marked.metadata.generation = (old.metadata.generation ?? 1) + 1
      }
      if (opts.dryRun) return {object: marked, removed: !finalizers.size && !policy.heldBeyondFinalizers?.(marked)}
      try {
        if (readyToRemove(r, marked)) {
          const {deleted, revision} = await this.store.delete(key, kv.modRevision)
          return {object: withTypeMeta(r, decodeStored(deleted, revision)), removed: true}
        }
        const written = await this.store.update(key, encodeForStore(marked), kv.modRevision)
        return {object: withTypeMeta(r, decodeStored(written)), removed: false}
      } catch (error) {
        if (error instanceof RevisionConflictError || error instanceof KeyNotFoundError) continue
        throw error
      }
    }
    throw conflict(groupResource(r), name, 'too many concurrent writers; please try again')
  }

  private managedFieldsFor(r: ResourceType, old: KubeObject | undefined, updated: KubeObject, opts: WriteOptions) {
    if (opts.managedFieldsComputed) return updated.metadata.managedFields
    // updateManagedFields honours managedFields the request set explicitly (kubectl's SSA migration).
    const entries = updateManagedFields({
      old,
      updated,
      manager: opts.manager,
      apiVersion: apiVersionOf(r),
      now: this.clock.now(),
      subresource: opts.subresource,
    })
    return entries.length > 0 ? entries : undefined
  }

  /** `name` is the requested name (empty for generateName), as the lifecycle admission plugin sees it. */
  private async requireActiveNamespace(r: ResourceType, namespace: string | undefined, name: string): Promise<void> {
    if (!namespace) throw badRequest('the request must name a namespace for a namespaced resource')
    const nsResource = RESOURCES.find((x) => x.kind === 'Namespace')!
    const ns = await this.tryGet(nsResource, undefined, namespace)
    if (!ns) throw notFound({group: '', resource: 'namespaces'}, namespace)
    if (ns.metadata.deletionTimestamp) {
      // errors.NewForbidden: `<resource>[.<group>] "<name>" is forbidden: <why>` (no quoted name when empty).
      const subject = name ? `${qualifiedResource(groupResource(r))} "${name}"` : qualifiedResource(groupResource(r))
      throw new ApiError(403, 'Forbidden', `${subject} is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
        name,
        group: r.group,
        kind: r.plural,
        causes: [{reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace'}],
      })
    }
  }
}

export function groupResource(r: ResourceType): GroupResource {
  return {group: r.group, resource: r.plural}
}

/** The object as written, with the revision the store gave it (undefined members stand for the absent ones JSON leaves out). */
function withResourceVersion(r: ResourceType, obj: KubeObject, revision: number): KubeObject {
  const written = withTypeMeta(r, obj)
  written.metadata = {...written.metadata, resourceVersion: String(revision)}
  return written
}

export function withTypeMeta(r: ResourceType, obj: KubeObject): KubeObject {
  const {apiVersion: _a, kind: _k, ...rest} = obj
  return {apiVersion: apiVersionOf(r), kind: r.kind, ...rest} as KubeObject
}

function checkTypeMeta(r: ResourceType, obj: KubeObject): void {
  const expected = apiVersionOf(r)
  if (obj.apiVersion && obj.apiVersion !== expected)
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`)
  if (obj.kind && obj.kind !== r.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${r.kind})`)
  obj.apiVersion = expected
  obj.kind = r.kind
}

function nameMismatch(bodyName: string, urlName: string): ApiError {
  return badRequest(`the name of the object (${bodyName}) does not match the name on the URL (${urlName})`)
}

function checkPreconditions(r: ResourceType, obj: KubeObject, pre: DeleteOptions['preconditions']): void {
  if (!pre) return
  const name = obj.metadata.name ?? ''
  if (pre.uid && pre.uid !== obj.metadata.uid)
    throw conflict(groupResource(r), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`)
  if (pre.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion)
    throw conflict(
      groupResource(r),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`,
    )
}
