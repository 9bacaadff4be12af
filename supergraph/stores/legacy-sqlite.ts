// Before the control plane was one file, each SQLite store had its own in the state folder. A new
// control-plane.db takes their rows once, when it is created; the old files are left as they were.

import type BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const LEGACY_FILES = ['grants.db', 'apps.db', 'registry.db', 'objections.db', 'operations.db'];

const columnsOf = (sqlite: BetterSqlite3.Database, schema: string, table: string): string[] =>
  sqlite.prepare(`SELECT name FROM pragma_table_info(?, ?)`).pluck().all(table, schema) as string[];

/** Copies every row of every table the old files share with the new schema, column by shared column. */
export function importLegacyFiles(sqlite: BetterSqlite3.Database, dir: string): void {
  // Parents before children: an answer refers to its application, a decision to its version.
  const tables = ['application', 'application_party', 'app', 'app_key', 'key_retirement', 'principal', 'principal_removal', 'subgraph_version', 'publication_decision', 'objection', 'registered_operation'];
  for (const name of LEGACY_FILES) {
    const file = join(dir, name);
    if (!existsSync(file)) continue;
    sqlite.prepare('ATTACH DATABASE ? AS legacy').run(file);
    try {
      sqlite.transaction(() => {
        for (const table of tables) {
          const theirs = new Set(columnsOf(sqlite, 'legacy', table));
          const shared = columnsOf(sqlite, 'main', table).filter((c) => theirs.has(c)).map((c) => `"${c}"`).join(', ');
          if (shared) sqlite.exec(`INSERT OR IGNORE INTO main."${table}" (${shared}) SELECT ${shared} FROM legacy."${table}"`);
        }
      })();
    } finally {
      sqlite.exec('DETACH DATABASE legacy');
    }
  }
}
