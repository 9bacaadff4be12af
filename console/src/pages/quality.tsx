// Declared against measured quality: per provider (requests, errors, availability, latency,
// staleness of its source) and per field (completeness against null rate, stale values), with
// the split of responsibility between providers and the operator. A provider sees its own.

import type { Caller } from './index.tsx';
import { Bar, Status, Table, useAdmin, useWords, when } from '../ui.tsx';

interface QualityReport {
  generatedAt: string;
  responsibility: { provider: string[]; operator: string[] };
  providers: {
    name: string;
    owner: string | null;
    source: { updatedAt: string | null; ageSeconds: number | null; fastestDeclaredCycle: string | null; withinCycle: boolean | null };
    service: { requests: number; errorRate: number; timeouts: number; unavailable: number; availability: number | null; latencyMs: { p95: number | null } };
  }[];
  fields: {
    coordinate: string;
    provider: string;
    declared: { updateCycle: string; completeness: number | null };
    measured: { samples: number; nullRate: number | null; staleValues: number };
  }[];
  overdueObjections: { id: string }[];
}

const QUALITY = `{ qualityReport { generatedAt responsibility { provider operator }
  providers { name owner source { updatedAt ageSeconds fastestDeclaredCycle withinCycle } service { requests errorRate timeouts unavailable availability latencyMs { p95 } } }
  fields { coordinate provider declared { updateCycle completeness } measured { samples nullRate staleValues } } overdueObjections { id } } }`;

export function Quality({ caller }: { caller: Caller }) {
  const w = useWords();
  const loaded = useAdmin<{ qualityReport: QualityReport }>(QUALITY);
  const mine = (provider: string) => caller.party === 'operator' || provider === caller.party;
  return (
    <Status loaded={loaded}>
      {({ qualityReport: q }) => (
        <>
          <p>
            {w.qualityTitle} · {when(q.generatedAt)} · {w.overdueObjections}: {q.overdueObjections.length}
          </p>
          <Table
            caption={w.navQuality}
            head={[w.providers, w.owners, w.requests, w.errorRate, w.availability, w.latency, w.staleness]}
            rows={q.providers
              .filter((p) => mine(p.name))
              .map((p) => [
                p.name,
                p.owner ?? '—',
                p.service.requests,
                <Bar share={p.service.errorRate} label={w.errorRate} />,
                <Bar share={p.service.availability} label={w.availability} />,
                p.service.latencyMs.p95 ?? '—',
                p.source.ageSeconds === null ? '—' : `${p.source.ageSeconds}s / ${p.source.fastestDeclaredCycle ?? '—'} ${p.source.withinCycle === false ? '⚠' : ''}`,
              ])}
          />
          <Table
            caption={w.fields}
            head={[w.coordinate, w.providers, w.updateCycle, w.declaredCompleteness, w.nullRate, w.staleValues, w.samples]}
            rows={q.fields
              .filter((f) => mine(f.provider))
              .map((f) => [
                <code>{f.coordinate}</code>,
                f.provider,
                f.declared.updateCycle,
                <Bar share={f.declared.completeness} label={w.declaredCompleteness} />,
                <Bar share={f.measured.nullRate} label={w.nullRate} />,
                f.measured.staleValues,
                f.measured.samples,
              ])}
          />
          <section className="card" aria-labelledby="responsibility-title">
            <h3 id="responsibility-title">{w.responsibility}</h3>
            <p>
              {w.responsibilityProvider}: {q.responsibility.provider.join(', ')}
            </p>
            <p>
              {w.responsibilityOperator}: {q.responsibility.operator.join(', ')}
            </p>
          </section>
        </>
      )}
    </Status>
  );
}
