// Objections: a requester files one on a value it received and follows it; the owning provider
// (or the operator) answers. The values objected to are not shown here, only what identifies them.

import { useState } from 'react';
import type { Role } from './index.tsx';
import { Choice, ErrorNote, Field, Status, Table, useAction, useAdmin, useWords, when } from '../ui.tsx';

interface Objection {
  id: string;
  coordinate: string;
  entityKey: string;
  comment: string;
  appId: string;
  filedAt: string;
  deadline: string;
  status: string;
  answeredBy: string | null;
  reason: string | null;
}

const OBJECTIONS = '{ objections { id coordinate entityKey comment appId filedAt deadline status answeredBy reason } }';

export function Objections({ role }: { role: Role }) {
  const w = useWords();
  const loaded = useAdmin<{ objections: Objection[] }>(OBJECTIONS);
  return (
    <>
      {role === 'requester' && <FileObjection onFiled={loaded.reload} />}
      <Status loaded={loaded}>
        {({ objections }) => (
          <Table
            caption={w.navObjections}
            head={[w.id, w.app, w.coordinate, w.entityKey, w.comment, w.status, w.deadline, w.answeredBy, w.reason, ...(role === 'requester' ? [] : [w.answer])]}
            rows={objections.map((o) => [
              <code>{o.id}</code>,
              o.appId,
              <code>{o.coordinate}</code>,
              o.entityKey,
              o.comment,
              <span className={`tag tag-${o.status.toLowerCase()}`} data-testid={`objection-${o.id}`}>
                {o.status}
              </span>,
              when(o.deadline),
              o.answeredBy ?? '—',
              o.reason ?? '—',
              ...(role === 'requester' ? [] : [o.status === 'OPEN' ? <AnswerObjection objection={o} onDone={loaded.reload} /> : '—']),
            ])}
          />
        )}
      </Status>
    </>
  );
}

function FileObjection({ onFiled }: { onFiled: () => void }) {
  const w = useWords();
  const [form, setForm] = useState({ coordinate: '', key: '', observedValue: '', comment: '', evidence: '' });
  const set = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  const action = useAction(() => {
    setForm({ coordinate: '', key: '', observedValue: '', comment: '', evidence: '' });
    onFiled();
  });
  return (
    <form
      className="card"
      aria-labelledby="objection-title"
      onSubmit={(e) => {
        e.preventDefault();
        const { evidence, ...rest } = form;
        void action.run('mutation($input: ObjectionInput!) { fileObjection(input: $input) { id status } }', { input: { ...rest, ...(evidence ? { evidence } : {}) } });
      }}
    >
      <h3 id="objection-title">{w.objectionTitle}</h3>
      <Field label={w.coordinate} name="coordinate" value={form.coordinate} onChange={set('coordinate')} required />
      <Field label={w.entityKey} name="key" value={form.key} onChange={set('key')} required />
      <Field label={w.observedValue} name="observedValue" value={form.observedValue} onChange={set('observedValue')} required />
      <Field label={w.comment} name="comment" value={form.comment} onChange={set('comment')} required textarea />
      <Field label={w.evidence} name="evidence" value={form.evidence} onChange={set('evidence')} />
      <button type="submit" disabled={action.busy}>
        {w.fileObjection}
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}

function AnswerObjection({ objection, onDone }: { objection: Objection; onDone: () => void }) {
  const w = useWords();
  const [decision, setDecision] = useState('REJECTED');
  const [reason, setReason] = useState('');
  const [correctedValue, setCorrectedValue] = useState('');
  const action = useAction(onDone);
  return (
    <form
      className="inline"
      aria-label={`${w.answer} ${objection.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(
          'mutation($id: ID!, $decision: ObjectionDecision!, $reason: String!, $correctedValue: String) { answerObjection(id: $id, decision: $decision, reason: $reason, correctedValue: $correctedValue) { id status } }',
          { id: objection.id, decision, reason, correctedValue: decision === 'CONFIRMED' && correctedValue ? correctedValue : null },
        );
      }}
    >
      <Choice label={w.decision} name="decision" value={decision} onChange={setDecision} options={[['REJECTED', w.rejected], ['CONFIRMED', w.confirmed]]} />
      <Field label={w.reason} name="reason" value={reason} onChange={setReason} required />
      {decision === 'CONFIRMED' && <Field label={w.correctedValue} name="correctedValue" value={correctedValue} onChange={setCorrectedValue} />}
      <button type="submit" disabled={action.busy}>
        {w.answer}
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
