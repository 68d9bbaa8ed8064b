// Writes that never leave a half-written file behind: a crash mid-write keeps the old content whole,
// which matters for the user's kubeconfig (shared with every other cluster they use).
import {randomBytes} from 'node:crypto'
import {chmod, mkdir, open, rename, rm} from 'node:fs/promises'
import path from 'node:path'

export async function writeFileAtomic(file: string, content: string, mode = 0o600): Promise<void> {
  const dir = path.dirname(file)
  await mkdir(dir, {recursive: true, mode: 0o700})
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', mode)
  try {
    await handle.writeFile(content, 'utf8')
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(temp, {force: true})
    throw error
  }
  await handle.close()
  try {
    // open()'s mode is filtered by the umask; the caller's mode is what the file must end up with.
    await chmod(temp, mode)
    await rename(temp, file)
  } catch (error) {
    await rm(temp, {force: true})
    throw error
  }
}
