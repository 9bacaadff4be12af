// Access records as the admin endpoint gives them (who, why, which fields, never a value), and
// the audit search's filters, applied to the newest records the endpoint returns.

export interface AccessRecord {
  seq: number;
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

export const ACCESS_RECORD_FIELDS = 'seq at appId department purpose returned denied providers outcome status';

/** A day picked in a date input as the instant it starts (from) or ends (to), UTC. */
export const dayStart = (day: string) => (day ? `${day}T00:00:00.000Z` : undefined);
export const dayEnd = (day: string) => (day ? `${day}T23:59:59.999Z` : undefined);

export interface AuditFilters {
  field: string;
  app: string;
  purpose: string;
  provider: string;
  from: string;
  to: string;
  last: string;
}

/** Whether a record passes every filter that is set (field and purpose match in part, ignoring case); the app is asked of the endpoint. */
export function matchesFilters(record: AccessRecord, f: AuditFilters): boolean {
  const from = dayStart(f.from);
  const to = dayEnd(f.to);
  return (
    (!f.field || [...record.returned, ...record.denied].some((c) => c.toLowerCase().includes(f.field.toLowerCase()))) &&
    (!f.purpose || (record.purpose ?? '').toLowerCase().includes(f.purpose.toLowerCase())) &&
    (!f.provider || record.providers.includes(f.provider)) &&
    (!from || record.at >= from) &&
    (!to || record.at <= to)
  );
}

