// Per-kind behaviour behind the generic handlers: defaulting, what a write may change, validation.
// Generic handlers (create/update/patch/delete) call these hooks and never special-case a kind.
import type {FieldError} from '../../api/errors.js'
import type {KubeObject} from '../../api/types.js'
import type {Clock} from '../../clock.js'

export interface StrategyContext {
  clock: Clock
  /** Allocate a Service cluster IP (the requested one if free); throws an ApiError 422 if impossible. */
  allocateClusterIP(requested?: string): Promise<string>
  /** Allocate a NodePort in 30000-32767 (the requested one if free). */
  allocateNodePort(requested?: number): Promise<number>
  /** The IngressClass marked default (ingressclass.kubernetes.io/is-default-class), the newest if several. */
  defaultIngressClass?(): Promise<string | undefined>
  /** A ServiceAccount, for pod admission (its automountServiceAccountToken). */
  serviceAccount?(namespace: string, name: string): Promise<KubeObject | undefined>
}

export interface ResourceStrategy {
  /** Server-side defaults (e.g. `protocol: TCP`, `strategy.type: RollingUpdate`). Mutates obj. Runs on create and update. */
  applyDefaults(obj: KubeObject): void
  /** Before create: reset fields a client may not set (status for kinds with a status subresource), allocate. Mutates obj. */
  prepareForCreate(obj: KubeObject, ctx: StrategyContext): Promise<void> | void
  /** Before an update of the main resource: keep fields a client may not change here (status). Mutates obj. */
  prepareForUpdate(obj: KubeObject, old: KubeObject, ctx: StrategyContext): Promise<void> | void
  /** Before an update through /status: keep everything but status (and metadata the status writer may touch). Mutates obj. */
  prepareForStatusUpdate(obj: KubeObject, old: KubeObject): void
  /** Field errors for a new object (metadata rules included). */
  validate(obj: KubeObject): FieldError[]
  /** Field errors for an update: validate() plus immutability rules. */
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[]
}
