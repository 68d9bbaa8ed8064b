// A small in-memory Docker engine for the runtime's unit tests: containers with labels, state and a
// fixed address on one network, and the failures an engine restart leaves (a start refused, a phantom
// endpoint). Only the calls the sandbox and kcluster-net code make are there.
import type Dockerode from 'dockerode'

export interface FakeContainer {
  Id: string
  name: string
  Labels: Record<string, string>
  State: 'created' | 'running' | 'exited'
  /** The address it was created with. */
  fixed?: string
  ip?: string
}

export interface FakeEngine {
  docker: Dockerode
  containers: FakeContainer[]
  calls: string[]
  /** Makes the next start of this container fail with this error. */
  failStart(name: string, error: Error): void
  /** An endpoint of this name stays on the network (a container removed while the engine went down). */
  phantoms: Set<string>
}

export const NETWORK = 'kcluster-dev'

export function httpError(status: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${status}) ${message}`), {statusCode: status})
}

export function fakeEngine(): FakeEngine {
  const containers: FakeContainer[] = []
  const calls: string[] = []
  const startFailures = new Map<string, Error>()
  const phantoms = new Set<string>()
  let next = 1
  const find = (idOrName: string) => containers.find((c) => c.Id === idOrName || c.name === idOrName)
  const info = (c: FakeContainer) => ({
    Id: c.Id,
    Names: [`/${c.name}`],
    Labels: c.Labels,
    State: c.State,
    NetworkSettings: {Networks: {[NETWORK]: {IPAddress: c.State === 'running' ? (c.ip ?? '') : '', IPAMConfig: c.fixed ? {IPv4Address: c.fixed} : null}}},
  })
  const handle = (idOrName: string) => ({
    id: find(idOrName)?.Id ?? idOrName,
    start: async () => {
      const c = find(idOrName)
      if (!c) throw httpError(404, `No such container: ${idOrName}`)
      calls.push(`start ${c.name}`)
      const failure = startFailures.get(c.name)
      if (failure) {
        startFailures.delete(c.name)
        throw failure
      }
      if (c.State === 'running') throw httpError(304, 'container already started')
      c.State = 'running'
      c.ip = c.fixed ?? `10.200.0.${100 + next++}`
    },
    remove: async () => {
      const c = find(idOrName)
      if (!c) throw httpError(404, `No such container: ${idOrName}`)
      calls.push(`remove ${c.name}`)
      containers.splice(containers.indexOf(c), 1)
    },
    inspect: async () => {
      const c = find(idOrName)
      if (!c) throw httpError(404, `No such container: ${idOrName}`)
      return {Id: c.Id, Config: {Labels: c.Labels}, State: {Running: c.State === 'running'}, NetworkSettings: info(c).NetworkSettings}
    },
  })
  const docker = {
    listContainers: async (opts: {filters?: {label?: string[]}}) =>
      containers
        .filter((c) => (opts.filters?.label ?? []).every((l) => {
          const [key, value] = l.split('=')
          return value === undefined ? key! in c.Labels : c.Labels[key!] === value
        }))
        .map(info),
    getContainer: handle,
    createContainer: async (opts: {name: string; Labels: Record<string, string>; NetworkingConfig?: {EndpointsConfig?: Record<string, {IPAMConfig?: {IPv4Address?: string}}>}}) => {
      const fixed = opts.NetworkingConfig?.EndpointsConfig?.[NETWORK]?.IPAMConfig?.IPv4Address
      calls.push(`create ${opts.name}${fixed ? ` at ${fixed}` : ''}`)
      if (phantoms.has(opts.name)) throw httpError(403, `endpoint with name ${opts.name} already exists in network ${NETWORK}`)
      if (find(opts.name)) throw httpError(409, `Conflict. The container name "/${opts.name}" is already in use`)
      const c: FakeContainer = {Id: `id${next++}`, name: opts.name, Labels: opts.Labels, State: 'created', ...(fixed && {fixed})}
      containers.push(c)
      return handle(c.Id)
    },
    listNetworks: async () => [{Id: 'net1', Name: NETWORK}],
    getNetwork: () => ({
      inspect: async () => ({Id: 'net1', Name: NETWORK, IPAM: {Config: [{Subnet: '10.200.0.0/16', IPRange: '10.200.0.0/17', Gateway: '10.200.0.1'}]}}),
      disconnect: async (opts: {Container: string; Force?: boolean}) => {
        calls.push(`disconnect ${opts.Container}${opts.Force ? ' force' : ''}`)
        phantoms.delete(opts.Container)
      },
    }),
  } as unknown as Dockerode
  return {docker, containers, calls, phantoms, failStart: (name, error) => startFailures.set(name, error)}
}
