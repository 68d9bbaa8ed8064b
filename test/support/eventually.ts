/** Polls `fn` until it returns a truthy value or the deadline passes (then fails naming `what`). */
export async function pollUntil<T>(fn: () => Promise<T | undefined | false | null>, what: string, timeoutMs: number, intervalMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const value = await fn()
      if (value) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`)
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
