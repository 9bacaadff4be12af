// The label catalogue with search. Requesters tick fields (or write a label selector) and apply
// with a purpose, a basis and an expiry. Every role sees each field's declared quality beside what
// the gateway measured; the operator also where each label comes from, and parties the label report.

import { useMemo, useState } from 'react';
import type { Role } from './index.tsx';
import { LabelReport } from './label-report.tsx';
import { age, FIELD_QUALITY_FIELDS, percent, type FieldQuality } from '../quality-figures.ts';
import { Choice, ErrorNote, Field, Status, Table, useAction, useAdmin, useWords } from '../ui.tsx';

interface LabeledField {
  coordinate: string;
  owners: string[];
  sharing: string;
  grade: string;
  category: string | null;
  pii: boolean;
  source: string;
  quality: FieldQuality | null;
}

const LABELS = `{ labels { coordinate owners sharing grade category pii source quality { ${FIELD_QUALITY_FIELDS} } } }`;
const APPLY = 'mutation($input: ApplyInput!) { apply(input: $input) { id status } }';

export function Catalogue({ role }: { role: Role }) {
  const w = useWords();
  const labels = useAdmin<{ labels: LabeledField[] }>(LABELS);
  const [search, setSearch] = useState('');
  const [unlabeledOnly, setUnlabeledOnly] = useState(false);
  const [selected, setSelected] = useState<string[]>([]);
  const requester = role === 'requester';
  const match = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean);
    return (f: LabeledField) =>
      (!unlabeledOnly || f.source === 'default') &&
      words.every((word) => [f.coordinate, f.category ?? '', f.sharing, ...f.owners].some((text) => text.toLowerCase().includes(word)));
  }, [search, unlabeledOnly]);
  const toggle = (coordinate: string) => setSelected((s) => (s.includes(coordinate) ? s.filter((c) => c !== coordinate) : [...s, coordinate]));
  return (
    <>
      <div className="filters" role="search">
        <Field label={w.searchFields} name="search" type="search" value={search} onChange={setSearch} />
        {role === 'operator' && (
          <label className="check">
            <input type="checkbox" checked={unlabeledOnly} onChange={(e) => setUnlabeledOnly(e.target.checked)} /> {w.unlabeledOnly}
          </label>
        )}
      </div>
      {requester && <p className="note">{w.valuesHint}</p>}
      {requester && <ApplyForm selected={selected} onFiled={() => setSelected([])} />}
      {!requester && <LabelReport />}
      <Status loaded={labels}>
        {({ labels: fields }) => (
          <Table
            caption={w.navCatalogue}
            head={[...(requester ? [w.select] : []), w.coordinate, w.owners, w.sharing, w.grade, w.category, w.pii, w.updateCycle, w.completeness, w.ageAndStale, ...(role === 'operator' ? [w.source] : [])]}
            rows={fields.filter(match).map((f) => [
              ...(requester
                ? [<input type="checkbox" aria-label={`${w.selectField} ${f.coordinate}`} checked={selected.includes(f.coordinate)} onChange={() => toggle(f.coordinate)} />]
                : []),
              <code>{f.coordinate}</code>,
              f.owners.join(', '),
              <span className={`tag tag-${f.sharing.toLowerCase()}`}>{f.sharing}</span>,
              f.grade,
              f.category ?? '—',
              f.pii ? w.yes : w.no,
              ...qualityCells(f.quality),
              ...(role === 'operator' ? [f.source === 'default' ? <strong>{f.source}</strong> : f.source] : []),
            ])}
          />
        )}
      </Status>
    </>
  );
}

/** Update cycle; declared completeness against the measured (1 − null rate); the oldest value seen and the stale ones. */
function qualityCells(q: FieldQuality | null) {
  if (!q) return ['—', '—', '—'];
  const { declared: d, measured: m } = q;
  return [
    d.updateCycle,
    <span className={m.completenessMet === false ? 'overdue' : ''}>
      {percent(d.completeness)} / {percent(m.nullRate === null ? null : 1 - m.nullRate)}
    </span>,
    <span className={m.staleValues > 0 ? 'overdue' : ''}>
      {age(m.maxAgeSeconds)} · {m.staleValues}/{m.samples}
    </span>,
  ];
}

function ApplyForm({ selected, onFiled }: { selected: string[]; onFiled: () => void }) {
  const w = useWords();
  const [selector, setSelector] = useState('');
  const [purpose, setPurpose] = useState('');
  const [basis, setBasis] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [rowScope, setRowScope] = useState('ALL');
  const [filed, setFiled] = useState<string | null>(null);
  const action = useAction(onFiled);
  return (
    <form
      className="card"
      aria-labelledby="apply-title"
      onSubmit={async (e) => {
        e.preventDefault();
        const fields = selector.trim() ? { selector: selector.trim() } : { coordinates: selected };
        const input = { ...fields, purpose, basis, expiresAt: new Date(`${expiresOn}T23:59:59Z`).toISOString(), rowScope };
        const data = (await action.run(APPLY, { input })) as { apply: { id: string; status: string } } | null;
        if (data) setFiled(data.apply.id);
      }}
    >
      <h3 id="apply-title">{w.applyTitle}</h3>
      <p>
        {w.selected}: <span data-testid="selected">{selected.length ? selected.join(', ') : '—'}</span>
      </p>
      <Field label={w.selector} name="selector" value={selector} onChange={setSelector} />
      <Field label={w.purpose} name="purpose" value={purpose} onChange={setPurpose} required />
      <Field label={w.basis} name="basis" value={basis} onChange={setBasis} required textarea />
      <Field label={w.expiresAt} name="expiresAt" type="date" value={expiresOn} onChange={setExpiresOn} required />
      <Choice label={w.rowScope} name="rowScope" value={rowScope} onChange={setRowScope} options={[['ALL', w.rowAll], ['OWN_DISTRICT', w.rowOwnDistrict]]} />
      <button type="submit" disabled={(selected.length === 0 && !selector.trim()) || action.busy}>
        {w.submitApply}
      </button>
      <ErrorNote message={action.error} />
      {filed && (
        <p role="status">
          {w.applied}: <code>{filed}</code>
        </p>
      )}
    </form>
  );
}
