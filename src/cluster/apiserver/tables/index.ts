// Which printer renders which kind. One explicit table, like api/resources.ts; a kind without a
// row gets the default Name/Created At table, as on the real server.
import {defaultPrinter} from './default.js'
import {endpointSlicePrinter} from './discovery.js'
import {configMapPrinter, secretPrinter, serviceAccountPrinter} from './config.js'
import {leasePrinter, namespacePrinter, nodePrinter} from './cluster.js'
import {eventPrinter} from './events.js'
import {ingressClassPrinter, ingressPrinter} from './networking.js'
import {podPrinter} from './pods.js'
import {endpointsPrinter, servicePrinter} from './services.js'
import type {TablePrinter} from './table.js'
import {deploymentPrinter, replicaSetPrinter} from './workloads.js'

export {buildTable, parseIncludeObject} from './build-table.js'
export type {BuildTableOptions, IncludeObject, Table, TableRow, TableRowCondition} from './build-table.js'
export type {TableColumnDefinition, TablePrinter} from './table.js'

const PRINTERS: ReadonlyMap<string, TablePrinter> = new Map([
  ['/Pod', podPrinter],
  ['/Service', servicePrinter],
  ['/Endpoints', endpointsPrinter],
  ['/ConfigMap', configMapPrinter],
  ['/Secret', secretPrinter],
  ['/ServiceAccount', serviceAccountPrinter],
  ['/Namespace', namespacePrinter],
  ['/Node', nodePrinter],
  ['/Event', eventPrinter],
  ['coordination.k8s.io/Lease', leasePrinter],
  ['apps/Deployment', deploymentPrinter],
  ['apps/ReplicaSet', replicaSetPrinter],
  ['discovery.k8s.io/EndpointSlice', endpointSlicePrinter],
  ['networking.k8s.io/Ingress', ingressPrinter],
  ['networking.k8s.io/IngressClass', ingressClassPrinter],
])

export function tablePrinterFor(type: {group: string; kind: string}): TablePrinter {
  return PRINTERS.get(`${type.group}/${type.kind}`) ?? defaultPrinter
}
