// The schema registry's versions of each subgraph (registry.db in the state folder): who published
// which URL and SDL when, and whether it is served (ACTIVE), waiting for the operator (PENDING),
// replaced (SUPERSEDED) or refused by the operator (REJECTED). Replicas share PostgreSQL instead
// (postgres-registry-store.ts). Reads are synchronous; writes resolve once stored.

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

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
  /** Told when the versions changed, through this replica or another (a store shared by replicas only). */
  onChange?(listener: () => void): void;
  close(): void;
}

interface Row { subgraph: string; version: number; url: string; sdl: string; published_by: string; published_at: string; status: VersionStatus }

const fromRow = (r: Row): SubgraphVersion => ({ subgraph: r.subgraph, version: r.version, url: r.url, sdl: r.sdl, publishedBy: r.published_by, publishedAt: r.published_at, status: r.status });

export function openSqliteRegistryStore(file: string): RegistryStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS subgraph_version (
    subgraph VARCHAR(128) NOT NULL, version INTEGER NOT NULL, url TEXT NOT NULL, sdl TEXT NOT NULL,
    published_by VARCHAR(256) NOT NULL, published_at VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL,
    PRIMARY KEY (subgraph, version)
  );`);
  const next = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM subgraph_version WHERE subgraph = ?');
  const insert = db.prepare('INSERT INTO subgraph_version VALUES (@subgraph, @version, @url, @sdl, @publishedBy, @publishedAt, @status)');
  const one = db.prepare('SELECT * FROM subgraph_version WHERE subgraph = ? AND version = ?');
  const all = db.prepare('SELECT * FROM subgraph_version ORDER BY subgraph, version');
  const ofSubgraph = db.prepare('SELECT * FROM subgraph_version WHERE subgraph = ? ORDER BY version');
  const actives = db.prepare("SELECT * FROM subgraph_version WHERE status = 'ACTIVE' ORDER BY subgraph");
  const supersede = db.prepare("UPDATE subgraph_version SET status = 'SUPERSEDED' WHERE subgraph = ? AND status = 'ACTIVE'");
  const status = db.prepare('UPDATE subgraph_version SET status = ? WHERE subgraph = ? AND version = ?');
  const add = db.transaction((entry: Omit<SubgraphVersion, 'version'>) => {
    const version = (next.get(entry.subgraph) as { v: number }).v;
    insert.run({ ...entry, version });
    return { ...entry, version };
  });
  const activate = db.transaction((subgraph: string, version: number) => {
    supersede.run(subgraph);
    status.run('ACTIVE', subgraph, version);
  });
  return {
    add: async (entry) => add(entry),
    get: (subgraph, version) => {
      const row = one.get(subgraph, version) as Row | undefined;
      return row && fromRow(row);
    },
    list: (subgraph) => ((subgraph ? ofSubgraph.all(subgraph) : all.all()) as Row[]).map(fromRow),
    active: () => (actives.all() as Row[]).map(fromRow),
    activate: async (subgraph, version) => activate(subgraph, version),
    setStatus: async (subgraph, version, to) => void status.run(to, subgraph, version),
    close: () => db.close(),
  };
}
