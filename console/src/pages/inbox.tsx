// A party's inbox: applications waiting for its answer, overdue first, then by reply deadline;
// approve with a note or refuse with a reason. Below, the active grants it may revoke.

import { useState } from 'react';
import { APPLICATION_FIELDS, awaitingAnswer, type Application } from './application.ts';
import { PartyAnswers } from './applications.tsx';
import type { Caller } from './index.tsx';
import { ErrorNote, Field, Status, Table, useAction, useAdmin, useWords, when } from '../ui.tsx';

const INBOX = `{ applications { ${APPLICATION_FIELDS} } overdueApplications { application { id } waitingFor } }`;

interface InboxData {
  applications: Application[];
  overdueApplications: { application: { id: string }; waitingFor: string[] }[];
}

export function Inbox({ caller }: { caller: Caller }) {
  const w = useWords();
  const loaded = useAdmin<InboxData>(INBOX);
  return (
    <Status loaded={loaded}>
      {({ applications, overdueApplications }) => {
        const overdue = new Map(overdueApplications.map((o) => [o.application.id, o.waitingFor]));
        const waiting = awaitingAnswer(applications, new Set(overdue.keys()), caller.party ?? '');
        const active = applications.filter((a) => a.status === 'ACTIVE');
        return (
          <>
            <Table
              caption={w.navInbox}
              head={[w.id, w.app, w.fields, w.purpose, w.basis, w.parties, w.deadline, w.answer]}
              rows={waiting.map((a) => [
                <code>{a.id}</code>,
                a.appId,
                a.selector ?? a.coordinates.join(', '),
                a.purpose,
                a.basis,
                <PartyAnswers parties={a.parties} />,
                overdue.has(a.id) ? (
                  <span className="overdue">
                    <span className="tag tag-overdue">{w.overdue}</span> {when(a.replyDeadline)} · {w.waitingFor}: {overdue.get(a.id)!.join(', ')}
                  </span>
                ) : (
                  when(a.replyDeadline)
                ),
                <Decide application={a} onDone={loaded.reload} />,
              ])}
            />
            <Table
              caption={w.navGrants}
              head={[w.id, w.app, w.fields, w.purpose, w.parties, w.expiresAt, w.revoke]}
              rows={active.map((a) => [
                <code>{a.id}</code>,
                a.appId,
                a.selector ?? a.coordinates.join(', '),
                a.purpose,
                <PartyAnswers parties={a.parties} />,
                when(a.expiresAt),
                <Revoke application={a} onDone={loaded.reload} />,
              ])}
            />
          </>
        );
      }}
    </Status>
  );
}

function Decide({ application, onDone }: { application: Application; onDone: () => void }) {
  const w = useWords();
  const [text, setText] = useState('');
  const action = useAction(onDone);
  return (
    <form className="inline" aria-label={`${w.answer} ${application.id}`} onSubmit={(e) => e.preventDefault()}>
      <Field label={`${w.note} / ${w.reason}`} name="reason" value={text} onChange={setText} />
      <button type="button" disabled={action.busy} onClick={() => action.run('mutation($id: ID!, $note: String) { approve(id: $id, note: $note) { id status } }', { id: application.id, note: text || null })}>
        {w.approve}
      </button>
      <button
        type="button"
        disabled={action.busy || !text.trim()}
        title={text.trim() ? undefined : w.reasonRequired}
        onClick={() => action.run('mutation($id: ID!, $reason: String!) { refuse(id: $id, reason: $reason) { id status } }', { id: application.id, reason: text })}
      >
        {w.refuse}
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}

function Revoke({ application, onDone }: { application: Application; onDone: () => void }) {
  const w = useWords();
  const [reason, setReason] = useState('');
  const action = useAction(onDone);
  return (
    <form
      className="inline"
      aria-label={`${w.revoke} ${application.id}`}
      onSubmit={(e) => {
        e.preventDefault();
        void action.run('mutation($id: ID!, $reason: String!) { revoke(id: $id, reason: $reason) { id status } }', { id: application.id, reason });
      }}
    >
      <Field label={w.reason} name="reason" value={reason} onChange={setReason} required />
      <button type="submit" disabled={action.busy}>
        {w.revoke}
      </button>
      <ErrorNote message={action.error} />
    </form>
  );
}
