// Structured logs: a constant message plus fields, JSON lines via pino to stdout. No console calls in
// src/cluster. The detached control-plane process has stdout redirected to <state dir>/control-plane.log
// and sets KCLUSTER_LOG_LEVEL=info; everywhere else (tests, CLI) logs are silent unless asked for.
import {pino, type Logger} from 'pino'

export type {Logger}

const root: Logger = pino({
  level: process.env.KCLUSTER_LOG_LEVEL ?? 'silent',
  base: {pid: process.pid},
  timestamp: pino.stdTimeFunctions.isoTime,
})

/** A child logger for one component: `logger('store').info({revision}, 'compacted')`. */
export function logger(component: string): Logger {
  return root.child({component})
}
