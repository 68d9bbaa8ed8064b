// Assembles one cluster in this process: store -> registry -> API server, plus the node agent on
// the chosen runtime and the in-process controllers. stop() tears down in reverse order.
import {setMaxListeners} from 'node:events'
import {join} from 'node:path'
import {objectKey, RESOURCES, resourceOfKind} from '../api/resources.js'
import type {KubeObject} from '../api/types.js'
import type {Service} from 'kubernetes-types/core/v1.js'
import type {ObjectRegistry} from '../apiserver/registry/object-registry.js'
import {startApiServer, type ApiServer} from '../apiserver/server.js'
import {NodeAgents, type NodeAgentState} from '../agent/node-agents.js'
import {hostCapacity, nodeObject} from '../agent/node-spec.js'
import {PodSyncReconciler} from '../agent/pod-sync.js'
import {podKeysReferencing} from '../agent/pod-references.js'
import {PodLogReader} from '../agent/pod-logs.js'
import {execViaStreams} from '../agent/probes/index.js'
import {rfc3339, systemClock, type Clock} from '../clock.js'
import {Controller} from '../controllers/controller.js'
import {NamespaceLifecycle} from '../controllers/namespace-lifecycle.js'
import {createScheduler} from '../scheduler/scheduler.js'
import {SharedInformerFactory} from '../controllers/informers/shared-informer-factory.js'
import {NAMESPACE_INDEX, NODE_NAME_INDEX, nodeNameIndex} from '../controllers/informers/indexers.js'
import {createReplicaSetController} from '../controllers/replicaset-controller.js'
import {createDeploymentController} from '../controllers/deployment/deployment-controller.js'
import {createServiceAccountController} from '../controllers/serviceaccount-controller.js'
import {createRootCaPublisher} from '../controllers/root-ca-publisher.js'
import {serviceAccountAuthenticator} from '../apiserver/service-account-authn.js'
import {serviceAccountTokens} from '../apiserver/service-account-tokens.js'
import {ProjectedTokens} from '../agent/container-config/projected-tokens.js'
import {ensureServiceAccountSigner} from '../pki/service-account-signer.js'
import {createEndpointsController} from '../controllers/endpoints-controller.js'
import {createEndpointSliceController} from '../controllers/endpointslice-controller.js'
import {createEventTtlController} from '../events/event-ttl.js'
import {GarbageCollector} from '../controllers/garbage-collector.js'
import {createPodGcController} from '../controllers/pod-gc-controller.js'
import {createNodeLifecycleController} from '../controllers/node-lifecycle/node-lifecycle-controller.js'
import {createTaintEvictionController} from '../controllers/node-lifecycle/taint-eviction-controller.js'
import type {WatchEventType} from '../apiserver/registry/watch.js'
import {logger} from '../log.js'
import {ensureServingAddresses, type ClusterCertificates} from '../pki/certificates.js'
import {startAutoCompaction} from '../store/auto-compaction.js'
import {openSqliteStore, type SqliteStore} from '../store/sqlite-store.js'
import type {Store} from '../store/store.js'
import type {StreamRuntime} from '../apiserver/streams/stream-runtime.js'
import {decodeStored} from '../apiserver/registry/codec.js'
import {kubernetesServiceIP, networkOfServiceCIDR, SIMULATED_ADDRESSING, type ClusterAddressing} from '../network/cluster-addressing.js'
import {createHostServicesController} from '../network/host-services/host-services-controller.js'
import {createIngressController, ingressListenersOf} from '../network/ingress-controller/ingress-controller.js'
import type {ContainerRuntime} from '../runtime/runtime.js'
import {bootstrapObjects} from './bootstrap.js'
import {clusterDnsAddress, startInClusterNetwork} from './in-cluster-network.js'
import {clusterStatus} from './cluster-status.js'
import {createRegistry} from './create-registry.js'
import {createRuntime} from './create-runtime.js'
import {startIdleMemoryTrim} from './idle-memory-trim.js'

