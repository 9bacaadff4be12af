// The operator's list of provider subgraphs: name, URL, optional SDL file and timeout; validated by
// the same schema as a configuration file's `providers.subgraphs`.

import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { subgraphListSchema } from './configuration-schema.ts';
import { fileIssueError } from './load-configuration.ts';
import { readJsonFile } from './read-json-file.ts';

export interface SubgraphEntry {
  name: string;
  url: string;
  /** Absolute path of an SDL file to compose from, instead of the live `_service { sdl }`. */
  sdlFile?: string;
  timeoutMs?: number;
}

/** The subgraph list file (supergraph/subgraphs.json). */
export const subgraphListFileSchema = z
  .strictObject({ $comment: z.string().optional(), subgraphs: subgraphListSchema }, { error: 'expected {"subgraphs": [{"name": ..., "url": ...}, ...]}' })
  .meta({ title: 'JointGraph subgraph list', description: 'the provider subgraphs the gateway composes and serves' });

export function parseSubgraphList(json: unknown, baseDir: string, source = 'subgraph list'): SubgraphEntry[] {
  const parsed = subgraphListFileSchema.safeParse(json);
  if (!parsed.success) throw fileIssueError(subgraphListFileSchema, parsed.error.issues[0]!, json, source);
  return parsed.data.subgraphs.map((entry) => ({ ...entry, ...(entry.sdlFile ? { sdlFile: resolve(baseDir, entry.sdlFile) } : {}) }));
}

export function readSubgraphList(file: string): SubgraphEntry[] {
  return parseSubgraphList(readJsonFile(file, 'subgraph list'), dirname(file), file);
}
