// postStart and preStop hooks (pkg/kubelet/lifecycle/handlers.go): exec in the container, an HTTP GET
// to the pod, or a sleep. A hook answers nothing when it succeeds and the kubelet's message when it
// fails; what a failure means (kill the container, go on with the stop) is pod sync's business.
import type {Container, LifecycleHandler, Pod} from 'kubernetes-types/core/v1.js'
import type {ExecInContainer} from './probes/exec-probe.js'
import {httpProbe} from './probes/http-probe.js'
import {resolveContainerPort} from './probes/probe-spec.js'

export interface HookContext {
  pod: Pod
  container: Container
  podIP?: string
  exec: ExecInContainer
  sleep: (ms: number, signal: AbortSignal) => Promise<void>
}

/** Runs the hook within `timeoutMs`; undefined on success, else the message of the kubelet's Failed*Hook event. */
export async function runHook(handler: LifecycleHandler, ctx: HookContext, timeoutMs: number): Promise<string | undefined> {
  const {pod, container} = ctx
  const podRef = `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`
  const signal = AbortSignal.timeout(Math.max(1, timeoutMs))
  try {
    if (handler.exec?.command) {
      const command = handler.exec.command
      const {exitCode, output} = await ctx.exec(command, timeoutMs, signal)
      if (exitCode === 0) return undefined
      return `Exec lifecycle hook ([${command.join(' ')}]) for Container "${container.name}" in Pod "${podRef}" failed - error: command '${command.join(' ')}' exited with ${exitCode}: ${output.trim()}, message: "${output.trim()}"`
    }
    if (handler.httpGet) {
      const h = handler.httpGet
      const host = h.host ?? ctx.podIP
      if (!host) return `HTTP lifecycle hook (${h.path ?? '/'}) for Container "${container.name}" in Pod "${podRef}" failed - error: the pod has no IP yet`
      const outcome = await httpProbe({
        scheme: h.scheme === 'HTTPS' ? 'https' : 'http',
        host,
        port: resolveContainerPort(h.port, container),
        path: h.path ?? '/',
        headers: (h.httpHeaders ?? []).map((x) => ({name: x.name, value: x.value})),
        timeoutMs,
      })
      if (outcome.result === 'success') return undefined
      return `HTTP lifecycle hook (${h.path ?? '/'}) for Container "${container.name}" in Pod "${podRef}" failed - error: ${outcome.output}`
    }
    if (handler.sleep) {
      await ctx.sleep(handler.sleep.seconds * 1000, signal).catch(() => undefined)
      return undefined
    }
    return undefined
  } catch (error) {
    return `lifecycle hook for Container "${container.name}" in Pod "${podRef}" failed - error: ${error instanceof Error ? error.message : String(error)}`
  }
}
