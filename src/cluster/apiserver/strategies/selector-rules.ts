// metav1 LabelSelector (`spec.selector`) validation and matching as the workload validators need them:
// ValidateLabelSelector's messages; "does it select the template" is api/label-selector.ts's LabelSelectorAsSelector.
import {ApiError, type FieldError} from '../../api/errors.js'
import {labelSelectorFromSpec, matchesLabels, type LabelSelector} from '../../api/label-selector.js'
import {child, forbidden, index, invalid, invalidEach, required, pushAll} from './field-errors.js'
import {isLabelValue, isQualifiedName} from './name-rules.js'
import {validateLabels} from './object-meta-validation.js'

export interface SelectorSpec {
  matchLabels?: Record<string, string> | null
  matchExpressions?: Array<{key?: string; operator?: string; values?: string[] | null}> | null
}

/** unversionedvalidation.ValidateLabelSelector (AllowInvalidLabelValueInSelector: false). */
export function validateLabelSelector(sel: SelectorSpec | null | undefined, path: string): FieldError[] {
  if (!sel) return []
  const errs: FieldError[] = [...validateLabels(sel.matchLabels, child(path, 'matchLabels'))]
  ;(sel.matchExpressions ?? []).forEach((expr, i) => {
    const p = index(child(path, 'matchExpressions'), i)
    const values = expr.values ?? []
    switch (expr.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(required(child(p, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"))
        break
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbidden(child(p, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
        break
      default:
        errs.push(invalid(child(p, 'operator'), expr.operator ?? '', 'not a valid selector operator'))
    }
    pushAll(errs, invalidEach(child(p, 'key'), expr.key ?? '', isQualifiedName(expr.key ?? '')))
    values.forEach((v, j) => pushAll(errs, invalidEach(index(child(p, 'values'), j), v, isLabelValue(v))))
  })
  return errs
}

/** A selector with neither matchLabels nor matchExpressions (which workloads refuse). */
export function isEmptySelectorSpec(sel: SelectorSpec): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0
}

/**
 * metav1.LabelSelectorAsSelector, or undefined where it fails (unknown operator, invalid key or value): the
 * validators have already reported why as field errors, so the 400 that label-selector.ts throws is dropped.
 */
export function selectorFromSpec(sel: SelectorSpec | null | undefined): LabelSelector | undefined {
  try {
    return labelSelectorFromSpec(sel && {...sel, matchExpressions: sel.matchExpressions?.map(asExpression)})
  } catch (err) {
    if (err instanceof ApiError && err.code === 400) return undefined
    throw err
  }
}

const asExpression = (e: NonNullable<SelectorSpec['matchExpressions']>[number]) => ({...e, key: e.key ?? '', operator: e.operator ?? ''})

/** True when LabelSelectorAsSelector would fail, so matching is skipped (ValidateDeploymentSpec's "invalid label selector"). */
export function selectorUnparsable(sel: SelectorSpec): boolean {
  return selectorFromSpec(sel) === undefined
}

/** Selector.Matches; a nil selector matches nothing, an empty one everything, an unparsable one nothing. */
export function selectorMatches(sel: SelectorSpec | null | undefined, labels: Record<string, string> | null | undefined): boolean {
  const selector = selectorFromSpec(sel)
  return selector !== undefined && matchesLabels(selector, labels)
}
