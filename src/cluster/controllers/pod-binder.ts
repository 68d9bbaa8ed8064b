// Until the scheduler lands, every pod without a node is bound to the one node (the issue allows a
// minimal binder). It binds through the same path as pods/binding.
import {resourceOfKind} from '../api/resources.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {bindPod} from '../apiserver/registry/bind-pod.js'
import type {Clock} from '../clock.js'
import type {ObjectKey, Reconciler} from './reconciler.js'

const PODS = resourceOfKind('Pod')

export class PodBinder implements Reconciler {
  readonly name = 'pod-binder'

  constructor(
    private readonly registry: ObjectRegistry,
    private readonly nodeName: string,
    private readonly clock: Clock,
  ) {}

  async reconcile(key: ObjectKey): Promise<void> {
    const pod = await this.registry.tryGet(PODS, key.namespace, key.name)
    if (!pod || pod.metadata.deletionTimestamp) return
    const spec = pod.spec as {nodeName?: string; schedulerName?: string; schedulingGates?: unknown[]} | undefined
    if (spec?.nodeName) return
    // As kube-scheduler: gated pods wait for their gates to be removed, and pods naming another
    // scheduler are that scheduler's to bind.
    if ((spec?.schedulingGates ?? []).length > 0) return
    if (spec?.schedulerName && spec.schedulerName !== 'default-scheduler') return
    try {
      await bindPod(this.registry, PODS, key.namespace!, key.name, this.nodeName, 'default-scheduler', this.clock.now())
    } catch (error) {
      // Someone else bound or deleted it meanwhile: the desired state holds either way.
      const code = (error as {code?: number}).code
      if (code !== 409 && code !== 404) throw error
    }
  }
}