export interface ControlPlaneOptions {
  name: string
  stateDir: string
  /** 0 picks a free port (tests). */
  port: number
  driver: 'sim' | 'docker'
  certificates: ClusterCertificates
  clock?: Clock
  /** Simulated container start delay. */
  simStartDelayMs?: number
  /** Pods each node admits (default 110, like a kubelet). */
  nodeMaxPods?: number
  /** Nodes of a new cluster, the first included (default 1); more are simulated nodes. */
  nodeCount?: number
  /** Each node's cpu and memory capacity (default: the host's). */
  nodeCpu?: string
  nodeMemory?: string
  /** Heartbeat silence after which a node is NotReady/Unknown (default 40 s). */
  nodeMonitorGracePeriodMs?: number
  bookmarkIntervalMs?: number
  /** Built-in controllers (by reconciler name) not to run: API-semantics tests run without a controller manager. */
  disableControllers?: string[]
  /** More controllers to run beside the built-in ones (tests of controllers not yet wired in). */
  extraControllers?: (deps: ControllerDeps) => Controller[]
  /** Revisions of watch history auto-compaction keeps (default 50,000); tests shrink it to provoke 410 Expired. */
  compactKeepRevisions?: number
  /** Time between auto-compactions (default 60 s). */
  compactIntervalMs?: number
  /** Node Lease renewal interval (default 10 s, the kubelet's). */
  leaseRenewMs?: number
  /** Serves exec, attach and port-forward (tests inject one; absent: those upgrades answer 501). */
  streams?: StreamRuntime
}

/** What a controller factory gets. */
export interface ControllerDeps {
  store: Store
  registry: ObjectRegistry
  clock: Clock
  nodeName: string
}

export interface ControlPlane {
  url: string
  port: number
  stop(): Promise<void>
}

