// A table of access records, shared by the audit search and the recipients page.

import { Table, useWords, when } from '../ui.tsx';
import type { AccessRecord } from './access-record.ts';

export function AccessRecords({ caption, records }: { caption: string; records: AccessRecord[] }) {
  const w = useWords();
  return (
    <Table
      caption={caption}
      head={['#', w.at, w.app, w.department, w.purpose, w.returned, w.denied, w.providers, w.outcome]}
      rows={records.map((r) => [
        r.seq,
        when(r.at),
        r.appId ?? '—',
        r.department ?? '—',
        r.purpose ?? '—',
        r.returned.join(', ') || '—',
        r.denied.join(', ') || '—',
        r.providers.join(', ') || '—',
        `${r.outcome} (${r.status})`,
      ])}
    />
  );
}
