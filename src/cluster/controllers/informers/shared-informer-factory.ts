// One SharedInformer per resource for a whole control plane (client-go's SharedInformerFactory):
// every controller given the same factory shares one list, one watch and one cache per resource.
// Informers start when their first user acquires them (Controller.start does) and stop with the last.
import type {ResourceType} from '../../api/resources.js'
import type {Store} from '../../store/store.js'
import {SharedInformer, type SharedInformerOptions} from './shared-informer.js'

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer>()

  constructor(
    private readonly store: Store,
    private readonly opts: SharedInformerOptions = {freeze: process.env.KCLUSTER_FREEZE_INFORMER_OBJECTS === '1'},
  ) {}

  informerFor(resource: ResourceType): SharedInformer {
    const id = `${resource.group}/${resource.kind}`
    let informer = this.informers.get(id)
    if (!informer) this.informers.set(id, (informer = new SharedInformer(this.store, resource, this.opts)))
    return informer
  }
}
