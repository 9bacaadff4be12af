// The directive definitions a provider on any stack needs, fetched from the gateway: listed at
// /specs, each at /specs/<name>/<version>; what is fetched, pasted beside a subgraph's own schema,
// composes, and its labels are read. Public (no credentials), cached by version.

import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL_SPEC, SPECS } from '../directives/index.ts';
import { composeSupergraph } from '../supergraph/compose/index.ts';
import { buildLabelCatalog } from '../supergraph/labels/index.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform?.close());

const get = (url: string, headers: Record<string, string> = {}) => platform.gateway.inject({ method: 'GET', url, headers });

describe('the directive specs, from the gateway', () => {
  it('are listed at /specs without credentials, each with its @link url and its path', async () => {
    const response = await get('/specs');
    expect(response.statusCode).toBe(200);
    expect(response.json().specs).toEqual(SPECS.map((s) => ({ name: s.name, version: s.version, url: s.url, directive: s.directive, path: `/specs/${s.name}/${s.version}` })));
  });

  it('give definitions that, beside a subgraph of any stack, compose and carry its labels', async () => {
    const response = await get(`/specs/${LABEL_SPEC.name}/${LABEL_SPEC.version}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    parse(response.body);
    const sdl = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "${LABEL_SPEC.url}", import: ["@label"])
  @composeDirective(name: "@label")
type Query { permit(id: ID!): Permit }
type Permit @key(fields: "id") {
  id: ID! @label(sharing: UNCONDITIONAL, grade: GENERAL)
  holder: String @label(sharing: CONDITIONAL, grade: IMPORTANT, basis: "Housing Regulation, art. 7")
}
${response.body}`;
    const composed = composeSupergraph([{ name: 'housing', url: 'http://housing.test/graphql', sdl }]);
    expect(composed.ok, JSON.stringify(composed)).toBe(true);
    const catalog = buildLabelCatalog(composed.ok ? composed.supergraphSdl : '');
    expect(catalog.fields.get('Permit.holder')!.label).toMatchObject({ sharing: 'CONDITIONAL', grade: 'IMPORTANT' });
  });

  it('answer 304 to a client that has this version, and 404 NOT_FOUND, naming what is served, for another', async () => {
    const first = await get('/specs/quality/v0.1');
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toContain('immutable');
    expect((await get('/specs/quality/v0.1', { 'if-none-match': String(first.headers.etag) })).statusCode).toBe(304);
    const missing = await get('/specs/label/v9');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors[0]).toMatchObject({ extensions: { code: 'NOT_FOUND' }, message: expect.stringContaining('/specs/label/v0.1') });
  });
});
