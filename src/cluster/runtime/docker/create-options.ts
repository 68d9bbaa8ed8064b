// The Engine API create requests for a pod's sandbox and its app containers. Pure, so the mapping from
// a Kubernetes container (command/args, env, limits) to Docker's fields is unit-tested without an engine.
import type {ContainerCreateOptions, MountSettings} from 'dockerode'
import type {ContainerSpec} from '../runtime.js'
import {appContainerName, podHostname, sandboxContainerName} from './container-names.js'
import {appLabels, sandboxLabels} from './labels.js'
import {PAUSE_IMAGE} from './pause-image.js'

type PodIdentity = Pick<ContainerSpec, 'namespace' | 'podName' | 'podUid'>

/** The pause container that owns the pod's network and IPC namespaces, attached to the cluster network. */
export function sandboxCreateOptions(cluster: string, network: string, pod: PodIdentity, ip?: string): ContainerCreateOptions {
  return {
    name: sandboxContainerName(pod),
    Image: PAUSE_IMAGE,
    Hostname: podHostname(pod.podName),
    Labels: sandboxLabels(cluster, pod),
    HostConfig: {
      NetworkMode: network,
      // Other containers may join this IPC namespace only if it is shareable (the daemon default is private).
      IpcMode: 'shareable',
      RestartPolicy: {Name: 'no'},
    },
    NetworkingConfig: {EndpointsConfig: {[network]: ip ? {IPAMConfig: {IPv4Address: ip}} : {}}},
  }
}

/**
 * An app container joined to its sandbox's namespaces. As in Kubernetes, `command` replaces the image's
 * ENTRYPOINT and `args` its CMD; `args` alone keeps the image's ENTRYPOINT; `command` alone drops its CMD.
 */
export function appCreateOptions(cluster: string, spec: ContainerSpec, sandboxId: string): ContainerCreateOptions {
  const mounts = mountSettings(spec)
  const options: ContainerCreateOptions = {
    name: appContainerName(spec),
    Image: spec.image,
    Labels: appLabels(cluster, spec),
    Env: Object.entries(spec.env ?? {}).map(([key, value]) => `${key}=${value}`),
    Tty: spec.tty ?? false,
    OpenStdin: spec.stdin ?? false,
    StdinOnce: spec.stdinOnce ?? false,
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    HostConfig: {
      NetworkMode: `container:${sandboxId}`,
      IpcMode: `container:${sandboxId}`,
      RestartPolicy: {Name: 'no'},
      ...(spec.memoryLimitBytes !== undefined && {Memory: spec.memoryLimitBytes, MemorySwap: spec.memoryLimitBytes}),
      ...(spec.cpuLimitMillicores !== undefined && {NanoCpus: spec.cpuLimitMillicores * 1_000_000}),
      ...(mounts.length > 0 && {Mounts: mounts}),
      ...(spec.privileged && {Privileged: true}),
      ...(spec.readOnlyRootFilesystem && {ReadonlyRootfs: true}),
      ...(spec.capabilities?.add?.length && {CapAdd: spec.capabilities.add}),
      ...(spec.capabilities?.drop?.length && {CapDrop: spec.capabilities.drop}),
    },
  }
  // An empty list means "not set" in Kubernetes, as it does for Docker's ENTRYPOINT.
  if (spec.command?.length) {
    options.Entrypoint = spec.command
    options.Cmd = spec.args ?? []
  } else if (spec.args?.length) {
    options.Cmd = spec.args
  }
  if (spec.workingDir !== undefined) options.WorkingDir = spec.workingDir
  if (spec.user !== undefined) options.User = spec.user
  return options
}

/**
 * Volume mounts as Engine API `Mounts`, not `Binds`: a missing bind source is then an error rather than
 * an empty directory Docker creates as root. tmpfs mounts are world-writable, as the kubelet makes emptyDirs.
 */
export function mountSettings(spec: Pick<ContainerSpec, 'mounts' | 'tmpfs'>): MountSettings[] {
  const binds = (spec.mounts ?? []).map((m): MountSettings => ({Type: 'bind', Source: m.hostPath, Target: m.containerPath, ReadOnly: m.readOnly}))
  const tmpfs = (spec.tmpfs ?? []).map((t): MountSettings => ({
    Type: 'tmpfs',
    Source: '',
    Target: t.containerPath,
    TmpfsOptions: {SizeBytes: t.sizeBytes ?? 0, Mode: 0o777},
  }))
  return [...binds, ...tmpfs]
}
