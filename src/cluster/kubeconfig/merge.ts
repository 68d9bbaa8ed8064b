// `kcluster start` adds (or refreshes) one cluster, one user and one context, all named after the
// cluster, and makes that context current. Every other entry in the file stays as it was.
import type {ClusterCertificates} from '../pki/certificates.js'
import {emptyKubeconfig, indexOfNamed, readKubeconfig, section, writeKubeconfig, type KubeconfigSection} from './kubeconfig-file.js'

export interface KubeconfigEntry {
  name: string
  server: string
  certificates: Pick<ClusterCertificates, 'caCert' | 'adminCert' | 'adminKey'>
}

/** The three entries for a cluster, as plain objects in kubeconfig's shape. */
export function kubeconfigEntries(entry: KubeconfigEntry): Record<KubeconfigSection, Record<string, unknown>> {
  const b64 = (pem: string) => Buffer.from(pem, 'utf8').toString('base64')
  return {
    clusters: {name: entry.name, cluster: {server: entry.server, 'certificate-authority-data': b64(entry.certificates.caCert)}},
    users: {name: entry.name, user: {'client-certificate-data': b64(entry.certificates.adminCert), 'client-key-data': b64(entry.certificates.adminKey)}},
    contexts: {name: entry.name, context: {cluster: entry.name, user: entry.name}},
  }
}

export async function mergeKubeconfig(file: string, entry: KubeconfigEntry): Promise<void> {
  const doc = (await readKubeconfig(file)) ?? emptyKubeconfig()
  for (const [name, value] of Object.entries(kubeconfigEntries(entry)) as [KubeconfigSection, Record<string, unknown>][]) {
    const seq = section(doc, name)
    const node = doc.createNode(value)
    const index = indexOfNamed(seq, entry.name)
    if (index >= 0) seq.items[index] = node
    else seq.items.push(node)
  }
  doc.set('current-context', entry.name)
  await writeKubeconfig(file, doc)
}
