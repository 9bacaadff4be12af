// /health: is each provider reachable, and how fast does it answer a trivial query?

export interface SubgraphHealth {
  name: string;
  url: string;
  reachable: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  subgraphs: SubgraphHealth[];
}

import type { SignedCallHeaders } from './caller-assertion.ts';

/** Headers a probe of one provider carries (its signed assertion, bound to the probe). */
export type ProbeHeaders = SignedCallHeaders;

const PROBE = '{ __typename }';

async function probe(name: string, url: string, timeoutMs: number, headersFor?: ProbeHeaders): Promise<SubgraphHealth> {
  const started = performance.now();
  try {
    const body = JSON.stringify({ query: PROBE });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(await headersFor?.(name, PROBE, { method: 'POST', url, body })) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const answer = (await response.json().catch(() => null)) as { data?: { __typename?: string } } | null;
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    if (answer?.data?.__typename) return { name, url, reachable: true, latencyMs };
    return { name, url, reachable: false, latencyMs, error: `HTTP ${response.status} without a GraphQL answer` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const reason = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.message);
    return { name, url, reachable: false, latencyMs: Math.round(performance.now() - started), error: reason };
  }
}

export async function checkHealth(subgraphs: readonly { name: string; url: string }[], timeoutMs: number, headersFor?: ProbeHeaders): Promise<HealthReport> {
  const results = await Promise.all(subgraphs.map((s) => probe(s.name, s.url, timeoutMs, headersFor)));
  return { status: results.every((r) => r.reachable) ? 'ok' : 'degraded', subgraphs: results };
}
