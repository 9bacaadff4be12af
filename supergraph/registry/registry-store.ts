// The schema registry's versions of each subgraph (the control-plane database): who published
// which URL and SDL when, and whether it is served (ACTIVE), waiting for its approvers (PENDING),
// replaced (SUPERSEDED) or refused (REJECTED); and each party's decision on a PENDING version.
// Kept in memory, read again per subgraph after each change: reads are synchronous; writes resolve
// once stored. Version numbers are allocated in the writing transaction, under a lock per subgraph
// on PostgreSQL, and one version per subgraph is ACTIVE (a unique index says so).

import { sql, type Kysely } from 'kysely';
import { openMirror, type Database, type Tables } from '../stores/index.ts';

export type VersionStatus = 'ACTIVE' | 'PENDING' | 'SUPERSEDED' | 'REJECTED';

export interface SubgraphVersion {
  subgraph: string;
  version: number;
  url: string;
  sdl: string;
  publishedBy: string;
  publishedAt: string;
  status: VersionStatus;
}

/** A party's answer to a PENDING version: the operator's, or an owner's whose fields it takes. */
export interface PublicationDecision {
  party: string;
  decision: 'APPROVED' | 'REFUSED';
  decidedBy: string;
  decidedAt: string;
  reason: string | null;
}

export interface RegistryStore {
  /** Adds the next version of the subgraph. */
  add(entry: Omit<SubgraphVersion, 'version'>): Promise<SubgraphVersion>;
  get(subgraph: string, version: number): SubgraphVersion | undefined;
  list(subgraph?: string): SubgraphVersion[];
  /** The version served of each subgraph. */
  active(): SubgraphVersion[];
  /** Makes `version` the subgraph's ACTIVE one (the former one SUPERSEDED). */
  activate(subgraph: string, version: number): Promise<void>;
  setStatus(subgraph: string, version: number, status: VersionStatus): Promise<void>;
  /** The parties' decisions on a version, by party. */
  decisions(subgraph: string, version: number): PublicationDecision[];
  /**
   * Records a party's decision (its later one replaces its earlier) while the version is PENDING;
   * a refusal makes it REJECTED. False when the version is no longer PENDING.
   */
  decide(subgraph: string, version: number, decision: PublicationDecision): Promise<boolean>;
  /** Told when the versions changed, through this process or another. */
  onChange(listener: () => void): void;
}

type VersionRow = Tables['subgraph_version'];
type DecisionRow = Tables['publication_decision'];

const versionFromRow = (r: VersionRow): SubgraphVersion => ({ subgraph: r.subgraph, version: r.version, url: r.url, sdl: r.sdl, publishedBy: r.published_by, publishedAt: r.published_at, status: r.status });
const decisionFromRow = (r: DecisionRow): PublicationDecision => ({ party: r.party, decision: r.decision, decidedBy: r.decided_by, decidedAt: r.decided_at, reason: r.reason });

/** Per version: the parties' decisions, by party. */
function byVersion(rows: DecisionRow[]): Map<number, PublicationDecision[]> {
  const out = new Map<number, PublicationDecision[]>();
  for (const row of rows) out.set(row.version, [...(out.get(row.version) ?? []), decisionFromRow(row)]);
  return out;
}

/** Serialises writes to one subgraph's versions until the transaction ends (SQLite's write lock does so for every write). */
const lockSubgraph = (trx: Kysely<Tables>, subgraph: string) => sql`SELECT pg_advisory_xact_lock(hashtext(${'subgraph_version:' + subgraph}))`.execute(trx);

