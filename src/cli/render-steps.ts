// Showing the façade's steps with listr2: the animated renderer on a terminal, plain lines when
// stdout is a pipe, under CI, or when logs share stdout (--foreground); nothing at all for --json.
import {Listr} from 'listr2'
import type {Step} from '../cluster/lifecycle/steps.js'
import {runStepsQuietly} from '../cluster/lifecycle/steps.js'

export interface RenderOptions {
  /** No output (--json). */
  quiet?: boolean
  /** Plain line-by-line output even on a terminal. */
  plain?: boolean
}

export async function renderSteps<C extends object>(steps: readonly Step<C>[], ctx: C, options: RenderOptions = {}): Promise<void> {
  if (options.quiet) return runStepsQuietly(steps, ctx)
  const plain = options.plain || !process.stdout.isTTY || Boolean(process.env.CI)
  const listr = new Listr<C, 'default', 'simple'>(
    steps.map((step) => ({
      title: step.title,
      enabled: step.enabled ? (c: C) => step.enabled!(c) : undefined,
      task: async (c: C, task) => step.run(c, {setTitle: (title: string) => {
        task.title = title
      }}),
    })),
    {
      ctx,
      concurrent: false,
      exitOnError: true,
      // The base command prints the error with its why and fix; the step only shows it failed.
      rendererOptions: {showErrorMessage: false},
      fallbackRendererOptions: {},
      renderer: 'default',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: plain,
      // Ctrl-C is the command's to handle (--foreground stops the control plane cleanly).
      registerSignalListeners: false,
    },
  )
  await listr.run()
}
