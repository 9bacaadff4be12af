// The schema registry's versions on PostgreSQL, shared by replicas: kept in memory, read again
// per subgraph after each change. Version numbers are allocated in the writing transaction, under
// a lock per subgraph, and one version per subgraph is ACTIVE (a unique index says so).

import type { PoolClient } from 'pg';
import { openMirror, type Postgres } from '../stores/index.ts';
import type { RegistryStore, SubgraphVersion, VersionStatus } from './registry-store.ts';

interface Row { subgraph: string; version: number; url: string; sdl: string; published_by: string; published_at: string; status: VersionStatus }

const fromRow = (r: Row): SubgraphVersion => ({ subgraph: r.subgraph, version: r.version, url: r.url, sdl: r.sdl, publishedBy: r.published_by, publishedAt: r.published_at, status: r.status });

/** Serialises writes to one subgraph's versions until the transaction ends. */
const lockSubgraph = (client: PoolClient, subgraph: string) => client.query("SELECT pg_advisory_xact_lock(hashtext('subgraph_version:' || $1))", [subgraph]);

export async function openPostgresRegistryStore(pg: Postgres): Promise<RegistryStore> {
  let bySubgraph = new Map<string, SubgraphVersion[]>();
  const mirror = await openMirror(pg, 'registry', {
    async loadAll() {
      const rows = await pg.query<Row>('SELECT * FROM subgraph_version ORDER BY subgraph, version');
      bySubgraph = new Map();
      for (const row of rows) bySubgraph.set(row.subgraph, [...(bySubgraph.get(row.subgraph) ?? []), fromRow(row)]);
    },
    async reload(subgraph) {
      bySubgraph.set(subgraph, (await pg.query<Row>('SELECT * FROM subgraph_version WHERE subgraph = $1 ORDER BY version', [subgraph])).map(fromRow));
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
    onChange: mirror.onChange,
    close: () => undefined,
  };
}
