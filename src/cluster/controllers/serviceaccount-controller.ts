// The ServiceAccounts controller (pkg/controller/serviceaccount): every namespace that is not being
// deleted has a ServiceAccount `default`, created again if someone deletes it.
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Store} from '../store/store.js'
import {Controller} from './controller.js'
import type {ObjectKey, Reconciler} from './reconciler.js'

export const DEFAULT_SERVICE_ACCOUNT = 'default'
/** The field manager kube-controller-manager's clients get (their user agent), as on a real cluster. */
const MANAGER = 'kube-controller-manager'

const NAMESPACES = resourceOfKind('Namespace')
const SERVICE_ACCOUNTS = resourceOfKind('ServiceAccount')

/** Keys are namespace names. */
export class ServiceAccountReconciler implements Reconciler {
  readonly name = 'serviceaccount-controller'

  constructor(private readonly registry: ObjectRegistry) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const ns = await this.registry.tryGet(NAMESPACES, undefined, key.name)
    if (!ns || ns.metadata.deletionTimestamp || (ns.status as {phase?: string} | undefined)?.phase === 'Terminating') return
    if (await this.registry.tryGet(SERVICE_ACCOUNTS, key.name, DEFAULT_SERVICE_ACCOUNT)) return
    const sa: KubeObject = {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: DEFAULT_SERVICE_ACCOUNT, namespace: key.name}}
    try {
      await this.registry.create(SERVICE_ACCOUNTS, key.name, sa, {manager: MANAGER})
    } catch (error) {
      // Created meanwhile (409), or the namespace started terminating (403): nothing left to do.
      const code = (error as {code?: number}).code
      if (code === 409 || code === 403) return
      throw error
    }
  }
}

export interface ServiceAccountControllerDeps {
  store: Store
  registry: ObjectRegistry
}

/** Watches Namespaces and the `default` ServiceAccounts (a deleted one is re-created). */
export function createServiceAccountController(deps: ServiceAccountControllerDeps): Controller {
  return new Controller({
    store: deps.store,
    reconciler: new ServiceAccountReconciler(deps.registry),
    sources: [
      {resource: NAMESPACES},
      {resource: SERVICE_ACCOUNTS, keysFor: (sa) => (sa.metadata.name === DEFAULT_SERVICE_ACCOUNT ? [{name: sa.metadata.namespace!}] : [])},
    ],
    workers: 1,
  })
}
