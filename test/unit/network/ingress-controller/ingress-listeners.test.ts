import {describe, expect, it} from 'vitest'
import {formatStatus} from '../../../../src/cli/format-status.js'
import type {ClusterStatus} from '../../../../src/cluster/index.js'
import {systemClock} from '../../../../src/cluster/clock.js'
import {Controller} from '../../../../src/cluster/controllers/controller.js'
import {SharedInformerFactory} from '../../../../src/cluster/controllers/informers/shared-informer-factory.js'
import type {ObjectRegistry} from '../../../../src/cluster/apiserver/registry/object-registry.js'
import type {Store} from '../../../../src/cluster/store/store.js'
import {IngressController, ingressListenersOf} from '../../../../src/cluster/network/ingress-controller/ingress-controller.js'

const store = {} as Store

function status(ingress?: ClusterStatus['ingress']): ClusterStatus {
  return {name: 'kcluster', state: 'Running', stateDir: '/tmp/x', driver: 'docker', components: [], nodes: [], objectCounts: {}, ...(ingress ? {ingress} : {})}
}

describe('the ingress listeners in the cluster status', () => {
  it('are absent when no ingress controller runs (the simulated runtime)', () => {
    const other = new Controller({store, reconciler: {name: 'x', reconcile: async () => undefined}, sources: []})
    expect(ingressListenersOf([other])).toBeUndefined()
  })

  it('say why there are none when the API server does not serve Ingress, and the idle controller stops cleanly', async () => {
    const idle = new IngressController({store, registry: {} as ObjectRegistry, clock: systemClock, listenHost: '127.0.0.1'}, undefined, undefined, new SharedInformerFactory(store))
    expect(idle.name).toBe('ingress-controller')
    idle.start()
    expect(ingressListenersOf([idle])).toEqual({error: 'this API server does not serve networking.k8s.io/v1 Ingress and IngressClass'})
    expect(idle.address()).toBeUndefined()
    await idle.stop()
  })

  it('print as one Ingress line under the driver', () => {
    const text = formatStatus(status({httpURL: 'http://127.0.0.1:8080', httpsURL: 'https://127.0.0.1:8443'})).replace(/\u001b\[[0-9;]*m/g, '')
    expect(text).toContain('Driver:      docker\nIngress:     http://127.0.0.1:8080, https://127.0.0.1:8443\n')
    expect(formatStatus(status({error: 'no ingress port pair could be bound'})).replace(/\u001b\[[0-9;]*m/g, '')).toContain('Ingress:     none (no ingress port pair could be bound)')
    expect(formatStatus(status())).not.toContain('Ingress:')
  })
})
