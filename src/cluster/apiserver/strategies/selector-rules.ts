// metav1 LabelSelector (`spec.selector`) validation and matching as the workload validators need them:
// ValidateLabelSelector's messages, and LabelSelectorAsSelector semantics for "does it select the template".
import type {FieldError} from '../../api/errors.js'
import {child, forbidden, index, invalid, invalidEach, required} from './field-errors.js'
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
    errs.push(...invalidEach(child(p, 'key'), expr.key ?? '', isQualifiedName(expr.key ?? '')))
    values.forEach((v, j) => errs.push(...invalidEach(index(child(p, 'values'), j), v, isLabelValue(v))))
  })
  return errs
}

/** A selector with neither matchLabels nor matchExpressions (which workloads refuse). */
export function isEmptySelectorSpec(sel: SelectorSpec): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0
}

/** True when LabelSelectorAsSelector would fail (unknown operator), so matching is skipped. */
export function selectorUnparsable(sel: SelectorSpec): boolean {
  return (sel.matchExpressions ?? []).some((e) => !['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator ?? ''))
}

/** Selector.Matches; a nil selector matches nothing, an empty one everything. */
export function selectorMatches(sel: SelectorSpec | null | undefined, labels: Record<string, string> | null | undefined): boolean {
  if (!sel) return false
  const set = labels ?? {}
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (set[k] !== v) return false
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.hasOwn(set, e.key ?? '')
    const value = set[e.key ?? '']
    const values = e.values ?? []
    if (e.operator === 'In' && !(has && values.includes(value))) return false
    if (e.operator === 'NotIn' && has && values.includes(value)) return false
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
  }
  return true
}
