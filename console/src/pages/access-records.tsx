// A table of access records (the audit search, the recipients page, an app's own records), and
// the search over them the endpoint runs: filters as its arguments, pages by the cursor of the last record seen.

import { useEffect, useState } from 'react';
import { admin } from '../admin-api.ts';
import { ErrorNote, Field, Table, useWords, when } from '../ui.tsx';
import { NO_FILTERS, SEARCH_RECORDS, searchVariables, type AccessRecord, type FoundRecord, type RecordFilters } from './access-record.ts';

/** `own`: an app's own records, without the app and department columns. */
export function AccessRecords({ caption, records, own = false }: { caption: string; records: AccessRecord[]; own?: boolean }) {
  const w = useWords();
  return (
    <Table
      caption={caption}
      head={['#', w.at, w.requestId, ...(own ? [] : [w.app, w.department]), w.purpose, w.returned, w.denied, w.providers, w.outcome]}
      rows={records.map((r) => [
        r.seq,
        when(r.at),
        r.requestId ? <code>{r.requestId}</code> : '—',
        ...(own ? [] : [r.appId ?? '—', r.department ?? '—']),
        r.purpose ?? '—',
        r.returned.join(', ') || '—',
        r.denied.join(', ') || '—',
        r.providers.join(', ') || '—',
        `${r.outcome} (${r.status})`,
      ])}
    />
  );
}

type Filter = Exclude<keyof RecordFilters, 'last'>;

/** The search form with the filters `shown`, the newest page at once, then older and newer pages of the same search. */
export function RecordSearch({ title, shown, own = false }: { title: string; shown: readonly Filter[]; own?: boolean }) {
  const w = useWords();
  const [filters, setFilters] = useState<RecordFilters>(NO_FILTERS);
  const [searched, setSearched] = useState<RecordFilters>(NO_FILTERS);
  // The `beforeCursor` of each page shown so far: null for the newest.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [records, setRecords] = useState<FoundRecord[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const beforeCursor = cursors[cursors.length - 1]!;
  useEffect(() => {
    let live = true;
    setError(null);
    admin<{ accessRecords: FoundRecord[] }>(SEARCH_RECORDS, searchVariables(searched, beforeCursor)).then(
      (d) => live && setRecords(d.accessRecords),
      (e: Error) => {
        if (!live) return;
        setRecords(null);
        setError(e.message);
      },
    );
    return () => {
      live = false;
    };
  }, [searched, beforeCursor]);
  const label: Record<Filter, [string, string]> = {
    coordinate: [w.coordinate, 'text'],
    app: [w.app, 'text'],
    purpose: [w.purposeExact, 'text'],
    provider: [w.providers, 'text'],
    requestId: [w.requestId, 'text'],
    from: [w.from, 'date'],
    to: [w.to, 'date'],
  };
  const set = (name: keyof RecordFilters) => (value: string) => setFilters((f) => ({ ...f, [name]: value }));
  const pageSize = searchVariables(searched, null).last as number;
  return (
    <>
      <form
        className="card filters"
        aria-label={title}
        onSubmit={(e) => {
          e.preventDefault();
          setSearched({ ...filters });
          setCursors([null]);
        }}
      >
        {shown.map((name) => (
          <Field key={name} label={label[name][0]} name={name} type={label[name][1]} value={filters[name]} onChange={set(name)} />
        ))}
        <Field label={w.pageSize} name="last" type="number" value={filters.last} onChange={set('last')} />
        <button type="submit">{w.find}</button>
      </form>
      <ErrorNote message={error} />
      {records && (
        <>
          <AccessRecords caption={`${title} · ${w.page.replace('{n}', String(cursors.length))}: ${records.length} ${w.records}`} records={records} own={own} />
          <div className="pager" role="group" aria-label={`${title} · ${w.pages}`}>
            <button type="button" disabled={cursors.length === 1} onClick={() => setCursors((c) => c.slice(0, -1))}>
              {w.newer}
            </button>
            <button type="button" disabled={records.length < pageSize} onClick={() => setCursors((c) => [...c, records[records.length - 1]!.cursor])}>
              {w.older}
            </button>
          </div>
        </>
      )}
    </>
  );
}
