// The CLI's exit codes, in one place (documented in docs/cli.md and in each command's help).
// oclif itself uses 2 for flag and argument errors, so bad input shares that code.

export const EXIT = {
  ok: 0,
  /** Any failure not listed below (a start that failed, manifests that could not all be applied). */
  failure: 1,
  /** Bad flags, arguments or input files. */
  usage: 2,
  /** The cluster exists but its control plane is not running. */
  notRunning: 3,
  /** No cluster by that name. */
  notFound: 4,
  /** The control plane runs but is unhealthy or does not answer. */
  unhealthy: 5,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** Shown in the help of commands that talk to a cluster. */
export const EXIT_CODES_HELP = `Exit codes: 0 ok, 1 failure, 2 bad flags or input, 3 cluster not running, 4 no such cluster, 5 control plane unhealthy or not answering.`
