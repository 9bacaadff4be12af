// Reads a subgraph's SDL from its live `_service { sdl }` or from the file the operator named.

import { readFileSync } from 'node:fs';
import { withSpecDefinitions } from '../../directives/index.ts';
import type { BoundCall } from '../../protocol/index.ts';
import type { SubgraphEntry } from '../config/index.ts';

export interface SubgraphSdl {
  name: string;
  url: string;
  sdl: string;
}

export class SdlUnavailableError extends Error {
  constructor(readonly subgraph: string, message: string) {
    super(`subgraph "${subgraph}": ${message}`);
  }
}

export const SDL_QUERY = '{ _service { sdl } }';

/** Headers a request for one subgraph's SDL carries (the registry's signed assertion, bound to the request). */
export type SdlHeaders = (subgraph: string, query: string, call: BoundCall) => Promise<Record<string, string>>;

export async function fetchServiceSdl(entry: SubgraphEntry, timeoutMs = 5_000, headersFor?: SdlHeaders): Promise<string> {
  let response: Response;
  const request = JSON.stringify({ query: SDL_QUERY });
  try {
    response = await fetch(entry.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(await headersFor?.(entry.name, SDL_QUERY, { method: 'POST', url: entry.url, body: request })) },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new SdlUnavailableError(entry.name, `cannot reach ${entry.url}: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as { data?: { _service?: { sdl?: string } } } | null;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl !== 'string') {
    throw new SdlUnavailableError(entry.name, `${entry.url} answered HTTP ${response.status} without _service { sdl }; is it a federation subgraph?`);
  }
  return sdl;
}

export async function loadSubgraphSdl(entry: SubgraphEntry, { live = false, timeoutMs = 5_000, headers }: { live?: boolean; timeoutMs?: number; headers?: SdlHeaders } = {}): Promise<SubgraphSdl> {
  let sdl: string;
  if (entry.sdlFile && !live) {
    try {
      sdl = readFileSync(entry.sdlFile, 'utf8');
    } catch (error) {
      throw new SdlUnavailableError(entry.name, `cannot read ${entry.sdlFile}: ${(error as Error).message}`);
    }
  } else {
    sdl = await fetchServiceSdl(entry, timeoutMs, headers);
  }
  return { name: entry.name, url: entry.url, sdl: withSpecDefinitions(sdl) };
}
