// An in-memory stand-in for the registry's tryGet, holding ConfigMaps, Secrets and Nodes by kind.
import type {KubeObject} from '../../../../src/cluster/api/types.js'
import type {ResourceType} from '../../../../src/cluster/api/resources.js'

export class FakeRegistry {
  private readonly objects = new Map<string, KubeObject>()

  put(kind: 'ConfigMap' | 'Secret' | 'Node', object: Record<string, unknown> & {metadata: {name: string; namespace?: string}}): void {
    this.objects.set(`${kind}/${object.metadata.namespace ?? ''}/${object.metadata.name}`, object as unknown as KubeObject)
  }

  delete(kind: string, namespace: string | undefined, name: string): void {
    this.objects.delete(`${kind}/${namespace ?? ''}/${name}`)
  }

  async tryGet(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return structuredClone(this.objects.get(`${r.kind}/${namespace ?? ''}/${name}`))
  }
}

export const b64 = (s: string) => Buffer.from(s).toString('base64')
