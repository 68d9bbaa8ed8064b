// Serializes the steps that decide a pod's sandbox: the agent starts a pod's containers concurrently,
// and without this two starts would each create a sandbox, or a remove would delete the sandbox a
// concurrent start is about to join. In-process only; Docker's unique names catch a second process.

export class PodLock {
  private readonly tails = new Map<string, Promise<unknown>>()

  async run<T>(podUid: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(podUid) ?? Promise.resolve()
    const result = previous.catch(() => undefined).then(task)
    const tail = result.catch(() => undefined)
    this.tails.set(podUid, tail)
    try {
      return await result
    } finally {
      // The last waiter cleans up so the map holds only pods with work under way.
      if (this.tails.get(podUid) === tail) this.tails.delete(podUid)
    }
  }
}
