// Access records as the admin endpoint gives them (who, why, which fields, never a value), and
// the search's filters as the endpoint's arguments: the server filters and pages, not the browser.

export interface AccessRecord {
  seq: number;
  requestId: string | null;
  at: string;
  appId: string | null;
  department: string | null;
  purpose: string | null;
  returned: string[];
  denied: string[];
  providers: string[];
  outcome: string;
  status: number;
}

export const ACCESS_RECORD_FIELDS = 'seq requestId at appId department purpose returned denied providers outcome status';

/** A day picked in a date input as the instant it starts (from) or ends (to), UTC. */
export const dayStart = (day: string) => (day ? `${day}T00:00:00.000Z` : undefined);
export const dayEnd = (day: string) => (day ? `${day}T23:59:59.999Z` : undefined);

export interface RecordFilters {
  coordinate: string;
  app: string;
  purpose: string;
  provider: string;
  requestId: string;
  from: string;
  to: string;
  /** Records per page. */
  last: string;
}

export const NO_FILTERS: RecordFilters = Object.freeze({ coordinate: '', app: '', purpose: '', provider: '', requestId: '', from: '', to: '', last: '20' });

/** Records one page asks for: the endpoint's own bound. */
const MAX_PAGE = 1_000;

/** A record the search found, with where the page after it starts: passed back as `beforeCursor`. */
export interface FoundRecord extends AccessRecord {
  cursor: string;
}

export const SEARCH_RECORDS = `query($app: String, $purpose: String, $coordinate: String, $provider: String, $requestId: String, $from: String, $to: String, $beforeCursor: String, $last: Int) {
  accessRecords(appId: $app, purpose: $purpose, coordinate: $coordinate, provider: $provider, requestId: $requestId, from: $from, to: $to, beforeCursor: $beforeCursor, last: $last) { cursor ${ACCESS_RECORD_FIELDS} } }`;

/**
 * The search's variables: each filter set (trimmed), the days as instants, and the page before
 * `beforeCursor` (the `cursor` of the previous page's last record), if any. The cursor, unlike a
 * seq, pages the trail replicas share as well as one replica's own.
 */
export function searchVariables(f: RecordFilters, beforeCursor: string | null): Record<string, string | number | null> {
  const text = (value: string) => value.trim() || null;
  return {
    app: text(f.app),
    purpose: text(f.purpose),
    coordinate: text(f.coordinate),
    provider: text(f.provider),
    requestId: text(f.requestId),
    from: dayStart(f.from) ?? null,
    to: dayEnd(f.to) ?? null,
    beforeCursor,
    last: Math.min(MAX_PAGE, Math.max(1, Math.trunc(Number(f.last)) || 20)),
  };
}
