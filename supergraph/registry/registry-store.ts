// The schema registry's versions of each subgraph (registry.db in the state folder): who published
// which URL and SDL when, and whether it is served (ACTIVE), waiting for its approvers (PENDING),
// replaced (SUPERSEDED) or refused (REJECTED); and each party's decision on a PENDING version.
// Replicas share PostgreSQL instead (postgres-registry-store.ts). Reads are synchronous; writes
// resolve once stored.

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
  /** Told when the versions changed, through this replica or another (a store shared by replicas only). */
  onChange?(listener: () => void): void;
  close(): void;
}

export interface VersionRow { subgraph: string; version: number; url: string; sdl: string; published_by: string; published_at: string; status: VersionStatus }
export interface DecisionRow { subgraph: string; version: number; party: string; decision: 'APPROVED' | 'REFUSED'; decided_by: string; decided_at: string; reason: string | null }

export const versionFromRow = (r: VersionRow): SubgraphVersion => ({ subgraph: r.subgraph, version: r.version, url: r.url, sdl: r.sdl, publishedBy: r.published_by, publishedAt: r.published_at, status: r.status });
export const decisionFromRow = (r: DecisionRow): PublicationDecision => ({ party: r.party, decision: r.decision, decidedBy: r.decided_by, decidedAt: r.decided_at, reason: r.reason });

export function openSqliteRegistryStore(file: string): RegistryStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS subgraph_version (
    subgraph VARCHAR(128) NOT NULL, version INTEGER NOT NULL, url TEXT NOT NULL, sdl TEXT NOT NULL,
    published_by VARCHAR(256) NOT NULL, published_at VARCHAR(32) NOT NULL, status VARCHAR(16) NOT NULL,
    PRIMARY KEY (subgraph, version)
  );
  CREATE TABLE IF NOT EXISTS publication_decision (
    subgraph VARCHAR(128) NOT NULL, version INTEGER NOT NULL, party VARCHAR(128) NOT NULL, decision VARCHAR(16) NOT NULL,
    decided_by VARCHAR(256) NOT NULL, decided_at VARCHAR(32) NOT NULL, reason TEXT,
    PRIMARY KEY (subgraph, version, party)
  );`);
  const next = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 AS v FROM subgraph_version WHERE subgraph = ?');
  const insert = db.prepare('INSERT INTO subgraph_version VALUES (@subgraph, @version, @url, @sdl, @publishedBy, @publishedAt, @status)');
  const one = db.prepare('SELECT * FROM subgraph_version WHERE subgraph = ? AND version = ?');
  const all = db.prepare('SELECT * FROM subgraph_version ORDER BY subgraph, version');
  const ofSubgraph = db.prepare('SELECT * FROM subgraph_version WHERE subgraph = ? ORDER BY version');
  const actives = db.prepare("SELECT * FROM subgraph_version WHERE status = 'ACTIVE' ORDER BY subgraph");
  const supersede = db.prepare("UPDATE subgraph_version SET status = 'SUPERSEDED' WHERE subgraph = ? AND status = 'ACTIVE'");
  const status = db.prepare('UPDATE subgraph_version SET status = ? WHERE subgraph = ? AND version = ?');
  const decisionsOf = db.prepare('SELECT * FROM publication_decision WHERE subgraph = ? AND version = ? ORDER BY party');
  const upsertDecision = db.prepare(`INSERT INTO publication_decision VALUES (@subgraph, @version, @party, @decision, @decidedBy, @decidedAt, @reason)
    ON CONFLICT (subgraph, version, party) DO UPDATE SET decision = excluded.decision, decided_by = excluded.decided_by, decided_at = excluded.decided_at, reason = excluded.reason`);
  const add = db.transaction((entry: Omit<SubgraphVersion, 'version'>) => {
    const version = (next.get(entry.subgraph) as { v: number }).v;
    insert.run({ ...entry, version });
    return { ...entry, version };
  });
  const activate = db.transaction((subgraph: string, version: number) => {
    supersede.run(subgraph);
    status.run('ACTIVE', subgraph, version);
  });
  const decide = db.transaction((subgraph: string, version: number, decision: PublicationDecision) => {
    if ((one.get(subgraph, version) as VersionRow | undefined)?.status !== 'PENDING') return false;
    upsertDecision.run({ subgraph, version, ...decision });
    if (decision.decision === 'REFUSED') status.run('REJECTED', subgraph, version);
    return true;
  });
  return {
    add: async (entry) => add(entry),
    get: (subgraph, version) => {
      const row = one.get(subgraph, version) as VersionRow | undefined;
      return row && versionFromRow(row);
    },
    list: (subgraph) => ((subgraph ? ofSubgraph.all(subgraph) : all.all()) as VersionRow[]).map(versionFromRow),
    active: () => (actives.all() as VersionRow[]).map(versionFromRow),
    activate: async (subgraph, version) => activate(subgraph, version),
    setStatus: async (subgraph, version, to) => void status.run(to, subgraph, version),
    decisions: (subgraph, version) => (decisionsOf.all(subgraph, version) as DecisionRow[]).map(decisionFromRow),
    decide: async (subgraph, version, decision) => decide(subgraph, version, decision),
    close: () => db.close(),
  };
}