const find = resourceOfKind

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const log = logger('control-plane')
  const clock = opts.clock ?? systemClock
  const startedAt = clock.now()
  // First, so an unusable runtime (Docker down) fails the start before anything is opened.
  const nodeRuntime = await createRuntime({driver: opts.driver, cluster: opts.name, stateDir: opts.stateDir, clock, simStartDelayMs: opts.simStartDelayMs})
  const runtime = nodeRuntime.runtime
  const store: SqliteStore = await openSqliteStore(join(opts.stateDir, 'store.db'))
  const compaction = startAutoCompaction(store, {keepRevisions: opts.compactKeepRevisions ?? 10_000, intervalMs: opts.compactIntervalMs ?? 60_000, clock})
  const shutdown = new AbortController()
  const memoryTrim = startIdleMemoryTrim()
  // Every open watch listens for shutdown; dozens of informers are normal, not a leak.
  setMaxListeners(0, shutdown.signal)
  const releaseStore = async () => {
    memoryTrim.stop()
    await compaction.stop()
    await store.close()
  }
  // Addressing, the signer and the certificates can fail (Docker gone, unreadable key): the store is closed then too.
  const {addressing, registry, saSigner, certificates} = await (async () => {
    const addressing = await clusterAddressing(runtime, store)
    const registry = createRegistry(store, clock, addressing.serviceCIDR)
    // Service-account tokens (TokenRequest, bearer authentication, projected volumes) share one key beside the certificates.
    const saSigner = await ensureServiceAccountSigner(join(opts.stateDir, 'pki'), clock)
    // Pods reach the API at the `kubernetes` ClusterIP, forwarded to the host's address on their network:
    // the serving certificate must name both (client-go checks the IP it dialled).
    const certificates = addressing.hostAddress
      ? await ensureServingAddresses(join(opts.stateDir, 'pki'), opts.certificates, [kubernetesServiceIP(addressing.serviceCIDR), addressing.hostAddress])
      : opts.certificates
    return {addressing, registry, saSigner, certificates}
  })().catch(async (error: unknown) => {
    await releaseStore()
    throw error
  })
  const saTokens = serviceAccountTokens({signer: saSigner, registry, clock})

  const nodeName = opts.name
  const hostIP = '127.0.0.1'
  let ready = false
  const controllers: Controller[] = []
  let server: ApiServer | undefined
  let nodes: NodeAgents | undefined
  let wakeNode: (name: string, state: NodeAgentState | undefined) => void = () => undefined
  let stopRuntimeEvents = () => undefined as unknown
  let stopPodSync: () => Promise<unknown> = async () => undefined
  let stopInClusterNetwork = () => undefined as unknown
  let networkHealth: (() => {name: string; healthy: boolean; message: string}) | undefined
  try {
    server = await startApiServer({
      port: opts.port,
      tls: {ca: certificates.caCert, cert: certificates.serverCert, key: certificates.serverKey},
      podNetworkAddress: addressing.hostAddress,
      services: {registry, store, clock, bookmarkIntervalMs: opts.bookmarkIntervalMs ?? 60_000, shutdownSignal: shutdown.signal, podLogs: new PodLogReader(runtime), streams: opts.streams ?? nodeRuntime.streams, serviceAccountTokens: saTokens},
      authenticateToken: serviceAccountAuthenticator({signer: saSigner, registry, clock}),
      healthChecks: () => [
        {name: 'ping', ok: true},
        {name: 'etcd', ok: true},
        {name: 'poststarthook/kcluster-bootstrap', ok: ready},
      ],
      onRequest: memoryTrim.touch,
      clusterStatus: () =>
        clusterStatus({name: opts.name, driver: opts.driver, startedAt: rfc3339(startedAt), apiURL: server!.url, registry, controllersRunning: controllers.length, ingress: ingressListenersOf(controllers), extraComponents: networkHealth ? [networkHealth()] : []}),
    })
    const newCluster = (await registry.list(find('Node'))).items.length === 0
    await bootstrapObjects(registry, {apiPort: server.port, apiAddress: addressing.hostAddress, serviceCIDR: addressing.serviceCIDR, clusterDnsIP: clusterDnsAddress(nodeRuntime, addressing)})
    // The first node's kubelet registers it; a new cluster's other nodes are created once, here, and
    // from then on live in the store like any node (`kcluster node add|remove`).
    nodes = new NodeAgents({
      store,
      registry,
      clock,
      hostIP,
      runtimeName: runtime.name,
      primaryNode: nodeName,
      podCIDR: addressing.podCIDR,
      defaultCapacity: hostCapacity(opts.stateDir, {cpu: opts.nodeCpu, memory: opts.nodeMemory, pods: opts.nodeMaxPods}),
      // A kubelet renews its lease several times per grace period (10 s against 40 s); a shortened
      // grace period shortens the renewal with it, or healthy nodes would look dead.
      leaseRenewMs: opts.leaseRenewMs ?? Math.min(10_000, Math.floor((opts.nodeMonitorGracePeriodMs ?? 40_000) / 4)),
      onNodeChange: (name, state) => wakeNode(name, state),
    })
    if (newCluster) await createSimulatedNodes(registry, nodeName, hostIP, opts.nodeCount ?? 1)
    await nodes.start()

    // Predicates, as in controller-runtime: each controller is only woken for the pods it acts on.
    const podKey = (pod: KubeObject) => [{namespace: pod.metadata.namespace, name: pod.metadata.name!}]
    const nodeNameOf = (pod: KubeObject) => (pod.spec as {nodeName?: string} | undefined)?.nodeName
    const gc = new GarbageCollector(registry)
    const informers = new SharedInformerFactory(store)
    // Pod sync reads pods from this cache, and a node's pods come from its node index (not a store listing).
    const podInformer = informers.informerFor(find('Pod'))
    // Before pod sync: the pods' resolv.conf points at the DNS kcluster-net answers.
    const inClusterNetwork = await startInClusterNetwork({nodeRuntime, addressing, stateDir: opts.stateDir, informers, clock})
    stopInClusterNetwork = () => inClusterNetwork?.stop()
    networkHealth = inClusterNetwork && (() => inClusterNetwork.health())
    podInformer.addIndexer(NODE_NAME_INDEX, nodeNameIndex)
    // The agent wakes a pod when one of its container starts ends; podSync exists by then.
    const wakePod = (key: {namespace?: string; name: string}) => podSync.enqueue(key)
    const agents = nodes
    // Probes, env and volumes need real processes and files: Docker only (kwok's simulated pods skip them too).
    const streams = nodeRuntime.streams
    const podSyncReconciler = new PodSyncReconciler({
      nodes: agents,
      hostIP,
      registry,
      runtime,
      clock,
      wake: wakePod,
      pods: podInformer.cache,
      probeExec: streams ? execViaStreams(streams) : undefined,
      containerConfig: opts.driver === 'docker' ? {registry, podsDir: join(opts.stateDir, 'pods'), hostIP, services: (namespace) => servicesForEnv(registry, namespace), dns: inClusterNetwork?.dns, tokens: new ProjectedTokens(saTokens, clock)} : undefined,
    })
    stopPodSync = () => podSyncReconciler.stop()
    const podSync: Controller = new Controller({
      store,
      reconciler: podSyncReconciler,
      sources: [
        {resource: find('Pod'), keysFor: (pod) => (agents.stateOf(nodeNameOf(pod) ?? '') === 'running' ? podKey(pod) : [])},
        // A changed ConfigMap or Secret rewrites the volume files of the pods using it (simulated pods have no files).
        ...(opts.driver === 'docker' ? (['ConfigMap', 'Secret'] as const) : []).map((kind) => ({
          resource: find(kind),
          keysFor: (source: KubeObject) => podKeysReferencing(source, kind, (namespace) => podInformer.cache.byIndex(NAMESPACE_INDEX, namespace)),
        })),
      ],
      // A simulated pod's sync mostly waits for its status write to be made durable, so many syncs in
      // flight share each group commit (a kubelet runs one pod worker per pod); Docker starts stay
      // two at a time, as the engine is the bottleneck there.
      workers: opts.driver === 'sim' ? 16 : 2,
      informers,
    })
    // A kubelet that comes back (or a node that goes away) re-syncs the pods bound to it.
    wakeNode = (name: string, state: NodeAgentState | undefined) => {
      if (state === 'stopped') return
      for (const pod of podInformer.cache.byIndex(NODE_NAME_INDEX, name)) podSync.enqueue(podKey(pod)[0]!)
    }
    controllers.push(
      podSync,
      // Few workers: scheduling keeps up at ~1,000 pods/s, and API requests keep priority on this thread.
      createScheduler({store, registry, clock, nodeName, workers: 2, informers}),
      createReplicaSetController({store, registry, clock, informers}),
      createDeploymentController({store, registry, clock, informers}),
      createServiceAccountController({store, registry}),
      createRootCaPublisher({store, registry, caCert: opts.certificates.caCert, informers}),
      createEndpointsController({store, registry, informers}),
      createEndpointSliceController({store, registry, informers}),
      createEventTtlController({store, registry, clock}),
      createPodGcController({store, registry}),
      createNodeLifecycleController({store, registry, clock, gracePeriodMs: opts.nodeMonitorGracePeriodMs, informers}),
      createTaintEvictionController({store, registry, clock, informers}),
      // NodePort and LoadBalancer Services on 127.0.0.1 (simulated pods have no IPs to forward to); stop() closes them.
      ...(opts.driver === 'docker' ? [createHostServicesController({store, registry, clock, informers, listenHost: '127.0.0.1'})] : []),
      // Ingress listeners on 127.0.0.1 route to pod IPs, which only Docker pods have.
      ...(opts.driver === 'docker' ? [createIngressController({store, registry, clock, informers, listenHost: hostIP})] : []),
      new Controller({store, reconciler: new NamespaceLifecycle(registry), sources: [{resource: find('Namespace')}], workers: 1}),
      new Controller({store, reconciler: gc, sources: RESOURCES.map((resource) => ({resource, keysFor: (obj: KubeObject, _r: unknown, event: WatchEventType) => gc.keysFor(resource, obj, event)})), workers: 2}),
    )
    // Ready means the API serves and the node is registered; controllers catch up from here (their
    // first listing of a big store takes a while and must not hold up `kcluster start`).
    ready = true
    log.info({name: opts.name, url: server.url}, 'control plane ready')
    // disableControllers names built-in ones only, so a test can swap one for a differently tuned copy.
    const builtIn = controllers.filter((c) => !opts.disableControllers?.includes(c.name))
    controllers.length = 0
    controllers.push(...builtIn, ...(opts.extraControllers?.({store, registry, clock, nodeName}) ?? []))
    for (const c of controllers) c.start()
    // A container that exits on its own (PLEG's job in a kubelet) wakes its pod.
    const unsubscribeRuntime = runtime.subscribe?.((c) => podSync.enqueue({namespace: c.spec.namespace, name: c.spec.podName}))
    stopRuntimeEvents = () => unsubscribeRuntime?.()
    // Containers whose pod went away while the control plane was down: their pods' keys are not in
    // any listing, so reconcile them from what the runtime holds (pod-sync removes them).
    for (const c of await runtime.list()) podSync.enqueue({namespace: c.spec.namespace, name: c.spec.podName})
    for (const p of (await runtime.preparedPods?.()) ?? []) podSync.enqueue({namespace: p.namespace, name: p.podName})
  } catch (error) {
    stopInClusterNetwork()
    shutdown.abort()
    memoryTrim.stop()
    await nodes?.stop()
    await server?.close()
    await releaseStore()
    throw error
  }

  const url = server.url
  const port = server.port
  return {
    url,
    port,
    async stop() {
      log.info({}, 'control plane stopping')
      ready = false
      shutdown.abort()
      stopRuntimeEvents()
      // Pod sync starts nothing more from here; its starts under way finish before the runtime stops containers.
      const podSyncStopped = stopPodSync()
      stopInClusterNetwork()
      for (const c of [...controllers].reverse()) await c.stop()
      await podSyncStopped
      await nodes!.stop()
      await nodeRuntime.shutdown().catch((error) => log.warn({err: error}, 'runtime shutdown failed'))
      await server!.close()
      await releaseStore()
      log.info({}, 'control plane stopped')
    },
  }
}

