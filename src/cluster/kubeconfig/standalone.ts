// A kubeconfig holding only this cluster (`kcluster kubeconfig`), for KUBECONFIG=... or CI secrets.
import {Document} from 'yaml'
import {kubeconfigEntries, type KubeconfigEntry} from './merge.js'

export function standaloneKubeconfig(entry: KubeconfigEntry): string {
  const entries = kubeconfigEntries(entry)
  const doc = new Document({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [entries.clusters],
    users: [entries.users],
    contexts: [entries.contexts],
    'current-context': entry.name,
  }, {version: '1.1'})
  return doc.toString({lineWidth: 0, indentSeq: false})
}
