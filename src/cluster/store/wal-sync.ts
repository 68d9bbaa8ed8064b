// Makes committed WAL frames durable off the event loop. SQLite runs with synchronous=NORMAL: a commit
// write()s its frames to `<db>-wal` but does not fsync them, so the commit itself costs no disk flush.
// The store then fdatasyncs the WAL file on libuv's thread pool and acknowledges the batch only when
// that returns: the same guarantee as synchronous=FULL (an acknowledged write survives power loss),
// without the event loop waiting ~1 ms per commit for the disk. Checkpoints keep their own syncs
// (NORMAL syncs the WAL before and the database after each checkpoint, and the WAL header on reuse).
import {closeSync, fdatasync, fdatasyncSync, openSync} from 'node:fs'

/** Flushes what the last commit wrote to the WAL to stable storage. */
export interface WalSync {
  /** Resolves once everything written to the WAL before the call is on disk. */
  sync(): Promise<void>
  /** The same, blocking (close drains with it). */
  syncNow(): void
  close(): void
}

/** The WAL of `dbPath`; ':memory:' has none, and its syncs are no-ops. */
export function walSync(dbPath: string): WalSync {
  if (dbPath === ':memory:') return {sync: () => Promise.resolve(), syncNow: () => undefined, close: () => undefined}
  let fd: number | undefined
  // Opened on first use: SQLite creates the WAL file with the first commit that writes. It keeps the
  // same file (same inode) for as long as the connection is open: checkpoints rewind or truncate it,
  // only the last close deletes it.
  const file = () => (fd ??= openSync(`${dbPath}-wal`, 'r'))
  return {
    sync() {
      return new Promise<void>((resolve, reject) => {
        let handle: number
        try {
          handle = file()
        } catch (error) {
          reject(error)
          return
        }
        fdatasync(handle, (error) => (error ? reject(error) : resolve()))
      })
    },
    syncNow() {
      fdatasyncSync(file())
    },
    close() {
      if (fd !== undefined) closeSync(fd)
      fd = undefined
    },
  }
}
