// Declared quality against measured quality, per provider and per annotated field, with the
// joint-operation split made explicit: the provider answers for its source (normativity,
// completeness, accuracy, consistency, and updating within its declared cycle); the operator
// answers for the shared service (accessibility: availability, latency, errors, timeouts).

import { CYCLE_SECONDS, type QualityDeclarations, type UpdateCycle } from '../../directives/index.ts';
import { declaredQuality } from './declared-quality.ts';
import type { LabelCatalog } from '../labels/index.ts';
import type { Objection } from '../objections/index.ts';
import type { ServiceMetrics } from './service-metrics.ts';

export interface ProviderQuality {
  name: string;
  owner: string | null;
  contact: string | null;
  source: { updatedAt: string | null; ageSeconds: number | null; fastestDeclaredCycle: UpdateCycle | null; withinCycle: boolean | null };
  service: {
    requests: number;
    errorRate: number;
    timeouts: number;
    unavailable: number;
    latencyMs: { p50: number | null; p95: number | null; p99: number | null };
    availability: number | null;
  };
}

export interface FieldQuality {
  coordinate: string;
  provider: string;
  declared: { updateCycle: UpdateCycle; completeness: number | null; standard: string | null; accuracy: string | null; consistency: string | null };
  measured: { samples: number; nullRate: number | null; completenessMet: boolean | null; maxAgeSeconds: number | null; staleValues: number };
}

export interface QualityReport {
  generatedAt: string;
  responsibility: { provider: string[]; operator: string[] };
  providers: ProviderQuality[];
  fields: FieldQuality[];
  overdueObjections: Objection[];
}

export function qualityReport(catalog: LabelCatalog, declarations: QualityDeclarations, metrics: ServiceMetrics, overdue: Objection[], now = new Date()): QualityReport {
  const fields: FieldQuality[] = [];
  for (const f of catalog.fields.values()) {
    const q = declaredQuality(catalog, declarations, f.coordinate);
    if (!q || f.type === 'Query') continue;
    const m = metrics.field(f.coordinate);
    const nullRate = m && m.samples > 0 ? m.nulls / m.samples : null;
    fields.push({
      coordinate: f.coordinate,
      provider: f.owners[0] ?? '',
      declared: { updateCycle: q.updateCycle, completeness: q.completeness ?? null, standard: q.standard ?? null, accuracy: q.accuracy ?? null, consistency: q.consistency ?? null },
      measured: {
        samples: m?.samples ?? 0,
        nullRate,
        completenessMet: nullRate === null || q.completeness === undefined ? null : 1 - nullRate >= q.completeness,
        maxAgeSeconds: m?.maxAgeSeconds ?? null,
        staleValues: m?.stale ?? 0,
      },
    });
  }

  const providers = metrics.providers().map((name): ProviderQuality => {
    const s = metrics.provider(name);
    const own = fields.filter((f) => f.provider === name);
    const declaredOwner = own.map((f) => declaredQuality(catalog, declarations, f.coordinate)).find(Boolean);
    const fastest = own.map((f) => f.declared.updateCycle).sort((a, b) => CYCLE_SECONDS[a] - CYCLE_SECONDS[b])[0] ?? null;
    const ageSeconds = s.updatedAt ? Math.round((now.getTime() - Date.parse(s.updatedAt)) / 1000) : null;
    return {
      name,
      owner: declaredOwner?.owner ?? null,
      contact: declaredOwner?.contact ?? null,
      source: { updatedAt: s.updatedAt, ageSeconds, fastestDeclaredCycle: fastest, withinCycle: ageSeconds === null || !fastest ? null : ageSeconds <= CYCLE_SECONDS[fastest] },
      service: {
        requests: s.requests,
        errorRate: s.requests === 0 ? 0 : s.errors / s.requests,
        timeouts: s.timeouts,
        unavailable: s.unavailable,
        latencyMs: s.latencyMs,
        availability: s.probes === 0 ? null : s.probesUp / s.probes,
      },
    };
  });

  return {
    generatedAt: now.toISOString(),
    responsibility: {
      provider: ['normativity', 'completeness', 'accuracy', 'consistency', 'source timeliness (updates within the declared cycle)', 'answering objections'],
      operator: ['accessibility: availability, latency, error rate, timeouts of the shared service', 'measuring and publishing this report'],
    },
    providers,
    fields,
    overdueObjections: overdue,
  };
}
