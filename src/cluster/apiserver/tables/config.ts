// ConfigMap, Secret and ServiceAccount tables (printConfigMap, printSecret, printServiceAccount).
import type {ConfigMap, Secret, ServiceAccount} from 'kubernetes-types/core/v1.js'
import {ageColumn, column, nameColumn, since} from './format.js'
import type {TablePrinter} from './table.js'

const size = (map: Record<string, unknown> | undefined): number => Object.keys(map ?? {}).length

// Data and Secrets are declared `string` upstream although their cells are integers.
export const configMapPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Data', 'string', 'Data contains the configuration data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const cm = obj as ConfigMap
    return [cm.metadata?.name ?? '', size(cm.data) + size(cm.binaryData), since(cm.metadata?.creationTimestamp, now)]
  },
}

export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const secret = obj as Secret
    return [secret.metadata?.name ?? '', secret.type ?? '', size(secret.data), since(secret.metadata?.creationTimestamp, now)]
  },
}

export const serviceAccountPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'),
    ageColumn(),
  ],
  cells(obj, now) {
    const sa = obj as ServiceAccount
    return [sa.metadata?.name ?? '', (sa.secrets ?? []).length, since(sa.metadata?.creationTimestamp, now)]
  },
}
