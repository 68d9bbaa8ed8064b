// A container's environment as the kubelet builds it (makeEnvironmentVariables): envFrom sources first,
// in order, then env entries in order, each literal value `$(VAR)`-expanded over everything defined
// before it and then the Service variables; a later definition of a name replaces the earlier value;
// the Service variables the container does not define itself come last. Missing required sources
// fail the start with CreateContainerConfigError; optional ones are skipped.
import type {Container, EnvFromSource, EnvVar} from 'kubernetes-types/core/v1.js'
import {configError} from './config-error.js'
import {fieldRefValue, resourceFieldValue, type DownwardContext} from './downward-api.js'
import {expand, lookupIn} from './expansion.js'
import {optionalSource, type EnvSources} from './env-sources.js'
import {withServiceEnv} from '../../network/service-env.js'

/** validation.IsEnvVarName: what envFrom keys (with their prefix) must look like to be used. */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/

export interface EnvWarning {
  reason: 'InvalidEnvironmentVariableNames'
  message: string
}

export interface ResolvedEnv {
  /** Names in definition order (a redefined name keeps its first position). */
  env: Map<string, string>
  /** Events the kubelet would record (envFrom keys skipped as invalid names). */
  warnings: EnvWarning[]
}

export async function resolveEnv(container: Container, sources: EnvSources, ctx: DownwardContext, serviceEnv: ReadonlyMap<string, string> = new Map()): Promise<ResolvedEnv> {
  const env = new Map<string, string>()
  const warnings: EnvWarning[] = []
  const namespace = ctx.pod.metadata?.namespace ?? ''
  try {
    for (const from of container.envFrom ?? []) {
      const warning = await addEnvFrom(env, from, sources, namespace)
      if (warning) warnings.push(warning)
    }
    for (const v of container.env ?? []) {
      const value = await envVarValue(v, env, serviceEnv, sources, ctx, container)
      if (value !== undefined) env.set(v.name, value)
    }
  } catch (error) {
    throw configError(error instanceof Error ? error.message : String(error), error)
  }
  return {env: withServiceEnv(env, serviceEnv), warnings}
}

async function addEnvFrom(env: Map<string, string>, from: EnvFromSource, sources: EnvSources, namespace: string): Promise<EnvWarning | undefined> {
  const ref = from.configMapRef ?? from.secretRef
  if (!ref) return undefined
  const kind = from.configMapRef ? 'configMap' : 'secret'
  const name = ref.name ?? ''
  const data = await optionalSource(from.configMapRef ? sources.configMap(name) : sources.secret(name), ref.optional)
  if (!data) return undefined
  const invalid: string[] = []
  for (const [key, value] of data.text) {
    const full = (from.prefix ?? '') + key
    if (!ENV_VAR_NAME.test(full)) {
      invalid.push(full)
      continue
    }
    env.set(full, value.toString())
  }
  if (invalid.length === 0) return undefined
  invalid.sort()
  return {
    reason: 'InvalidEnvironmentVariableNames',
    message: `Keys [${invalid.join(', ')}] from the EnvFrom ${kind} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
  }
}

/** One env entry's value, or undefined when an optional source or key is missing (the var is then not set). */
async function envVarValue(v: EnvVar, env: Map<string, string>, serviceEnv: ReadonlyMap<string, string>, sources: EnvSources, ctx: DownwardContext, container: Container): Promise<string | undefined> {
  // As in the kubelet, a non-empty value wins over valueFrom (validation forbids both anyway).
  if (v.value) return expand(v.value, lookupIn(env, serviceEnv))
  const from = v.valueFrom
  if (!from) return ''
  if (from.fieldRef) return fieldRefValue(from.fieldRef, ctx)
  if (from.resourceFieldRef) return resourceFieldValue(from.resourceFieldRef, ctx, container)
  const namespace = ctx.pod.metadata?.namespace ?? ''
  if (from.configMapKeyRef) {
    const {name = '', key, optional} = from.configMapKeyRef
    const data = await optionalSource(sources.configMap(name), optional)
    if (!data) return undefined
    const value = data.text.get(key)
    if (value === undefined) {
      if (optional) return undefined
      throw new Error(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`)
    }
    return value.toString()
  }
  if (from.secretKeyRef) {
    const {name = '', key, optional} = from.secretKeyRef
    const data = await optionalSource(sources.secret(name), optional)
    if (!data) return undefined
    const value = data.text.get(key)
    if (value === undefined) {
      if (optional) return undefined
      throw new Error(`couldn't find key ${key} in Secret ${namespace}/${name}`)
    }
    return value.toString()
  }
  return ''
}

/** command and args with `$(VAR)` expanded over the final environment (ExpandContainerCommandAndArgs). */
export function expandCommand(words: string[] | undefined, env: Map<string, string>): string[] | undefined {
  return words?.map((w) => expand(w, lookupIn(env)))
}