/** A new cluster's nodes after the first: `<name>-m02`, `<name>-m03`..., as minikube names them. */
async function createSimulatedNodes(registry: ObjectRegistry, first: string, hostIP: string, count: number): Promise<void> {
  for (let i = 2; i <= count; i++) {
    const name = `${first}-m${String(i).padStart(2, '0')}`
    const node = nodeObject({name, hostIP, controlPlane: false})
    await registry.create(find('Node'), undefined, node as unknown as KubeObject, {manager: 'kcluster'})
  }
}

/**
 * The runtime's pod and Service ranges. A cluster that exists already asks for the network its
 * `kubernetes` Service's ClusterIP came from, so Services keep their addresses when the Docker network
 * has to be made again.
 */
async function clusterAddressing(runtime: ContainerRuntime, store: Store): Promise<ClusterAddressing> {
  if (!runtime.addressing) return SIMULATED_ADDRESSING
  const kv = await store.get(objectKey(resourceOfKind('Service'), 'default', 'kubernetes'))
  const ip = kv && (decodeStored(kv).spec as {clusterIP?: string} | undefined)?.clusterIP
  // The Service half is the upper /17 of a /16: its network is the /16 around the address.
  return runtime.addressing(ip ? networkOfServiceCIDR(`${ip}/17`) : undefined)
}

/** A namespace's Services and default/kubernetes: what a container's Service variables are made from. */
async function servicesForEnv(registry: ObjectRegistry, namespace: string): Promise<Service[]> {
  const services = resourceOfKind('Service')
  const inNamespace = (await registry.list(services, namespace)).items as unknown as Service[]
  if (namespace === 'default') return inNamespace
  const kubernetes = (await registry.tryGet(services, 'default', 'kubernetes')) as unknown as Service | undefined
  return kubernetes ? [...inNamespace, kubernetes] : inNamespace
}
