// Declared against measured quality, as charts with their figures: per provider the service
// (latency, errors, availability) and the age of its source against its fastest declared cycle;
// per field completeness against the null rate and the oldest value against the update cycle.
// Below, the split of responsibility between providers and the operator. A provider sees its own.

import { BarChart } from '../chart.tsx';
import { age, FIELD_QUALITY_FIELDS, ofCycle, percent, type FieldQuality } from '../quality-figures.ts';
import type { Caller } from './index.tsx';
import { Status, useAdmin, useWords, when } from '../ui.tsx';

interface QualityReport {
  generatedAt: string;
  responsibility: { provider: string[]; operator: string[] };
  providers: {
    name: string;
    source: { ageSeconds: number | null; fastestDeclaredCycle: string | null; withinCycle: boolean | null };
    service: { requests: number; errorRate: number; availability: number | null; latencyMs: { p50: number | null; p95: number | null; p99: number | null } };
  }[];
  fields: FieldQuality[];
  overdueObjections: { id: string }[];
}

const QUALITY = `{ qualityReport { generatedAt responsibility { provider operator }
  providers { name source { ageSeconds fastestDeclaredCycle withinCycle } service { requests errorRate availability latencyMs { p50 p95 p99 } } }
  fields { ${FIELD_QUALITY_FIELDS} } overdueObjections { id } } }`;

export function Quality({ caller }: { caller: Caller }) {
  const w = useWords();
  const loaded = useAdmin<{ qualityReport: QualityReport }>(QUALITY);
  const mine = (provider: string) => caller.party === 'operator' || provider === caller.party;
  return (
    <Status loaded={loaded}>
      {({ qualityReport: q }) => {
        const providers = q.providers.filter((p) => mine(p.name));
        const fields = q.fields.filter((f) => mine(f.provider));
        const names = providers.map((p) => `${p.name} (${p.service.requests} ${w.requests})`);
        const coordinates = fields.map((f) => f.coordinate);
        const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
        return (
          <>
            <p>
              {w.qualityTitle} · {when(q.generatedAt)} · {w.overdueObjections}: {q.overdueObjections.length}
            </p>
            <div className="charts">
              <BarChart
                title={w.latencyChart}
                categories={names}
                series={(['p50', 'p95', 'p99'] as const).map((p) => {
                  const values = providers.map((x) => x.service.latencyMs[p]);
                  return { name: p, values, texts: values.map(ms) };
                })}
              />
              <BarChart title={w.errorRate} categories={names} series={[share(w.measured, providers.map((p) => p.service.errorRate))]} />
              <BarChart title={w.availability} categories={names} max={1} series={[share(w.measured, providers.map((p) => p.service.availability))]} />
              <BarChart
                title={w.sourceAgeChart}
                categories={providers.map((p) => `${p.name} (${p.source.fastestDeclaredCycle ?? '—'})`)}
                max={1}
                series={[
                  cycleShare(w.measuredAge, providers.map((p) => [p.source.ageSeconds, p.source.fastestDeclaredCycle])),
                  { name: w.declaredCycle, values: providers.map((p) => (p.source.fastestDeclaredCycle ? 1 : null)), texts: providers.map((p) => p.source.fastestDeclaredCycle ?? '—'), dot: true },
                ]}
              />
              <BarChart
                title={w.completenessChart}
                wide
                categories={coordinates}
                max={1}
                series={[
                  share(w.measuredCompleteness, fields.map((f) => (f.measured.nullRate === null ? null : 1 - f.measured.nullRate))),
                  { ...share(w.declaredCompleteness, fields.map((f) => f.declared.completeness)), dot: true },
                ]}
              />
              <BarChart
                title={w.fieldAgeChart}
                wide
                categories={coordinates.map((c, i) => `${c} (${fields[i]!.declared.updateCycle})`)}
                max={1}
                series={[
                  cycleShare(w.measuredAge, fields.map((f) => [f.measured.maxAgeSeconds, f.declared.updateCycle])),
                  { name: w.declaredCycle, values: fields.map(() => 1), texts: fields.map((f) => f.declared.updateCycle), dot: true },
                  { name: w.staleValues, values: fields.map((f) => f.measured.staleValues), texts: fields.map((f) => `${f.measured.staleValues} / ${f.measured.samples}`), tableOnly: true },
                ]}
              />
            </div>
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
        );
      }}
    </Status>
  );
}

const share = (name: string, values: (number | null)[]) => ({ name, values, texts: values.map(percent) });

/** Ages as shares of their cycles, reading as the age and its share. */
function cycleShare(name: string, ages: [number | null, string | null][]) {
  const values = ages.map(([seconds, cycle]) => ofCycle(seconds, cycle));
  return { name, values, texts: ages.map(([seconds], i) => (seconds === null ? '—' : `${age(seconds)} (${percent(values[i])})`)) };
}
