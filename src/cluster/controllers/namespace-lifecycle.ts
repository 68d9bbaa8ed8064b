// Deleting a namespace: while it is Terminating, delete everything in it; once nothing is left, clear
// spec.finalizers (the /finalize write) so the namespace itself goes.
import {RESOURCES, resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {ObjectKey, ReconcileResult, Reconciler} from './reconciler.js'

const NAMESPACES = resourceOfKind('Namespace')
const NAMESPACED = RESOURCES.filter((r) => r.scope === 'Namespaced')

export class NamespaceLifecycle implements Reconciler {
  readonly name = 'namespace-lifecycle'

  constructor(private readonly registry: ObjectRegistry) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult | void> {
    const ns = await this.registry.tryGet(NAMESPACES, undefined, key.name)
    if (!ns?.metadata.deletionTimestamp) return
    let remaining = 0
    for (const r of NAMESPACED) {
      const {items} = await this.registry.list(r, key.name)
      remaining += items.length
      for (const item of items) {
        if (item.metadata.deletionTimestamp) continue
        try {
          await this.registry.delete(r, key.name, item.metadata.name!, {propagationPolicy: 'Background'})
        } catch (error) {
          if ((error as {code?: number}).code !== 404) throw error
        }
      }
    }
    // Pods terminate gracefully and finalizers may hold objects: look again shortly.
    if (remaining > 0) return {requeueAfterMs: 500}
    await this.registry.update(
      NAMESPACES,
      undefined,
      key.name,
      (live) => ({...live!, spec: {...(live!.spec as object), finalizers: []}}) as KubeObject,
      {manager: 'namespace-controller', subresource: 'finalize'},
    )
  }
}
