// A registry stand-in (tryGet by kind/namespace/name) and a signer for the service-account token tests.
import {generateKeyPairSync} from 'node:crypto'
import type {ResourceType} from '../../../src/cluster/api/resources.js'
import type {KubeObject} from '../../../src/cluster/api/types.js'
import type {Clock} from '../../../src/cluster/clock.js'
import {serviceAccountSigner} from '../../../src/cluster/pki/service-account-signer.js'

export class ObjectsByKind {
  private readonly objects = new Map<string, KubeObject>()

  put(kind: string, namespace: string, name: string, uid: string, extra: Record<string, unknown> = {}): void {
    this.objects.set(`${kind}/${namespace}/${name}`, {apiVersion: 'v1', kind, metadata: {name, namespace, uid}, ...extra} as KubeObject)
  }

  markDeleted(kind: string, namespace: string, name: string, at: Date): void {
    const obj = this.objects.get(`${kind}/${namespace}/${name}`)!
    obj.metadata.deletionTimestamp = at.toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  delete(kind: string, namespace: string, name: string): void {
    this.objects.delete(`${kind}/${namespace}/${name}`)
  }

  async tryGet(r: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    const found = this.objects.get(`${r.kind}/${namespace ?? ''}/${name}`)
    return found && structuredClone(found)
  }
}

export function testSigner(clock: Clock) {
  const pem = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({type: 'pkcs8', format: 'pem'}).toString()
  return serviceAccountSigner(pem, clock)
}
