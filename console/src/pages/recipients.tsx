// Who received a field, for which purpose, between two days: a provider for the fields it
// resolves, the operator for any.

import { useState } from 'react';
import type { Caller } from './index.tsx';
import { ACCESS_RECORD_FIELDS, dayEnd, dayStart, type AccessRecord } from './access-record.ts';
import { AccessRecords } from './access-records.tsx';
import { Choice, ErrorNote, Field, Status, useAdmin, useWords } from '../ui.tsx';
import { admin } from '../admin-api.ts';

export function Recipients({ caller }: { caller: Caller }) {
  const w = useWords();
  const labels = useAdmin<{ labels: { coordinate: string; owners: string[] }[] }>('{ labels { coordinate owners } }');
  const [coordinate, setCoordinate] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [records, setRecords] = useState<AccessRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <Status loaded={labels}>
      {(data) => {
        const own = data.labels.filter((f) => caller.party === 'operator' || f.owners.includes(caller.party ?? ''));
        const chosen = coordinate || own[0]?.coordinate || '';
        return (
          <>
            <form
              className="card filters"
              aria-label={w.recipientsTitle}
              onSubmit={(e) => {
                e.preventDefault();
                setError(null);
                admin<{ recipients: AccessRecord[] }>(`query($c: String!, $from: String, $to: String) { recipients(coordinate: $c, from: $from, to: $to) { ${ACCESS_RECORD_FIELDS} } }`, {
                  c: chosen,
                  from: dayStart(from),
                  to: dayEnd(to),
                }).then(
                  (d) => setRecords(d.recipients),
                  (e: Error) => setError(e.message),
                );
              }}
            >
              <Choice label={w.coordinate} name="coordinate" value={chosen} onChange={setCoordinate} options={own.map((f) => [f.coordinate, f.coordinate])} />
              <Field label={w.from} name="from" type="date" value={from} onChange={setFrom} />
              <Field label={w.to} name="to" type="date" value={to} onChange={setTo} />
              <button type="submit">{w.find}</button>
            </form>
            <ErrorNote message={error} />
            {records && <AccessRecords caption={`${w.recipientsTitle}: ${chosen}`} records={records} />}
          </>
        );
      }}
    </Status>
  );
}
