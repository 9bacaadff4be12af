// The operator's list of provider subgraphs: name, URL, optional SDL file and timeout.

import { dirname, resolve } from 'node:path';
import { readJsonFile } from './read-json-file.ts';
import { ConfigError } from './settings.ts';

export interface SubgraphEntry {
  name: string;
  url: string;
  /** Absolute path of an SDL file to compose from, instead of the live `_service { sdl }`. */
  sdlFile?: string;
  timeoutMs?: number;
}

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function parseSubgraphList(json: unknown, baseDir: string, source = 'subgraph list'): SubgraphEntry[] {
  const list = (json as { subgraphs?: unknown })?.subgraphs;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(source, 'expected {"subgraphs": [{"name": ..., "url": ...}, ...]} with at least one subgraph');
  }
  const seen = new Set<string>();
  return list.map((raw: Record<string, unknown>, i) => {
    const where = `${source} subgraphs[${i}]`;
    const name = raw?.name;
    if (typeof name !== 'string' || !NAME.test(name)) throw new ConfigError(where, 'name must be lower-case letters, digits and dashes');
    if (seen.has(name)) throw new ConfigError(where, `subgraph "${name}" is listed twice`);
    seen.add(name);
    if (typeof raw.url !== 'string' || !URL.canParse(raw.url) || !/^https?:$/.test(new URL(raw.url).protocol)) {
      throw new ConfigError(where, `url of "${name}" must be an http(s) URL`);
    }
    if (raw.sdlFile !== undefined && typeof raw.sdlFile !== 'string') throw new ConfigError(where, 'sdlFile must be a path');
    const timeout = raw.timeoutMs;
    if (timeout !== undefined && (!Number.isInteger(timeout) || (timeout as number) < 1)) {
      throw new ConfigError(where, 'timeoutMs must be a positive whole number of milliseconds');
    }
    return {
      name,
      url: raw.url,
      ...(raw.sdlFile ? { sdlFile: resolve(baseDir, raw.sdlFile as string) } : {}),
      ...(timeout !== undefined ? { timeoutMs: timeout as number } : {}),
    };
  });
}

export function readSubgraphList(file: string): SubgraphEntry[] {
  return parseSubgraphList(readJsonFile(file, 'subgraph list'), dirname(file), file);
}
