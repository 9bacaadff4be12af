// The operator's audit search: the newest records (of one app, when named) filtered by field,
// purpose, provider and days, beside the verification of the hash chain.

import { useState } from 'react';
import { admin } from '../admin-api.ts';
import { ACCESS_RECORD_FIELDS, matchesFilters, type AccessRecord, type AuditFilters } from './access-record.ts';
import { AccessRecords } from './access-records.tsx';
import { ErrorNote, Field, Status, useAdmin, useWords } from '../ui.tsx';

interface AuditCheck {
  ok: boolean;
  records: number;
  brokenAtSeq: number | null;
  problem: string | null;
}

export function AuditSearch() {
  const w = useWords();
  const check = useAdmin<{ verifyAuditTrail: AuditCheck }>('{ verifyAuditTrail { ok records brokenAtSeq problem } }');
  const [filters, setFilters] = useState<AuditFilters>({ field: '', app: '', purpose: '', provider: '', from: '', to: '', last: '200' });
  const [records, setRecords] = useState<AccessRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (name: keyof AuditFilters) => (value: string) => setFilters((f) => ({ ...f, [name]: value }));
  return (
    <>
      <section className="card" aria-labelledby="chain-title">
        <h3 id="chain-title">{w.auditChain}</h3>
        <Status loaded={check}>
          {({ verifyAuditTrail: c }) => (
            <p data-testid="audit-chain" className={c.ok ? 'ok' : 'error'}>
              {c.ok ? w.auditOk : `${w.auditBroken}: #${c.brokenAtSeq} ${c.problem ?? ''}`} · {c.records} {w.records}
            </p>
          )}
        </Status>
      </section>
      <form
        className="card filters"
        aria-label={w.auditTitle}
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          const last = Math.min(1000, Math.max(1, Number(filters.last) || 200));
          admin<{ accessRecords: AccessRecord[] }>(`query($app: String, $last: Int) { accessRecords(appId: $app, last: $last) { ${ACCESS_RECORD_FIELDS} } }`, {
            app: filters.app || null,
            last,
          }).then(
            (d) => setRecords(d.accessRecords.filter((r) => matchesFilters(r, filters))),
            (e: Error) => setError(e.message),
          );
        }}
      >
        <Field label={w.coordinate} name="field" value={filters.field} onChange={set('field')} />
        <Field label={w.app} name="app" value={filters.app} onChange={set('app')} />
        <Field label={w.purpose} name="purpose" value={filters.purpose} onChange={set('purpose')} />
        <Field label={w.providers} name="provider" value={filters.provider} onChange={set('provider')} />
        <Field label={w.from} name="from" type="date" value={filters.from} onChange={set('from')} />
        <Field label={w.to} name="to" type="date" value={filters.to} onChange={set('to')} />
        <Field label={w.lastN} name="last" type="number" value={filters.last} onChange={set('last')} />
        <button type="submit">{w.find}</button>
      </form>
      <ErrorNote message={error} />
      {records && <AccessRecords caption={`${w.auditTitle}: ${records.length} ${w.matches}`} records={records} />}
    </>
  );
}
