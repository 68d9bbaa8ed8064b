// Staying attached until the user interrupts (`start --foreground`), resolving with the signal.
export function untilSignal(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handler = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, handler)
      resolve(signal)
    }
    for (const s of signals) process.on(s, handler)
  })
}
