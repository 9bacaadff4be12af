// The recipients index (`audit_coordinate`: coordinate → seq) answers "who received this field"
// without reading every record. It sits outside the chain, but it is a function of the chained
// records (each record's `returned`), so it is checked by rebuilding it from them: a row deleted
// hides a recipient, a row added invents one, and either is found here. The index of the values
// returned (`audit_value`: value digest → seq, from each record's `valueDigests`) is checked alike.

import type Database from 'better-sqlite3';

export type RecipientsProblem = 'recipient-missing' | 'recipient-added';

/** An index beside the records: its table and column, and the records' (JSON array) column it is built from. */
export interface RecordIndex {
  table: string;
  column: string;
  source: string;
}

export const COORDINATE_INDEX: RecordIndex = Object.freeze({ table: 'audit_coordinate', column: 'coordinate', source: 'returned' });
export const VALUE_INDEX: RecordIndex = Object.freeze({ table: 'audit_value', column: 'digest', source: 'value_digests' });

interface Pair {
  seq: number;
  coordinate: string;
}

const before = (a: Pair, b: Pair) => a.seq < b.seq || (a.seq === b.seq && a.coordinate < b.coordinate);

/** Walks the records' entries and the index rows side by side, both in (seq, entry) order. */
export function checkRecipientsIndex(db: Database.Database, { table, column, source }: RecordIndex = COORDINATE_INDEX): { seq: number; problem: RecipientsProblem } | undefined {
  const expected = function* (): Generator<Pair> {
    for (const { seq, entries } of db.prepare(`SELECT seq, ${source} AS entries FROM audit_record ORDER BY seq`).iterate() as Iterable<{ seq: number; entries: string | null }>) {
      for (const coordinate of [...new Set(JSON.parse(entries ?? '[]') as string[])].sort()) yield { seq, coordinate };
    }
  };
  const rows = db.prepare(`SELECT seq, ${column} AS coordinate FROM ${table} ORDER BY seq, ${column}`).iterate() as IterableIterator<Pair>;
  const records = expected();
  let want = records.next();
  let have = rows.next();
  try {
    while (!want.done || !have.done) {
      if (!want.done && !have.done && want.value.seq === have.value.seq && want.value.coordinate === have.value.coordinate) {
        want = records.next();
        have = rows.next();
      } else if (have.done || (!want.done && before(want.value, have.value))) {
        return { seq: want.value!.seq, problem: 'recipient-missing' };
      } else {
        return { seq: have.value.seq, problem: 'recipient-added' };
      }
    }
    return undefined;
  } finally {
    rows.return?.();
    records.return(undefined);
  }
}
