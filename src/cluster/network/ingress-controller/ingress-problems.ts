// What the controller tells users about their Ingresses through events. Reasons follow ingress-nginx
// where it has one (Normal `Sync` "Scheduled for sync" when it takes an Ingress or its spec changes;
// conflicts worded like its admission webhook's "host ... and path ... is already defined in ingress
// ns/name"); the others name the problem: UnsupportedBackend, MissingTLSSecret, InvalidTLSSecret.
//
// The route table is rebuilt from scratch on every change, so the same problem is found again and
// again; ReportedProblems lets each one through once while it lasts, and again if it comes back.
import type {IngressRef, RouteTable} from '../ingress/ingress-routes.js'
import type {TlsProblem} from './ingress-tls-secrets.js'

export interface IngressProblem {
  source: IngressRef
  reason: 'Conflict' | 'UnsupportedBackend' | TlsProblem['reason']
  message: string
}

/** Every problem of the served Ingresses, in table order. */
export function ingressProblems(table: RouteTable, tls: readonly TlsProblem[]): IngressProblem[] {
  const problems: IngressProblem[] = []
  for (const c of table.conflicts) {
    const where = c.path === undefined ? 'the default backend' : `host ${JSON.stringify(c.host ?? '*')} and path ${JSON.stringify(c.path)} (${c.pathType})`
    problems.push({
      source: c.loser,
      reason: 'Conflict',
      message: `${where} is already defined in ingress ${c.winner.namespace}/${c.winner.name}; this one is not routed`,
    })
  }
  for (const u of table.unsupported) {
    const where = u.path === undefined ? 'default backend' : `path ${JSON.stringify(u.path)}${u.host ? ` of host ${JSON.stringify(u.host)}` : ''}`
    problems.push({source: u.source, reason: 'UnsupportedBackend', message: `${where}: ${u.reason}`})
  }
  problems.push(...tls)
  return problems
}

export function refKey(ref: IngressRef): string {
  return `${ref.namespace}/${ref.name}`
}

/** The problems reported and still present, per Ingress. Ingresses not served any more are forgotten. */
export class ReportedProblems {
  private readonly reported = new Map<string, Set<string>>()

  /** The problems of `current` not reported yet; afterwards exactly `current` counts as reported. */
  fresh(current: readonly IngressProblem[], served: readonly IngressRef[]): IngressProblem[] {
    const next = new Map<string, Set<string>>()
    for (const ref of served) next.set(refKey(ref), new Set())
    const out: IngressProblem[] = []
    for (const p of current) {
      const key = refKey(p.source)
      const signature = `${p.reason}\n${p.message}`
      const seen = next.get(key) ?? new Set<string>()
      next.set(key, seen)
      if (seen.has(signature)) continue
      seen.add(signature)
      if (!this.reported.get(key)?.has(signature)) out.push(p)
    }
    this.reported.clear()
    for (const [key, set] of next) this.reported.set(key, set)
    return out
  }
}

/** Remembers the generation each served Ingress was last announced at, for the `Sync` event. */
export class SyncAnnouncements {
  private readonly announced = new Map<string, string>()

  /** The Ingresses whose uid or generation is new since the last call; others are forgotten. */
  due(served: ReadonlyArray<{ref: IngressRef; uid: string; generation: number}>): IngressRef[] {
    const out: IngressRef[] = []
    const next = new Map<string, string>()
    for (const s of served) {
      const key = refKey(s.ref)
      const version = `${s.uid}/${s.generation}`
      next.set(key, version)
      if (this.announced.get(key) !== version) out.push(s.ref)
    }
    this.announced.clear()
    for (const [key, version] of next) this.announced.set(key, version)
    return out
  }
}
