// Which pods are bound to each node, fed from a controller's Pod watch, so a Node change wakes only the
// pods on that node instead of every pod in the cluster (client-go's spec.nodeName pod indexer).
import type {Pod} from 'kubernetes-types/core/v1.js'
import type {KubeObject} from '../../api/types.js'
import type {WatchEventType} from '../../apiserver/registry/watch.js'
import type {ObjectKey} from '../reconciler.js'

export class NodePodIndex {
  private readonly byNode = new Map<string, Set<string>>()
  private readonly nodeOf = new Map<string, string>()

  /** Record a pod event; returns the pod's node (undefined when unbound or deleted). */
  observe(obj: KubeObject, event: WatchEventType): string | undefined {
    const id = `${obj.metadata.namespace}/${obj.metadata.name}`
    const node = event === 'DELETED' ? undefined : (obj as Pod).spec?.nodeName || undefined
    const before = this.nodeOf.get(id)
    if (before === node) return node
    if (before !== undefined) {
      const pods = this.byNode.get(before)
      pods?.delete(id)
      if (pods?.size === 0) this.byNode.delete(before)
      this.nodeOf.delete(id)
    }
    if (node !== undefined) {
      this.nodeOf.set(id, node)
      const pods = this.byNode.get(node) ?? new Set<string>()
      pods.add(id)
      this.byNode.set(node, pods)
    }
    return node
  }

  /** Keys of the pods last seen bound to this node. */
  podsOn(nodeName: string): ObjectKey[] {
    return [...(this.byNode.get(nodeName) ?? [])].map((id) => {
      const slash = id.indexOf('/')
      return {namespace: id.slice(0, slash), name: id.slice(slash + 1)}
    })
  }
}
