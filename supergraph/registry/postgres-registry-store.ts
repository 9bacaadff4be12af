// The schema registry's versions on PostgreSQL, shared by replicas: kept in memory, read again
// per subgraph after each change. Version numbers are allocated in the writing transaction, under
// a lock per subgraph, and one version per subgraph is ACTIVE (a unique index says so).

import type { PoolClient } from 'pg';
import { openMirror, type Postgres } from '../stores/index.ts';
import { decisionFromRow, versionFromRow, type DecisionRow, type PublicationDecision, type RegistryStore, type SubgraphVersion, type VersionRow, type VersionStatus } from './registry-store.ts';

/** Serialises writes to one subgraph's versions until the transaction ends. */
const lockSubgraph = (client: PoolClient, subgraph: string) => client.query("SELECT pg_advisory_xact_lock(hashtext('subgraph_version:' || $1))", [subgraph]);

export async function openPostgresRegistryStore(pg: Postgres): Promise<RegistryStore> {
  let bySubgraph = new Map<string, SubgraphVersion[]>();
  /** Per subgraph, per version: the parties' decisions, by party. */
  let decisionsBySubgraph = new Map<string, Map<number, PublicationDecision[]>>();
  const byVersion = (rows: DecisionRow[]) => {
    const out = new Map<number, PublicationDecision[]>();
    for (const row of rows) out.set(row.version, [...(out.get(row.version) ?? []), decisionFromRow(row)]);
    return out;
  };
  const mirror = await openMirror(pg, 'registry', {
    async loadAll() {
      const [rows, decided] = await Promise.all([
        pg.query<VersionRow>('SELECT * FROM subgraph_version ORDER BY subgraph, version'),
        pg.query<DecisionRow>('SELECT * FROM publication_decision ORDER BY subgraph, version, party'),
      ]);
      bySubgraph = new Map();
      for (const row of rows) bySubgraph.set(row.subgraph, [...(bySubgraph.get(row.subgraph) ?? []), versionFromRow(row)]);
      decisionsBySubgraph = new Map([...new Set(decided.map((d) => d.subgraph))].map((s) => [s, byVersion(decided.filter((d) => d.subgraph === s))]));
    },
    async reload(subgraph) {
      const [rows, decided] = await Promise.all([
        pg.query<VersionRow>('SELECT * FROM subgraph_version WHERE subgraph = $1 ORDER BY version', [subgraph]),
        pg.query<DecisionRow>('SELECT * FROM publication_decision WHERE subgraph = $1 ORDER BY version, party', [subgraph]),
      ]);
      bySubgraph.set(subgraph, rows.map(versionFromRow));
      decisionsBySubgraph.set(subgraph, byVersion(decided));
    },
  });
  const write = async <T>(subgraph: string, work: (client: PoolClient) => Promise<T>) => {
    const result = await pg.write({ store: 'registry', id: subgraph }, async (client) => {
      await lockSubgraph(client, subgraph);
      return work(client);
    });
    await mirror.written(subgraph);
    return result;
  };
  const setStatus = (client: PoolClient, subgraph: string, version: number, status: VersionStatus) =>
    client.query('UPDATE subgraph_version SET status = $1 WHERE subgraph = $2 AND version = $3', [status, subgraph, version]);

  return {
    add: (entry) =>
      write(entry.subgraph, async (client) => {
        const { rows } = await client.query<{ version: number }>(
          `INSERT INTO subgraph_version (subgraph, version, url, sdl, published_by, published_at, status)
           SELECT $1::varchar, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 FROM subgraph_version WHERE subgraph = $1::varchar RETURNING version`,
          [entry.subgraph, entry.url, entry.sdl, entry.publishedBy, entry.publishedAt, entry.status],
        );
        return { ...entry, version: rows[0]!.version };
      }),
    get: (subgraph, version) => bySubgraph.get(subgraph)?.find((v) => v.version === version),
    list: (subgraph) => (subgraph ? (bySubgraph.get(subgraph) ?? []) : [...bySubgraph.keys()].sort().flatMap((s) => bySubgraph.get(s)!)),
    active: () => [...bySubgraph.keys()].sort().flatMap((s) => bySubgraph.get(s)!.filter((v) => v.status === 'ACTIVE')),
    activate: (subgraph, version) =>
      write(subgraph, async (client) => {
        await client.query("UPDATE subgraph_version SET status = 'SUPERSEDED' WHERE subgraph = $1 AND status = 'ACTIVE'", [subgraph]);
        await setStatus(client, subgraph, version, 'ACTIVE');
      }),
    setStatus: (subgraph, version, status) => write(subgraph, async (client) => void (await setStatus(client, subgraph, version, status))),
    decisions: (subgraph, version) => decisionsBySubgraph.get(subgraph)?.get(version) ?? [],
    decide: (subgraph, version, d) =>
      write(subgraph, async (client) => {
        const { rows } = await client.query<{ status: VersionStatus }>('SELECT status FROM subgraph_version WHERE subgraph = $1 AND version = $2', [subgraph, version]);
        if (rows[0]?.status !== 'PENDING') return false;
        await client.query(
          `INSERT INTO publication_decision (subgraph, version, party, decision, decided_by, decided_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (subgraph, version, party) DO UPDATE SET decision = EXCLUDED.decision, decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at, reason = EXCLUDED.reason`,
          [subgraph, version, d.party, d.decision, d.decidedBy, d.decidedAt, d.reason],
        );
        if (d.decision === 'REFUSED') await setStatus(client, subgraph, version, 'REJECTED');
        return true;
      }),
    onChange: mirror.onChange,
    close: () => undefined,
  };
}
