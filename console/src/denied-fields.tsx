// A GraphiQL pane beside the query listing the fields the last answer denied (FORBIDDEN_FIELD),
// each with its reason, the gateway's hint and the way to apply: the requester's side of a grant.

import { useSyncExternalStore } from 'react';

export interface Denial {
  coordinate: string;
  reason: string;
  hint: string;
}

interface GraphQLResult {
  errors?: { message?: string; extensions?: { code?: string; coordinate?: string; reason?: string; hint?: string } }[];
}

let denials: Denial[] = [];
const listeners = new Set<() => void>();

/** Keeps the denials of the newest answer (none when it denied nothing). */
export function noteDenials(result: unknown): void {
  const errors = (result as GraphQLResult | null)?.errors ?? [];
  denials = errors
    .filter((e) => e.extensions?.code === 'FORBIDDEN_FIELD')
    .map((e) => ({ coordinate: e.extensions?.coordinate ?? '?', reason: e.extensions?.reason ?? '', hint: e.extensions?.hint ?? e.message ?? '' }));
  listeners.forEach((listener) => listener());
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useDenials = () => useSyncExternalStore(subscribe, () => denials);

export const DENIED_TITLE = '未授权字段 · Denied';

function DeniedFields() {
  const list = useDenials();
  return (
    <section aria-label={DENIED_TITLE} className="denied-fields">
      <div className="graphiql-doc-explorer-title">{DENIED_TITLE}</div>
      {list.length === 0 ? (
        <p>上一次查询没有被拒绝的字段。 The last answer denied no field.</p>
      ) : (
        <ul>
          {list.map((d) => (
            <li key={d.coordinate}>
              <code>{d.coordinate}</code> <strong>{d.reason}</strong>
              <p>{d.hint}</p>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/console#/catalogue">在控制台申请字段 · Apply in the console</a>
      </p>
    </section>
  );
}

function DeniedIcon() {
  return (
    <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.5">
      <rect x="5" y="10" width="14" height="10" rx="1.5" />
      <path d="M8 10V7a4 4 0 0 1 8 0v3" />
    </svg>
  );
}

export const DENIED_PLUGIN = { title: DENIED_TITLE, icon: DeniedIcon, content: DeniedFields };
