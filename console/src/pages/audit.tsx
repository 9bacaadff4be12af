// The operator's audit search: the trail searched by the endpoint (field, app, purpose, provider,
// request id, days), page by page, beside the verification of the hash chain.

import { RecordSearch } from './access-records.tsx';
import { Status, useAdmin, useWords } from '../ui.tsx';

interface AuditCheck {
  ok: boolean;
  records: number;
  brokenAtSeq: number | null;
  problem: string | null;
}

export function AuditSearch() {
  const w = useWords();
  const check = useAdmin<{ verifyAuditTrail: AuditCheck }>('{ verifyAuditTrail { ok records brokenAtSeq problem } }');
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
      <RecordSearch title={w.auditTitle} shown={['requestId', 'coordinate', 'app', 'purpose', 'provider', 'from', 'to']} />
    </>
  );
}
