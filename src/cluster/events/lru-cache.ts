// A bounded least-recently-used map: the correlator's caches (client-go keeps 4096 entries each) must not
// grow with the number of objects a long-lived control plane has ever seen.

export class LruCache<V> {
  private readonly entries = new Map<string, V>()

  constructor(private readonly maxEntries: number) {
    if (!(maxEntries >= 1)) throw new RangeError(`LruCache needs room for at least one entry, got ${maxEntries}`)
  }

  get(key: string): V | undefined {
    const value = this.entries.get(key)
    if (value === undefined) return undefined
    // Map keeps insertion order: re-inserting marks the entry as most recently used.
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }

  set(key: string, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!)
  }

  get size(): number {
    return this.entries.size
  }
}
