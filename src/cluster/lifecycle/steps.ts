// Long operations are described as a list of titled steps, so the CLI can render progress (listr2)
// while the façade stays free of any terminal code; callers that want no output just run them in order.

export interface StepUi {
  /** Replaces the step's title with what was found or done ("Driver: sim (...)"). */
  setTitle(title: string): void
}

export interface Step<C> {
  title: string
  /** Skipped steps are not run and not shown. */
  enabled?: (ctx: C) => boolean
  run(ctx: C, ui: StepUi): Promise<void>
}

/** Runs the steps in order with no output (for --json and programmatic use). */
export async function runStepsQuietly<C>(steps: readonly Step<C>[], ctx: C): Promise<void> {
  const ui: StepUi = {setTitle: () => {}}
  for (const step of steps) {
    if (step.enabled && !step.enabled(ctx)) continue
    await step.run(ctx, ui)
  }
}
