// `kcluster delete` takes out the cluster, user and context named after the cluster and unsets
// current-context if it pointed there; everything else in the file is left alone.
import {indexOfNamed, KUBECONFIG_SECTIONS, readKubeconfig, writeKubeconfig} from './kubeconfig-file.js'
import {isSeq} from 'yaml'

/** Returns whether the file changed. A missing file is nothing to clean. */
export async function removeFromKubeconfig(file: string, name: string): Promise<boolean> {
  const doc = await readKubeconfig(file)
  if (!doc) return false
  let changed = false
  for (const key of KUBECONFIG_SECTIONS) {
    const seq = doc.get(key, true)
    if (!isSeq(seq)) continue
    const index = indexOfNamed(seq, name)
    if (index >= 0) {
      seq.items.splice(index, 1)
      changed = true
    }
  }
  if (doc.get('current-context') === name) {
    doc.set('current-context', '')
    changed = true
  }
  if (changed) await writeKubeconfig(file, doc)
  return changed
}
