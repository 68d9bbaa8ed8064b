// k8s.io/api/core/v1/generated.proto: Volume and the common volume sources (hostPath, emptyDir, secret,
// configMap, downwardAPI, projected, persistentVolumeClaim, nfs, csi, image). Cloud-provider sources are
// not described; they decode as unknown fields with a warning.
import {bool, inline, int32, int64, KEEP, list, map, msg, PTR, str, type SchemaRegistry} from './schema.js'

export const CORE_VOLUME_SCHEMAS: SchemaRegistry = {
  // Go inlines VolumeSource into Volume (`json:",inline"`).
  'core.Volume': {1: str('name', KEEP), 2: inline('core.VolumeSource')},
  'core.VolumeSource': {
    1: msg('hostPath', 'core.HostPathVolumeSource'),
    2: msg('emptyDir', 'core.EmptyDirVolumeSource'),
    6: msg('secret', 'core.SecretVolumeSource'),
    7: msg('nfs', 'core.NFSVolumeSource'),
    10: msg('persistentVolumeClaim', 'core.PersistentVolumeClaimVolumeSource'),
    16: msg('downwardAPI', 'core.DownwardAPIVolumeSource'),
    19: msg('configMap', 'core.ConfigMapVolumeSource'),
    26: msg('projected', 'core.ProjectedVolumeSource'),
    28: msg('csi', 'core.CSIVolumeSource'),
    30: msg('image', 'core.ImageVolumeSource'),
  },
  'core.HostPathVolumeSource': {1: str('path', KEEP), 2: str('type', PTR)},
  'core.EmptyDirVolumeSource': {1: str('medium'), 2: msg('sizeLimit', 'Quantity', PTR)},
  'core.SecretVolumeSource': {1: str('secretName'), 2: list('items', 'core.KeyToPath'), 3: int32('defaultMode', PTR), 4: bool('optional', PTR)},
  'core.ConfigMapVolumeSource': {
    1: inline('core.LocalObjectReference'),
    2: list('items', 'core.KeyToPath'),
    3: int32('defaultMode', PTR),
    4: bool('optional', PTR),
  },
  'core.KeyToPath': {1: str('key', KEEP), 2: str('path', KEEP), 3: int32('mode', PTR)},
  'core.NFSVolumeSource': {1: str('server', KEEP), 2: str('path', KEEP), 3: bool('readOnly')},
  'core.PersistentVolumeClaimVolumeSource': {1: str('claimName', KEEP), 2: bool('readOnly')},
  'core.DownwardAPIVolumeSource': {1: list('items', 'core.DownwardAPIVolumeFile'), 2: int32('defaultMode', PTR)},
  'core.DownwardAPIVolumeFile': {
    1: str('path', KEEP),
    2: msg('fieldRef', 'core.ObjectFieldSelector'),
    3: msg('resourceFieldRef', 'core.ResourceFieldSelector'),
    4: int32('mode', PTR),
  },
  'core.ProjectedVolumeSource': {1: list('sources', 'core.VolumeProjection'), 2: int32('defaultMode', PTR)},
  'core.VolumeProjection': {
    1: msg('secret', 'core.SecretProjection'),
    2: msg('downwardAPI', 'core.DownwardAPIProjection'),
    3: msg('configMap', 'core.ConfigMapProjection'),
    4: msg('serviceAccountToken', 'core.ServiceAccountTokenProjection'),
    5: msg('clusterTrustBundle', 'core.ClusterTrustBundleProjection'),
  },
  'core.SecretProjection': {1: inline('core.LocalObjectReference'), 2: list('items', 'core.KeyToPath'), 4: bool('optional', PTR)},
  'core.ConfigMapProjection': {1: inline('core.LocalObjectReference'), 2: list('items', 'core.KeyToPath'), 4: bool('optional', PTR)},
  'core.DownwardAPIProjection': {1: list('items', 'core.DownwardAPIVolumeFile')},
  'core.ServiceAccountTokenProjection': {1: str('audience'), 2: int64('expirationSeconds', PTR), 3: str('path', KEEP)},
  'core.ClusterTrustBundleProjection': {
    1: str('name', PTR),
    2: str('signerName', PTR),
    3: msg('labelSelector', 'meta.LabelSelector'),
    5: bool('optional', PTR),
    4: str('path', KEEP),
  },
  'core.CSIVolumeSource': {
    1: str('driver', KEEP),
    2: bool('readOnly', PTR),
    3: str('fsType', PTR),
    4: map('volumeAttributes', 'string'),
    5: msg('nodePublishSecretRef', 'core.LocalObjectReference'),
  },
  'core.ImageVolumeSource': {1: str('reference'), 2: str('pullPolicy')},
}
