// What the kill test's writers were told: every acknowledged write with its resourceVersion, and the
// problems found along the way. Shared by the writers, the watchers' checks and the test.

export interface AckedWrite {
  namespace: string
  name: string
  op: 'create' | 'update' | 'patch' | 'delete' | 'marker'
  rv: number
}

export class WriteLedger {
  readonly acked: AckedWrite[] = []
  readonly problems: string[] = []
  /** Highest resourceVersion any client has seen (acks, lists, watch events). */
  maxSeen = 0
  unacked = 0
  unackedApplied = 0
  private readonly byRv = new Map<number, AckedWrite>()

  ack(write: AckedWrite): void {
    const earlier = this.byRv.get(write.rv)
    if (earlier) this.problems.push(`resourceVersion ${write.rv} acknowledged twice: ${describe(earlier)} and ${describe(write)}`)
    this.byRv.set(write.rv, write)
    this.acked.push(write)
    this.saw(write.rv)
  }

  saw(rv: number): void {
    if (rv > this.maxSeen) this.maxSeen = rv
  }

  /** Acknowledged writes in `namespace` after revision `after`. */
  ackedIn(namespace: string, after: number): AckedWrite[] {
    return this.acked.filter((w) => w.namespace === namespace && w.rv > after)
  }
}

export function describe(write: AckedWrite): string {
  return `${write.op} ${write.namespace}/${write.name}@${write.rv}`
}
