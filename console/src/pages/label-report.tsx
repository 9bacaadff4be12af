// The label report of the fields a party answers for (the operator: every field): where the
// provider's proposal and the operator's overlay disagree (the overlay applies), fields without a
// label (closed), NOT_SHARED fields without a basis, and fields derived from NOT_SHARED ones.

import { Status, Table, useAdmin, useWords } from '../ui.tsx';

interface LabelSummary {
  sharing: string;
  grade: string;
  level: number | null;
  category: string | null;
}

interface LabelReportData {
  unlabeled: string[];
  missingBasis: string[];
  derivedFromNotShared: string[];
  conflicts: { coordinate: string; proposal: LabelSummary; overlay: LabelSummary }[];
}

const SUMMARY = 'sharing grade level category';
const REPORT = `{ labelReport { unlabeled missingBasis derivedFromNotShared conflicts { coordinate proposal { ${SUMMARY} } overlay { ${SUMMARY} } } } }`;

const summary = (l: LabelSummary) => [l.sharing, l.level === null ? l.grade : `${l.grade} (${l.level})`, l.category ?? '—'].join(' · ');

export function LabelReport() {
  const w = useWords();
  const loaded = useAdmin<{ labelReport: LabelReportData }>(REPORT);
  return (
    <section className="card" aria-labelledby="label-report-title">
      <h3 id="label-report-title">{w.labelReport}</h3>
      <Status loaded={loaded}>
        {({ labelReport: r }) => (
          <>
            <Table
              caption={w.labelConflicts}
              head={[w.coordinate, w.proposal, w.overlay]}
              rows={r.conflicts.map((c) => [<code>{c.coordinate}</code>, summary(c.proposal), <strong>{summary(c.overlay)}</strong>])}
            />
            <dl className="report">
              {(
                [
                  [w.unlabeled, r.unlabeled],
                  [w.missingBasis, r.missingBasis],
                  [w.derivedFromNotShared, r.derivedFromNotShared],
                ] as const
              ).map(([title, coordinates]) => (
                <div key={title}>
                  <dt>
                    {title} ({coordinates.length})
                  </dt>
                  <dd>{coordinates.length ? coordinates.map((c) => <code key={c}>{c} </code>) : w.none}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </Status>
    </section>
  );
}
