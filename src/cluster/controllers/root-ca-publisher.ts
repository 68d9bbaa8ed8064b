// The root CA publisher (pkg/controller/certificates/rootcacertpublisher): every namespace that is not
// being deleted has a ConfigMap `kube-root-ca.crt` whose ca.crt is the cluster CA, which in-cluster
// clients read (through the kube-api-access volume) to trust the API server. Re-created when deleted,
// put back when edited.
import type {ConfigMap} from 'kubernetes-types/core/v1.js'
import {resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import type {Store} from '../store/store.js'
import {Controller} from './controller.js'
import type {SharedInformerFactory} from './informers/shared-informer-factory.js'
import type {ObjectKey, Reconciler} from './reconciler.js'

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt'
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description'
export const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.'
const MANAGER = 'kube-controller-manager'

const NAMESPACES = resourceOfKind('Namespace')
const CONFIGMAPS = resourceOfKind('ConfigMap')

/** Keys are namespace names. */
export class RootCaPublisher implements Reconciler {
  readonly name = 'root-ca-cert-publisher'

  constructor(
    private readonly registry: Pick<ObjectRegistry, 'tryGet' | 'create' | 'update'>,
    private readonly caCert: string,
  ) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const ns = await this.registry.tryGet(NAMESPACES, undefined, key.name)
    if (!ns || ns.metadata.deletionTimestamp || (ns.status as {phase?: string} | undefined)?.phase === 'Terminating') return
    const cm = await this.registry.tryGet(CONFIGMAPS, key.name, ROOT_CA_CONFIGMAP)
    if (!cm) return this.create(key.name)
    if (this.isCurrent(cm)) return
    try {
      await this.registry.update(CONFIGMAPS, key.name, ROOT_CA_CONFIGMAP, (current) => this.fixed(current!), {manager: MANAGER})
    } catch (error) {
      // Deleted meanwhile: its deletion event brings the key back, and the next run creates it.
      if ((error as {code?: number}).code !== 404) throw error
    }
  }

  // As upstream: ca.crt exactly (no other keys) and the description present; other annotations and labels are the user's.
  private isCurrent(cm: KubeObject): boolean {
    const {data, binaryData} = cm as unknown as ConfigMap
    return Object.keys(data ?? {}).length === 1 && data?.['ca.crt'] === this.caCert && !binaryData && Boolean(cm.metadata.annotations?.[DESCRIPTION_ANNOTATION])
  }

  private fixed(current: KubeObject): KubeObject {
    const next: KubeObject = {
      ...current,
      metadata: {...current.metadata, annotations: {...current.metadata.annotations, [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION}},
      data: {'ca.crt': this.caCert},
    }
    delete next.binaryData
    return next
  }

  private async create(namespace: string): Promise<void> {
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {name: ROOT_CA_CONFIGMAP, namespace, annotations: {[DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION}},
      data: {'ca.crt': this.caCert},
    }
    try {
      await this.registry.create(CONFIGMAPS, namespace, cm, {manager: MANAGER})
    } catch (error) {
      // Created meanwhile (409), namespace gone (404) or terminating (403): nothing left to do.
      const code = (error as {code?: number}).code
      if (code === 409 || code === 404 || code === 403) return
      throw error
    }
  }
}

export interface RootCaPublisherDeps {
  store: Store
  registry: ObjectRegistry
  /** The cluster CA certificate, PEM. */
  caCert: string
  informers?: SharedInformerFactory
}

/** Watches Namespaces and the kube-root-ca.crt ConfigMaps (deleted or edited ones are fixed). */
export function createRootCaPublisher(deps: RootCaPublisherDeps): Controller {
  return new Controller({
    store: deps.store,
    reconciler: new RootCaPublisher(deps.registry, deps.caCert),
    sources: [
      {resource: NAMESPACES},
      {resource: CONFIGMAPS, keysFor: (cm) => (cm.metadata.name === ROOT_CA_CONFIGMAP ? [{name: cm.metadata.namespace!}] : [])},
    ],
    workers: 1,
    informers: deps.informers,
  })
}