export async function openRegistryStore(database: Database): Promise<RegistryStore> {
  let bySubgraph = new Map<string, SubgraphVersion[]>();
  let decisionsBySubgraph = new Map<string, Map<number, PublicationDecision[]>>();
  const read = (subgraph?: string) => database.read((db) => Promise.all([
    db.selectFrom('subgraph_version').selectAll().$if(subgraph !== undefined, (q) => q.where('subgraph', '=', subgraph!)).orderBy('subgraph').orderBy('version').execute(),
    db.selectFrom('publication_decision').selectAll().$if(subgraph !== undefined, (q) => q.where('subgraph', '=', subgraph!)).orderBy('subgraph').orderBy('version').orderBy('party').execute(),
  ]));
  const mirror = await openMirror(database, 'registry', {
    async loadAll() {
      const [rows, decided] = await read();
      bySubgraph = new Map();
      for (const row of rows) bySubgraph.set(row.subgraph, [...(bySubgraph.get(row.subgraph) ?? []), versionFromRow(row)]);
      decisionsBySubgraph = new Map([...new Set(decided.map((d) => d.subgraph))].map((s) => [s, byVersion(decided.filter((d) => d.subgraph === s))]));
    },
    async reload(subgraph) {
      const [rows, decided] = await read(subgraph);
      bySubgraph.set(subgraph, rows.map(versionFromRow));
      decisionsBySubgraph.set(subgraph, byVersion(decided));
    },
  });
  const write = async <T>(subgraph: string, work: (trx: Kysely<Tables>) => Promise<T>) => {
    const result = await database.write({ store: 'registry', id: subgraph }, async (trx) => {
      if (database.dialect === 'postgres') await lockSubgraph(trx, subgraph);
      return work(trx);
    });
    await mirror.written(subgraph);
    return result;
  };
  const setStatus = (trx: Kysely<Tables>, subgraph: string, version: number, status: VersionStatus) =>
    trx.updateTable('subgraph_version').set({ status }).where('subgraph', '=', subgraph).where('version', '=', version).execute();

  return {
    add: (entry) =>
      write(entry.subgraph, async (trx) => {
        const { last } = await trx.selectFrom('subgraph_version').select((eb) => eb.fn.max('version').as('last')).where('subgraph', '=', entry.subgraph).executeTakeFirstOrThrow();
        const version = Number(last ?? 0) + 1;
        await trx.insertInto('subgraph_version').values({
          subgraph: entry.subgraph, version, url: entry.url, sdl: entry.sdl, published_by: entry.publishedBy, published_at: entry.publishedAt, status: entry.status,
        }).execute();
        return { ...entry, version };
      }),
    get: (subgraph, version) => bySubgraph.get(subgraph)?.find((v) => v.version === version),
    list: (subgraph) => (subgraph ? (bySubgraph.get(subgraph) ?? []) : [...bySubgraph.keys()].sort().flatMap((s) => bySubgraph.get(s)!)),
    active: () => [...bySubgraph.keys()].sort().flatMap((s) => bySubgraph.get(s)!.filter((v) => v.status === 'ACTIVE')),
    activate: (subgraph, version) =>
      write(subgraph, async (trx) => {
        await trx.updateTable('subgraph_version').set({ status: 'SUPERSEDED' }).where('subgraph', '=', subgraph).where('status', '=', 'ACTIVE').execute();
        await setStatus(trx, subgraph, version, 'ACTIVE');
      }),
    setStatus: (subgraph, version, status) => write(subgraph, async (trx) => void (await setStatus(trx, subgraph, version, status))),
    decisions: (subgraph, version) => decisionsBySubgraph.get(subgraph)?.get(version) ?? [],
    decide: (subgraph, version, d) =>
      write(subgraph, async (trx) => {
        const row = await trx.selectFrom('subgraph_version').select('status').where('subgraph', '=', subgraph).where('version', '=', version).executeTakeFirst();
        if (row?.status !== 'PENDING') return false;
        await trx.insertInto('publication_decision').values({ subgraph, version, party: d.party, decision: d.decision, decided_by: d.decidedBy, decided_at: d.decidedAt, reason: d.reason })
          .onConflict((oc) => oc.columns(['subgraph', 'version', 'party']).doUpdateSet({ decision: d.decision, decided_by: d.decidedBy, decided_at: d.decidedAt, reason: d.reason }))
          .execute();
        if (d.decision === 'REFUSED') await setStatus(trx, subgraph, version, 'REJECTED');
        return true;
      }),
    onChange: mirror.onChange,
  };
}
