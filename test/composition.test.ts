import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, print, Kind, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { LABEL_SPEC } from '../directives/index.ts';
import { composeSupergraph, formatProblem, loadSubgraphSdl } from '../supergraph/compose/index.ts';
import { readSubgraphList } from '../supergraph/config/index.ts';

const run = promisify(execFile);
const LIST = new URL('../supergraph/subgraphs.json', import.meta.url).pathname;
const FED = '@link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';

async function composeSamples() {
  const entries = readSubgraphList(LIST);
  return composeSupergraph(await Promise.all(entries.map((e) => loadSubgraphSdl(e))));
}

function field(sdl: string, type: string, name: string) {
  const def = parse(sdl).definitions.find((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === type);
  return def?.fields?.find((f) => f.name.value === name);
}

describe('composition of the sample providers', () => {
  it('composes all five into one supergraph', async () => {
    const result = await composeSamples();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const graphs = parse(result.supergraphSdl).definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
    expect(graphs && 'values' in graphs ? graphs.values?.length : 0).toBe(5);
  });

  it('carries @label through @composeDirective onto the supergraph fields', async () => {
    const result = await composeSamples();
    if (!result.ok) throw new Error('composition failed');
    expect(result.supergraphSdl).toContain(`@link(url: "${LABEL_SPEC.url}", import: ["@label"])`);
    const idNumber = field(result.supergraphSdl, 'Person', 'id');
    const label = idNumber?.directives?.find((d) => d.name.value === 'label');
    expect(label && print(label)).toBe('@label(sharing: CONDITIONAL, grade: CORE, category: "population.identity", pii: true)');
    const rating = field(result.supergraphSdl, 'Enterprise', 'taxCreditRating');
    expect(rating?.directives?.some((d) => d.name.value === 'label')).toBe(true);
  });

  it('keeps the committed supergraph in step with the providers', async () => {
    const { readFileSync } = await import('node:fs');
    const result = await composeSamples();
    if (!result.ok) throw new Error('composition failed');
    expect(readFileSync(new URL('../supergraph/supergraph.graphql', import.meta.url), 'utf8')).toBe(result.supergraphSdl);
  });
});

describe('composition errors', () => {
  it('name the subgraph and the schema coordinate of a type conflict', () => {
    const result = composeSupergraph([
      { name: 'alpha', url: 'http://alpha', sdl: `extend schema ${FED}\ntype Query { e: E } type E @key(fields: "id") { id: ID! size: Int }` },
      { name: 'beta', url: 'http://beta', sdl: `extend schema ${FED}\ntype E @key(fields: "id") { id: ID! size: String }` },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const mismatch = result.problems.find((p) => p.code === 'FIELD_TYPE_MISMATCH');
    expect(mismatch).toMatchObject({ coordinate: 'E.size', subgraphs: ['alpha', 'beta'] });
    expect(formatProblem(mismatch!)).toMatch(/^\[FIELD_TYPE_MISMATCH\] subgraph "alpha", "beta" at E\.size: /);
  });

  it('name the subgraph whose SDL does not parse', () => {
    const result = composeSupergraph([{ name: 'broken', url: 'http://broken', sdl: 'type Query { a: }' }]);
    expect(result).toMatchObject({ ok: false, problems: [{ code: 'INVALID_GRAPHQL', subgraphs: ['broken'] }] });
  });

  it('make `npm run compose` exit non-zero with the problem on stderr', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jointgraph-compose-'));
    writeFileSync(join(dir, 'a.graphql'), `extend schema ${FED}\ntype Query { e: E } type E @key(fields: "id") { id: ID! size: Int }`);
    writeFileSync(join(dir, 'b.graphql'), `extend schema ${FED}\ntype E @key(fields: "id") { id: ID! size: String }`);
    writeFileSync(
      join(dir, 'list.json'),
      JSON.stringify({ subgraphs: [{ name: 'alpha', url: 'http://127.0.0.1:9/graphql', sdlFile: 'a.graphql' }, { name: 'beta', url: 'http://127.0.0.1:9/graphql', sdlFile: 'b.graphql' }] }),
    );
    const out = join(dir, 'supergraph.graphql');
    const failure = await run(process.execPath, ['dist/cli/compose.js', '--list', join(dir, 'list.json'), '--out', out]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('[FIELD_TYPE_MISMATCH] subgraph "alpha", "beta" at E.size');
  });
});
