// Composes provider SDL into a Federation-2 supergraph with @theguild/federation-composition.
// Every problem names the subgraph(s) and the schema coordinate it concerns.

import type { composeServices as ComposeServices } from '@theguild/federation-composition';
import { createRequire } from 'node:module';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import type { SubgraphSdl } from './fetch-sdl.ts';

export interface CompositionProblem {
  code: string;
  message: string;
  subgraphs: string[];
  coordinate?: string;
}

export type CompositionResult =
  | { ok: true; supergraphSdl: string }
  | { ok: false; problems: CompositionProblem[] };

export function composeSupergraph(subgraphs: readonly SubgraphSdl[]): CompositionResult {
  const parsed: { name: string; url: string; typeDefs: DocumentNode }[] = [];
  const problems: CompositionProblem[] = [];
  for (const s of subgraphs) {
    try {
      parsed.push({ name: s.name, url: s.url, typeDefs: parse(s.sdl) });
    } catch (error) {
      const e = error as GraphQLError;
      const at = e.locations?.[0];
      problems.push({
        code: 'INVALID_GRAPHQL',
        message: `${e.message}${at ? ` (line ${at.line}, column ${at.column})` : ''}`,
        subgraphs: [s.name],
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };

  const result = composer()(parsed);
  if (result.errors && result.errors.length > 0) {
    const names = subgraphs.map((s) => s.name);
    return { ok: false, problems: result.errors.map((e) => describe(e, names)) };
  }
  return { ok: true, supergraphSdl: result.supergraphSdl as string };
}

function describe(error: GraphQLError, names: string[]): CompositionProblem {
  const message = error.message;
  const mentioned = names.filter((n) => message.includes(`"${n}"`) || message.includes(`[${n}]`));
  const coordinate = /"(@?[A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)?(?:\(\w+:\))?)"/.exec(message)?.[1];
  return {
    code: String(error.extensions?.code ?? 'COMPOSITION_FAILED'),
    message,
    subgraphs: mentioned.length > 0 ? mentioned : names.length === 1 ? names : [],
    ...(coordinate ? { coordinate } : {}),
  };
}

export function formatProblem(p: CompositionProblem): string {
  const where = [p.subgraphs.length ? `subgraph ${p.subgraphs.map((s) => `"${s}"`).join(', ')}` : '', p.coordinate ? `at ${p.coordinate}` : '']
    .filter(Boolean)
    .join(' ');
  return `[${p.code}]${where ? ` ${where}` : ''}: ${p.message}`;
}

/** The subgraphs do not compose: the problems, one per line, each naming its subgraph and coordinate. */
export class CompositionFailedError extends Error {
  readonly code = 'COMPOSITION_FAILED';
  constructor(problems: string) {
    super(`the subgraphs do not compose:\n${problems}`);
  }
}

/** Required on the first composition: a gateway serving a composed supergraph file does not load the composer. */
function composer(): typeof ComposeServices {
  const { composeServices } = createRequire(import.meta.url)('@theguild/federation-composition') as { composeServices: typeof ComposeServices };
  return composeServices;
}
