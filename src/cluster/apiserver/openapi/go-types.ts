// Go type names as the JSON decoder prints them in `json: cannot unmarshal X into Go struct field S.f of
// type T`. Most follow from the schema (int32, []v1.Container, map[string]string); named Go types that
// the schema shows as plain strings or maps (v1.Protocol, v1.ResourceList) come from the table below.
import {resolveSchema, shortName, type OpenApiSchema} from './schemas.js'

/** Named Go types of fields whose schema is a plain string, string list or map. Keyed `GoStruct.jsonField`. */
const NAMED: Record<string, string> = {
  'ResourceRequirements.limits': 'v1.ResourceList',
  'ResourceRequirements.requests': 'v1.ResourceList',
  'VolumeResourceRequirements.limits': 'v1.ResourceList',
  'VolumeResourceRequirements.requests': 'v1.ResourceList',
  'NodeStatus.capacity': 'v1.ResourceList',
  'NodeStatus.allocatable': 'v1.ResourceList',
  'PodSpec.overhead': 'v1.ResourceList',
  'ContainerStatus.allocatedResources': 'v1.ResourceList',
  'Container.imagePullPolicy': 'v1.PullPolicy',
  'EphemeralContainer.imagePullPolicy': 'v1.PullPolicy',
  'Container.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'EphemeralContainer.terminationMessagePolicy': 'v1.TerminationMessagePolicy',
  'Container.restartPolicy': 'v1.ContainerRestartPolicy',
  'ContainerPort.protocol': 'v1.Protocol',
  'ServicePort.protocol': 'v1.Protocol',
  'EndpointPort.protocol': 'v1.Protocol',
  'PodSpec.restartPolicy': 'v1.RestartPolicy',
  'PodSpec.dnsPolicy': 'v1.DNSPolicy',
  'PodSpec.preemptionPolicy': 'v1.PreemptionPolicy',
  'PodStatus.phase': 'v1.PodPhase',
  'PodStatus.qosClass': 'v1.PodQOSClass',
  'ServiceSpec.type': 'v1.ServiceType',
  'ServiceSpec.sessionAffinity': 'v1.ServiceAffinity',
  'ServiceSpec.externalTrafficPolicy': 'v1.ServiceExternalTrafficPolicy',
  'ServiceSpec.internalTrafficPolicy': 'v1.ServiceInternalTrafficPolicy',
  'ServiceSpec.ipFamilies': '[]v1.IPFamily',
  'ServiceSpec.ipFamilyPolicy': 'v1.IPFamilyPolicy',
  'Secret.type': 'v1.SecretType',
  'NamespaceSpec.finalizers': '[]v1.FinalizerName',
  'NamespaceStatus.phase': 'v1.NamespacePhase',
  'Capabilities.add': '[]v1.Capability',
  'Capabilities.drop': '[]v1.Capability',
  'Toleration.operator': 'v1.TolerationOperator',
  'Toleration.effect': 'v1.TaintEffect',
  'Taint.effect': 'v1.TaintEffect',
  'HTTPGetAction.scheme': 'v1.URIScheme',
  'EmptyDirVolumeSource.medium': 'v1.StorageMedium',
  'HostPathVolumeSource.type': 'v1.HostPathType',
  'NodeSelectorRequirement.operator': 'v1.NodeSelectorOperator',
  'LabelSelectorRequirement.operator': 'v1.LabelSelectorOperator',
  'DeploymentStrategy.type': 'v1.DeploymentStrategyType',
  'PodCondition.type': 'v1.PodConditionType',
  'PodCondition.status': 'v1.ConditionStatus',
  'NodeCondition.type': 'v1.NodeConditionType',
  'NodeCondition.status': 'v1.ConditionStatus',
  'NamespaceCondition.type': 'v1.NamespaceConditionType',
  'NamespaceCondition.status': 'v1.ConditionStatus',
  'DeploymentCondition.type': 'v1.DeploymentConditionType',
  'DeploymentCondition.status': 'v1.ConditionStatus',
  'ReplicaSetCondition.type': 'v1.ReplicaSetConditionType',
  'ReplicaSetCondition.status': 'v1.ConditionStatus',
  'NodeAddress.type': 'v1.NodeAddressType',
  'ManagedFieldsEntry.operation': 'v1.ManagedFieldsOperationType',
  'Condition.status': 'v1.ConditionStatus',
}

/** `io.k8s.api.core.v1.PodSpec` → `v1.PodSpec`; `io.k8s.apimachinery.pkg.api.resource.Quantity` → `resource.Quantity`. */
function qualified(name: string): string {
  const parts = name.split('.')
  return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`
}

/** The Go type of a value described by `schema` (no field context: element and map value types). */
export function goTypeOfSchema(schema: OpenApiSchema): string {
  const {name, schema: s} = resolveSchema(schema)
  if (name) return qualified(name)
  switch (s.type) {
    case 'array':
      return `[]${s.items ? goTypeOfSchema(s.items) : 'interface {}'}`
    case 'object':
      return s.additionalProperties ? `map[string]${goTypeOfSchema(s.additionalProperties)}` : 'map[string]interface {}'
    case 'integer':
      return s.format === 'int64' ? 'int64' : 'int32'
    case 'number':
      return 'float64'
    case 'boolean':
      return 'bool'
    default:
      return s.format === 'byte' ? '[]uint8' : 'string'
  }
}

/** The Go type of field `field` of the struct whose schema is named `structName`. */
export function goTypeOfField(structName: string, field: string, schema: OpenApiSchema): string {
  return NAMED[`${shortName(structName)}.${field}`] ?? goTypeOfSchema(schema)
}

/** The element type of a slice or map type name: `[]v1.Capability` → `v1.Capability`. */
export function elementGoType(goType: string, schema: OpenApiSchema): string {
  if (goType.startsWith('[]')) return goType.slice(2)
  if (goType.startsWith('map[string]')) return goType.slice('map[string]'.length)
  const {schema: s} = resolveSchema(schema)
  const inner = s.type === 'array' ? s.items : s.additionalProperties
  return inner ? goTypeOfSchema(inner) : 'interface {}'
}
