// Which Ingresses the built-in controller serves. Kubernetes names an Ingress's class three ways, newest
// first: spec.ingressClassName, the deprecated `kubernetes.io/ingress.class` annotation, or nothing, in
// which case the IngressClass marked `ingressclass.kubernetes.io/is-default-class: "true"` takes it.
import type {Ingress, IngressClass} from 'kubernetes-types/networking/v1.js'

export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class'
export const DEFAULT_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class'
/** The IngressClass the built-in controller implements. */
export const KCLUSTER_INGRESS_CLASS = 'kcluster'

/**
 * What to do with an Ingress that names no class:
 * - `annotation`: claim it only when our IngressClass carries is-default-class "true" (Kubernetes' rule);
 * - `always`: claim it (kcluster is the only controller, like ingress-nginx's --watch-ingress-without-class);
 * - `never`: leave it alone.
 */
export type DefaultClassRule = 'annotation' | 'always' | 'never'

export interface IngressClassSelection {
  /** The class name served; `kcluster` unless a test says otherwise. */
  className?: string
  defaultClass: DefaultClassRule
}

/** The class an Ingress asks for, or undefined when it names none. The field wins over the annotation. */
export function requestedClass(ingress: Ingress): string | undefined {
  const field = ingress.spec?.ingressClassName
  if (field) return field
  const annotation = ingress.metadata?.annotations?.[INGRESS_CLASS_ANNOTATION]
  return annotation || undefined
}

/** Whether the IngressClass named `className` exists and is marked as the cluster's default. */
export function isDefaultClass(classes: readonly IngressClass[], className: string): boolean {
  return classes.some(
    (c) => c.metadata?.name === className && c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true',
  )
}

/** The class the DefaultIngressClass admission gives an Ingress that names none: as upstream, the newest of those marked default. */
export function defaultIngressClass(classes: readonly IngressClass[]): string | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
  const newestFirst = [...defaults].sort((a, b) => (b.metadata?.creationTimestamp ?? '').localeCompare(a.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
  return newestFirst[0]?.metadata?.name
}

/** Whether the controller for `selection.className` serves this Ingress. */
export function claimsIngress(
  ingress: Ingress,
  classes: readonly IngressClass[],
  selection: IngressClassSelection,
): boolean {
  const className = selection.className ?? KCLUSTER_INGRESS_CLASS
  const requested = requestedClass(ingress)
  if (requested !== undefined) return requested === className
  switch (selection.defaultClass) {
    case 'always':
      return true
    case 'never':
      return false
    case 'annotation':
      return isDefaultClass(classes, className)
  }
}
