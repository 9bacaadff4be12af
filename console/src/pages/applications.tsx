// A requester's own applications, newest first, with each party's answer.

import { Status, Table, useAdmin, useWords, when } from '../ui.tsx';
import { APPLICATION_FIELDS, type Application, type PartyAnswer } from './application.ts';

export function PartyAnswers({ parties }: { parties: PartyAnswer[] }) {
  return (
    <ul className="plain">
      {parties.map((p) => (
        <li key={p.party}>
          {p.party}: <span className={`tag tag-${p.decision.toLowerCase()}`}>{p.decision}</span>
          {p.answeredBy ? ` (${p.answeredBy})` : ''}
          {p.reason ? ` — ${p.reason}` : ''}
        </li>
      ))}
    </ul>
  );
}

export function Applications() {
  const w = useWords();
  const loaded = useAdmin<{ applications: Application[] }>(`{ applications { ${APPLICATION_FIELDS} } }`);
  return (
    <>
      <button type="button" onClick={loaded.reload}>
        {w.refresh}
      </button>
      <Status loaded={loaded}>
        {({ applications }) => (
          <Table
            caption={w.navApplications}
            head={[w.id, w.fields, w.purpose, w.status, w.parties, w.filedAt, w.deadline, w.expiresAt]}
            rows={applications.map((a) => [
              <code>{a.id}</code>,
              a.selector ?? a.coordinates.join(', '),
              a.purpose,
              <span className={`tag tag-${a.status.toLowerCase()}`} data-testid={`status-${a.id}`}>
                {a.status}
              </span>,
              <PartyAnswers parties={a.parties} />,
              when(a.filedAt),
              when(a.replyDeadline),
              when(a.expiresAt),
            ])}
          />
        )}
      </Status>
    </>
  );
}
