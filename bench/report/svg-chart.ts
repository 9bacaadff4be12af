// Two hand-drawn SVG charts (no plotting dependency): req/s per gateway for each workload with
// its min–max whisker, and fan-out p50 latency against N on log–log axes.

import type { ContenderId } from '../plan/contenders.ts';
import type { BenchResults } from './results.ts';
import { summarise } from './summarise.ts';

const COLOURS: Record<ContenderId, string> = {
  'jointgraph-plain': '#1b7837',
  'jointgraph-deployed': '#5aae61',
  'jointgraph-authz-cache': '#35978f',
  'jointgraph-authz-partial': '#b8e186',
  apollo: '#762a83',
  hive: '#e08214',
  'hive-router': '#b35806',
  mercurius: '#2166ac',
  direct: '#999999',
};

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const text = (x: number, y: number, s: string, extra = '') => `<text x="${x}" y="${y}" font-size="11" font-family="sans-serif" ${extra}>${esc(s)}</text>`;

function legend(ids: ContenderId[], labels: Map<string, string>, x: number, y: number): string {
  return ids.map((id, i) => `<rect x="${x}" y="${y + i * 16}" width="10" height="10" fill="${COLOURS[id]}"/>${text(x + 16, y + i * 16 + 9, labels.get(id) ?? id)}`).join('');
}

export function throughputChart(results: BenchResults): string {
  const workloads = results.workloads.filter((w) => w.scenario !== 3 && w.contenders.some((c) => c.runs.length));
  const labels = new Map(results.workloads.flatMap((w) => w.contenders.map((c) => [c.id, c.label] as const)));
  const groups = workloads.map((w) => ({ w, bars: w.contenders.flatMap((c) => { const s = summarise(w, c); return s ? [{ id: c.id, s }] : []; }) }));
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.s.rps.max)));
  const left = 20, width = 560, barH = 12;
  let y = 44;
  const parts: string[] = [
    text(10, 16, 'req/s (median, whisker min–max) · subgraph requests per request under load; higher req/s is better', 'font-weight="bold"'),
    text(10, 32, 'a gateway that merges identical in-flight subgraph requests shows fewer subgraph requests per request'),
  ];
  for (const g of groups) {
    parts.push(text(left, y + 10, `${g.w.id}: ${g.w.title}`, 'font-weight="bold"'));
    y += 16;
    for (const b of g.bars) {
      const w = (b.s.rps.median / max) * width;
      const [x0, x1] = [left + (b.s.rps.min / max) * width, left + (b.s.rps.max / max) * width];
      parts.push(
        `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${COLOURS[b.id]}"/>`,
        `<line x1="${x0.toFixed(1)}" x2="${x1.toFixed(1)}" y1="${y + barH / 2}" y2="${y + barH / 2}" stroke="#000"/>`,
        text(left + Math.max(w, x1 - left) + 6, y + 10, `${b.s.rps.median.toFixed(0)} · ${b.s.subgraphRequestsPerRequest.toFixed(1)}`),
      );
      y += barH + 3;
    }
    y += 12;
  }
  const ids = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.id)))];
  parts.push(legend(ids, labels, left + width + 90, 44));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 420}" height="${Math.max(y, 60 + ids.length * 16)}"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`;
}

export function fanOutChart(results: BenchResults): string {
  const fan = results.workloads.filter((w) => w.scenario === 3 && w.n);
  const labels = new Map(fan.flatMap((w) => w.contenders.map((c) => [c.id, c.label] as const)));
  const series = new Map<ContenderId, { n: number; p50: number }[]>();
  for (const w of fan) {
    for (const c of w.contenders) {
      const p50 = summarise(w, c)?.p50;
      if (typeof p50 === 'number' && p50 > 0) series.set(c.id, [...(series.get(c.id) ?? []), { n: w.n!, p50 }]);
    }
  }
  const points = [...series.values()].flat();
  if (points.length === 0) return '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="40"><text x="10" y="20">no fan-out measurements</text></svg>\n';
  const [left, top, w, h] = [60, 30, 460, 300];
  const lx = (n: number) => Math.log10(n);
  const [nMin, nMax] = [Math.min(...points.map((p) => lx(p.n))), Math.max(...points.map((p) => lx(p.n)))];
  const [lMin, lMax] = [Math.floor(Math.min(...points.map((p) => lx(p.p50)))), Math.ceil(Math.max(...points.map((p) => lx(p.p50))))];
  const px = (n: number) => left + ((lx(n) - nMin) / Math.max(1e-9, nMax - nMin)) * w;
  const py = (ms: number) => top + h - ((lx(ms) - lMin) / Math.max(1e-9, lMax - lMin)) * h;
  const parts = [text(10, 18, 'fan-out: p50 latency (ms, log) against N (log); lower is better', 'font-weight="bold"')];
  parts.push(`<rect x="${left}" y="${top}" width="${w}" height="${h}" fill="none" stroke="#ccc"/>`);
  for (let e = lMin; e <= lMax; e++) parts.push(text(8, py(10 ** e) + 4, `${10 ** e} ms`), `<line x1="${left}" x2="${left + w}" y1="${py(10 ** e)}" y2="${py(10 ** e)}" stroke="#eee"/>`);
  for (const n of new Set(points.map((p) => p.n))) parts.push(text(px(n) - 12, top + h + 16, `N=${n}`));
  for (const [id, pts] of series) {
    const sorted = [...pts].sort((a, b) => a.n - b.n);
    parts.push(`<polyline fill="none" stroke="${COLOURS[id]}" stroke-width="2" points="${sorted.map((p) => `${px(p.n).toFixed(1)},${py(p.p50).toFixed(1)}`).join(' ')}"/>`);
    parts.push(...sorted.map((p) => `<circle cx="${px(p.n).toFixed(1)}" cy="${py(p.p50).toFixed(1)}" r="3" fill="${COLOURS[id]}"/>`));
  }
  // Subgraph requests per lone request at each N, beside each name: flat is the target.
  const requests = (id: ContenderId) => fan.map((w) => w.contenders.find((c) => c.id === id)?.lone?.subgraphRequests ?? '—').join('/');
  const named = new Map([...series.keys()].map((id) => [id, `${labels.get(id) ?? id} — subgraph req ${requests(id)}`]));
  parts.push(legend([...series.keys()], named, left + w + 16, top));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + w + 480}" height="${top + h + 30}"><rect width="100%" height="100%" fill="#fff"/>${parts.join('')}</svg>\n`;
}
