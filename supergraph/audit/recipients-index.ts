// The recipients index (`audit_coordinate`: coordinate → seq) answers "who received this field"
// without reading every record. It sits outside the chain, but it is a function of the chained
// records (each record's `returned`), so it is checked by rebuilding it from them: a row deleted
// hides a recipient, a row added invents one, and either is found here.

import type Database from 'better-sqlite3';

export type RecipientsProblem = 'recipient-missing' | 'recipient-added';

interface Pair {
  seq: number;
  coordinate: string;
}

const before = (a: Pair, b: Pair) => a.seq < b.seq || (a.seq === b.seq && a.coordinate < b.coordinate);

/** Walks the records' coordinates and the index rows side by side, both in (seq, coordinate) order. */
export function checkRecipientsIndex(db: Database.Database): { seq: number; problem: RecipientsProblem } | undefined {
  const expected = function* (): Generator<Pair> {
    for (const { seq, returned } of db.prepare('SELECT seq, returned FROM audit_record ORDER BY seq').iterate() as Iterable<{ seq: number; returned: string }>) {
      for (const coordinate of [...new Set(JSON.parse(returned) as string[])].sort()) yield { seq, coordinate };
    }
  };
  const rows = db.prepare('SELECT seq, coordinate FROM audit_coordinate ORDER BY seq, coordinate').iterate() as IterableIterator<Pair>;
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
