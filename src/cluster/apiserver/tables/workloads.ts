// Deployment and ReplicaSet tables (printDeployment, printReplicaSet in printers.go).
import type {Deployment, ReplicaSet} from 'kubernetes-types/apps/v1.js'
import {
  CONTAINERS_DESCRIPTION, IMAGES_DESCRIPTION, ageColumn, column, containerCells, count, formatSelectorSpec, nameColumn,
  selectorString, since, wide,
} from './format.js'
import type {TablePrinter} from './table.js'

const SELECTOR_DESCRIPTION =
  'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template\'s labels.'

export const deploymentPrinter: TablePrinter = {
  // Up-to-date and Available are declared `string` upstream although their cells are integers.
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    wide(column('Containers', 'string', CONTAINERS_DESCRIPTION)),
    wide(column('Images', 'string', IMAGES_DESCRIPTION)),
    wide(column('Selector', 'string', SELECTOR_DESCRIPTION)),
  ],
  cells(obj, now) {
    const d = obj as Deployment
    const [names, images] = containerCells(d.spec?.template?.spec?.containers)
    return [
      d.metadata?.name ?? '',
      `${count(d.status?.readyReplicas)}/${count(d.spec?.replicas)}`,
      count(d.status?.updatedReplicas),
      count(d.status?.availableReplicas),
      since(d.metadata?.creationTimestamp, now),
      names,
      images,
      selectorString(d.spec?.selector),
    ]
  },
}

export const replicaSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Desired', 'integer', 'Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.'),
    column('Current', 'integer', 'Replicas is the most recently observed number of non-terminating pods.'),
    column('Ready', 'integer', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    ageColumn(),
    wide(column('Containers', 'string', CONTAINERS_DESCRIPTION)),
    wide(column('Images', 'string', IMAGES_DESCRIPTION)),
    wide(column('Selector', 'string', 'Selector is a label query over pods that should match the replica count.')),
  ],
  cells(obj, now) {
    const rs = obj as ReplicaSet
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers)
    return [
      rs.metadata?.name ?? '',
      count(rs.spec?.replicas),
      count(rs.status?.replicas),
      count(rs.status?.readyReplicas),
      since(rs.metadata?.creationTimestamp, now),
      names,
      images,
      formatSelectorSpec(rs.spec?.selector),
    ]
  },
}
