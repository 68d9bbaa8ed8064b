// Opens a URL in the desktop's browser with the platform's own opener (xdg-open, open, start), detached
// so the CLI exits at once. A machine without one (a server, a container) reports why instead of
// failing: the caller prints the URL.
import {spawn} from 'node:child_process'

export interface OpenResult {
  opened: boolean
  /** Why it could not be opened, e.g. `xdg-open: not found`. */
  why?: string
}

export function openerFor(platform: NodeJS.Platform, url: string): {command: string; args: string[]} {
  if (platform === 'darwin') return {command: 'open', args: [url]}
  // `start` takes its first quoted argument as a window title.
  if (platform === 'win32') return {command: 'cmd', args: ['/c', 'start', '""', url]}
  return {command: 'xdg-open', args: [url]}
}

export function openUrl(url: string, platform: NodeJS.Platform = process.platform): Promise<OpenResult> {
  const {command, args} = openerFor(platform, url)
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(command, args, {detached: true, stdio: 'ignore', windowsHide: true})
    } catch (error) {
      resolve({opened: false, why: `${command}: ${(error as Error).message}`})
      return
    }
    // Exactly one of these fires: 'spawn' once the opener runs, 'error' when it cannot be started.
    child.once('error', (error: NodeJS.ErrnoException) => resolve({opened: false, why: `${command}: ${error.code === 'ENOENT' ? 'not found' : error.message}`}))
    child.once('spawn', () => {
      child.unref()
      resolve({opened: true})
    })
  })
}
