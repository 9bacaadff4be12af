// The Grafana dashboards in deploy/grafana ask only for what the gateway exports: every metric a
// query names is one the gateway registers, with the type its suffix needs (`_bucket` of a
// histogram), and every label a query groups or filters by is one of that metric's labels. A
// renamed metric or label fails here instead of showing an empty panel to the operator.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { CacheMetrics } from '../supergraph/cache/cache-metrics.ts';
import { ServiceMetrics } from '../supergraph/quality/service-metrics.ts';

const DIR = new URL('../deploy/grafana/', import.meta.url).pathname;

interface Target { refId: string; expr: string; datasource: { uid: string } }
interface Panel { id: number; title: string; type: string; gridPos: { x: number; y: number; w: number; h: number }; targets: Target[] }
interface Dashboard { uid: string; title: string; panels: Panel[]; templating: { list: { name: string; type: string; query: unknown }[] } }

const dashboards = readdirSync(DIR).filter((f) => f.endsWith('.json')).map((file) => ({ file, dashboard: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Dashboard }));

/** Every metric the gateway registers, with its type and label names, as prom-client holds them. */
function exported(): Map<string, { type: string; labels: string[] }> {
  const service = new ServiceMetrics(['tax']);
  const cache = new Registry();
  new CacheMetrics(cache, () => ({ sizeBytes: 0, entries: 0 }));
  const metrics = new Map<string, { type: string; labels: string[] }>();
  for (const registry of [service.registry, cache]) {
    for (const metric of registry.getMetricsAsArray()) {
      const { name, type, labelNames } = metric as unknown as { name: string; type: string; labelNames?: string[] };
      metrics.set(name, { type: String(type), labels: labelNames ?? [] });
    }
  }
  return metrics;
}

const SUFFIXES: Record<string, string[]> = { histogram: ['_bucket', '_count', '_sum'], summary: ['_count', '_sum'] };

/** The metric and the labels each selector of a query names: `name{label=~"…"}` and `by (a, b)` after it. */
function selectors(expr: string): { metric: string; labels: string[] }[] {
  const out: { metric: string; labels: string[] }[] = [];
  const grouping = [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => m[1]!.split(',').map((l) => l.trim()).filter(Boolean));
  for (const match of expr.matchAll(/\b(jointgraph_[a-z_]+)(\{([^}]*)\})?/g)) {
    const matchers = (match[3] ?? '').split(',').map((m) => m.split(/=~|!=|!~|=/)[0]!.trim()).filter(Boolean);
    out.push({ metric: match[1]!, labels: [...matchers, ...grouping.filter((l) => l !== 'le')] });
  }
  return out;
}

describe.each(dashboards)('the Grafana dashboard $file', ({ dashboard }) => {
  const metrics = exported();

  it('is importable: a uid, a title, panels with unique ids and places, every query on the chosen Prometheus', () => {
    expect(dashboard.uid).toMatch(/^jointgraph-[a-z-]+$/);
    expect(dashboard.title).toMatch(/^JointGraph/);
    expect(dashboard.panels.length).toBeGreaterThan(3);
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    expect(new Set(dashboard.panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`)).size).toBe(dashboard.panels.length);
    const variables = new Set(dashboard.templating.list.map((v) => v.name));
    expect(variables).toContain('datasource');
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(target.datasource.uid).toBe('${datasource}');
        // Every variable a query uses is defined (Grafana's own $__ variables aside).
        for (const [, name] of target.expr.matchAll(/\$(\w+)/g)) if (!name!.startsWith('__')) expect(variables, `${panel.title}: $${name}`).toContain(name);
      }
    }
  });

  it('asks only for metrics the gateway exports, by their labels', () => {
    const problems: string[] = [];
    const queries = [...dashboard.panels.flatMap((p) => p.targets.map((t) => ({ where: p.title, expr: t.expr }))),
      ...dashboard.templating.list.filter((v) => v.type === 'query').map((v) => ({ where: `variable ${v.name}`, expr: JSON.stringify(v.query).replace(/label_values\((\w+), (\w+)\)/, '$1{$2=""}') }))];
    for (const { where, expr } of queries) {
      for (const { metric, labels } of selectors(expr)) {
        const base = [...metrics.keys()].find((name) => name === metric || (SUFFIXES[metrics.get(name)!.type] ?? []).some((s) => `${name}${s}` === metric));
        if (!base) {
          problems.push(`${where}: ${metric} is not exported`);
          continue;
        }
        for (const label of labels) if (!metrics.get(base)!.labels.includes(label)) problems.push(`${where}: ${base} has no label ${label}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

it('finds the dashboards', () => {
  expect(dashboards.map((d) => d.file).sort()).toEqual(['jointgraph-apps.json', 'jointgraph-providers.json']);
});
