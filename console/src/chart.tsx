// A small horizontal bar chart in inline SVG: one row per category, one bar per series, and a
// series may be drawn as a dot instead (a declared figure against the measured bar). Screen readers
// get every figure in the image's label, and anyone the same figures as a table on request.

import { useId, useState } from 'react';
import { Table, useWords } from './ui.tsx';

export interface Series {
  name: string;
  values: (number | null)[];
  /** What each value reads as (the value itself when absent). */
  texts?: string[];
  /** Drawn as a dot: a declared figure to set a measured bar against. */
  dot?: boolean;
  /** Not drawn: read out and shown in the table only, beside the figures drawn. */
  tableOnly?: boolean;
}

const COLOURS = ['#4b86c2', '#f0a500', '#7a4bc2', '#1b6e2d'];
const PLOT_WIDTH = 260;
const VALUE_WIDTH = 100;
/** Roughly the width of one Latin character of an 11px label (a CJK one counts twice). */
const CHARACTER = 6.4;
const BAR = 11;

export function BarChart({ title, categories, series, max, wide = false }: { title: string; categories: string[]; series: Series[]; max?: number; wide?: boolean }) {
  const w = useWords();
  const [showTable, setShowTable] = useState(false);
  const tableId = useId();
  const text = (s: Series, i: number) => s.texts?.[i] ?? (s.values[i] === null ? '—' : String(s.values[i]));
  const drawn = series.filter((s) => !s.tableOnly);
  const top = Math.max(max ?? 0, ...drawn.flatMap((s) => s.values.map((v) => v ?? 0))) || 1;
  const bars = drawn.filter((s) => !s.dot).length || 1;
  const rowHeight = bars * (BAR + 2) + 8;
  const height = Math.max(categories.length, 1) * rowHeight + 4;
  const labelWidth = Math.max(60, ...categories.map((c) => c.replace(/[^\x00-\xff]/g, 'xx').length * CHARACTER)) + 8;
  const width = labelWidth + PLOT_WIDTH + VALUE_WIDTH;
  const x = (v: number) => labelWidth + (Math.min(v, top) / top) * PLOT_WIDTH;
  const described = categories.map((c, i) => `${c}: ${series.map((s) => `${s.name} ${text(s, i)}`).join(', ')}`).join('; ');
  return (
    <figure className={wide ? 'chart wide' : 'chart'}>
      <figcaption>
        {title}{' '}
        {series.map((s, k) =>
          s.tableOnly ? null : (
            <span key={s.name} className="legend">
              <svg width="12" height="12" aria-hidden="true">
                {s.dot ? <circle cx="6" cy="6" r="4" fill={COLOURS[k % COLOURS.length]} /> : <rect width="12" height="12" fill={COLOURS[k % COLOURS.length]} />}
              </svg>
              {s.name}
            </span>
          ),
        )}
      </figcaption>
      <svg role="img" aria-label={`${title}. ${described || w.none}`} width="100%" style={{ maxWidth: width }} viewBox={`0 0 ${width} ${height}`}>
        {categories.map((category, i) => {
          const y = i * rowHeight + 4;
          let bar = 0;
          return (
            <g key={category}>
              <text x={labelWidth - 6} y={y + rowHeight / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">
                {category}
              </text>
              <line x1={labelWidth} x2={labelWidth} y1={y} y2={y + rowHeight - 6} stroke="#9aa8b8" />
              {series.map((s, k) => {
                const v = s.values[i];
                const colour = COLOURS[k % COLOURS.length];
                if (s.tableOnly) return null;
                if (s.dot) return v === null || v === undefined ? null : <circle key={s.name} cx={x(v)} cy={y + (rowHeight - 6) / 2} r={4.5} fill={colour} stroke="#fff" />;
                const by = y + bar++ * (BAR + 2);
                return (
                  <g key={s.name}>
                    {v !== null && v !== undefined && <rect x={labelWidth} y={by} width={Math.max(1, x(v) - labelWidth)} height={BAR} fill={colour} />}
                    <text x={(v === null || v === undefined ? labelWidth : x(v)) + 4} y={by + BAR / 2} dominantBaseline="middle" className="chart-value">
                      {text(s, i)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <button type="button" className="link" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((v) => !v)}>
        {showTable ? w.hideTable : w.showTable}: {title}
      </button>
      <div id={tableId} hidden={!showTable}>
        {showTable && <Table caption={title} head={['', ...series.map((s) => s.name)]} rows={categories.map((c, i) => [c, ...series.map((s) => text(s, i))])} />}
      </div>
    </figure>
  );
}
