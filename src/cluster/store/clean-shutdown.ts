// A clean close leaves `<store>.clean` describing the file exactly as closed (size, mtime, inode).
// Opening consumes it: when it matches, the file is the one kcluster closed and the full damage scan
// (quick_check plus every row's checksum: ~100 ms on a 10k-object store) is skipped, keeping warm
// starts fast. A crash, an unclean close, or anything that wrote to or truncated the file since
// (which moves its mtime or size) leaves no matching marker, and the open pays for the full scan.
import {existsSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {logger} from '../log.js'

const log = logger('store')

interface FileIdentity {
  size: string
  mtimeNs: string
  ino: string
}

export function markerPath(dbPath: string): string {
  return `${dbPath}.clean`
}

function identity(dbPath: string): FileIdentity | undefined {
  try {
    const stats = statSync(dbPath, {bigint: true})
    return {size: String(stats.size), mtimeNs: String(stats.mtimeNs), ino: String(stats.ino)}
  } catch {
    return undefined
  }
}

/**
 * True when the last close was clean and the file is untouched since. Always removes the marker, so a
 * crash of this run is not mistaken for a clean close next time.
 */
export function consumeCleanMarker(dbPath: string): boolean {
  const marker = markerPath(dbPath)
  let recorded: FileIdentity | undefined
  try {
    recorded = JSON.parse(readFileSync(marker, 'utf8')) as FileIdentity
  } catch {
    return false // absent (first open, crash) or unreadable: not clean
  } finally {
    rmSync(marker, {force: true})
  }
  // A WAL left behind means the close did not finish its checkpoint.
  if (existsSync(`${dbPath}-wal`)) return false
  const now = identity(dbPath)
  return now !== undefined && now.size === recorded.size && now.mtimeNs === recorded.mtimeNs && now.ino === recorded.ino
}

/** Records the closed file; a failure (e.g. the disk is full) only costs the next open a full scan. */
export function writeCleanMarker(dbPath: string): void {
  const now = identity(dbPath)
  if (!now) return
  try {
    writeFileSync(markerPath(dbPath), JSON.stringify(now), {mode: 0o600})
  } catch (error) {
    log.warn({path: dbPath, err: error}, 'could not record the clean close; the next open runs the full damage check')
    rmSync(markerPath(dbPath), {force: true})
  }
}
