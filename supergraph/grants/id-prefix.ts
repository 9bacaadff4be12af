// Ids as people quote them: the console and the command line show the first characters of a
// UUID, so a record is named by its full id or by a prefix that only one record's id begins with.

/** Shorter prefixes would soon name several records (and invite guessing): 8 hex digits, 32 bits. */
export const MIN_ID_PREFIX = 8;
/** Candidates named in an ambiguity, at most. */
const MAX_CANDIDATES = 10;

export type IdMatch<T> = { kind: 'found'; record: T } | { kind: 'ambiguous' | 'unknown'; message: string; candidates: string[] };

/** The one record among `records` whose id is `given` or begins with it; else why not, for a person to read. */
export function matchIdPrefix<T extends { id: string }>(given: string, records: Iterable<T>, what: string): IdMatch<T> {
  const wanted = given.trim().toLowerCase();
  const all = [...records];
  const exact = all.find((r) => r.id.toLowerCase() === wanted);
  if (exact) return { kind: 'found', record: exact };
  if (wanted.length < MIN_ID_PREFIX) {
    return { kind: 'unknown', message: `No ${what} ${given}: name it by its full id or by at least its first ${MIN_ID_PREFIX} characters.`, candidates: [] };
  }
  const matches = all.filter((r) => r.id.toLowerCase().startsWith(wanted));
  if (matches.length === 1) return { kind: 'found', record: matches[0]! };
  if (matches.length === 0) return { kind: 'unknown', message: `No ${what} ${given}.`, candidates: [] };
  const candidates = matches.map((r) => r.id).sort();
  const named = candidates.slice(0, MAX_CANDIDATES).join(', ') + (candidates.length > MAX_CANDIDATES ? `, and ${candidates.length - MAX_CANDIDATES} more` : '');
  return { kind: 'ambiguous', message: `${given} begins the ids of ${candidates.length} ${what}s (${named}): give more of its characters.`, candidates: candidates.slice(0, MAX_CANDIDATES) };
}
