// k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto (ObjectMeta and the selector/condition types
// the workload kinds embed). Pointer-ness and omitempty from apimachinery's types.go.
import {bool, int64, KEEP, list, map, msg, PTR, str, strList, type SchemaRegistry} from './schema.js'

export const META_SCHEMAS: SchemaRegistry = {
  'meta.ObjectMeta': {
    1: str('name'),
    2: str('generateName'),
    3: str('namespace'),
    4: str('selfLink'),
    5: str('uid'),
    6: str('resourceVersion'),
    7: int64('generation'),
    8: msg('creationTimestamp', 'Time'),
    9: msg('deletionTimestamp', 'Time'),
    10: int64('deletionGracePeriodSeconds', PTR),
    11: map('labels', 'string'),
    12: map('annotations', 'string'),
    13: list('ownerReferences', 'meta.OwnerReference'),
    14: strList('finalizers'),
    17: list('managedFields', 'meta.ManagedFieldsEntry'),
  },
  'meta.OwnerReference': {
    5: str('apiVersion', KEEP),
    1: str('kind', KEEP),
    3: str('name', KEEP),
    4: str('uid', KEEP),
    6: bool('controller', PTR),
    7: bool('blockOwnerDeletion', PTR),
  },
  'meta.ManagedFieldsEntry': {
    1: str('manager'),
    2: str('operation'),
    3: str('apiVersion'),
    4: msg('time', 'Time', PTR),
    6: str('fieldsType'),
    7: msg('fieldsV1', 'FieldsV1', PTR),
    8: str('subresource'),
  },
  'meta.LabelSelector': {
    1: map('matchLabels', 'string'),
    2: list('matchExpressions', 'meta.LabelSelectorRequirement'),
  },
  'meta.LabelSelectorRequirement': {
    1: str('key', KEEP),
    2: str('operator', KEEP),
    3: strList('values'),
  },
  'meta.Condition': {
    1: str('type', KEEP),
    2: str('status', KEEP),
    3: int64('observedGeneration'),
    4: msg('lastTransitionTime', 'Time', KEEP),
    5: str('reason', KEEP),
    6: str('message', KEEP),
  },
}
