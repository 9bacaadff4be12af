// What the subgraphs of one subgraph process were asked, counted where it arrives: requests and
// entity representations per subgraph, plus the latency the benchmark adds at every subgraph.
// Counting at the subgraph makes the figure the same for in-process and out-of-process gateways.

export interface SubgraphCount {
  requests: number;
  representations: number;
}

export interface CapturedRequest {
  subgraph: string;
  url: string;
  body: string;
}

export interface TrafficSnapshot {
  subgraphs: Record<string, SubgraphCount>;
  latencyMs: number;
}

// Composition and health probes are not data requests (the same rule as RequestLog.dataRequests).
const NOT_DATA = /^\s*(query\s*)?\{\s*(__typename|_service)\b/;

export function isDataQuery(query: string): boolean {
  return !NOT_DATA.test(query);
}

export class SubgraphTraffic {
  latencyMs = 0;
  readonly #counts = new Map<string, SubgraphCount>();
  #captured: CapturedRequest[] | null = null;

  record(subgraph: string, url: string, request: { query?: unknown; variables?: unknown; operationName?: unknown }): void {
    const query = typeof request.query === 'string' ? request.query : '';
    if (!isDataQuery(query)) return;
    const count = this.#counts.get(subgraph) ?? { requests: 0, representations: 0 };
    const representations = (request.variables as { representations?: unknown } | null | undefined)?.representations;
    count.requests += 1;
    count.representations += Array.isArray(representations) ? representations.length : 0;
    this.#counts.set(subgraph, count);
    this.#captured?.push({
      subgraph,
      url,
      body: JSON.stringify({ query, variables: request.variables ?? undefined, operationName: request.operationName ?? undefined }),
    });
  }

  snapshot(): TrafficSnapshot {
    return { subgraphs: Object.fromEntries([...this.#counts].map(([k, v]) => [k, { ...v }])), latencyMs: this.latencyMs };
  }

  /** Starts keeping every data request's body, for replaying a query plan without a gateway. */
  startCapture(): void {
    this.#captured = [];
  }

  stopCapture(): CapturedRequest[] {
    const captured = this.#captured ?? [];
    this.#captured = null;
    return captured;
  }
}
