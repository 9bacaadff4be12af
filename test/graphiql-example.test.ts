// GraphiQL opens with a query that answers: fields the policy lets every authenticated app
// receive, so the first run shows data for any caller, not denials.

import { buildSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleQuery } from '../supergraph/policy/index.ts';
import { APPS } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type GraphQLBody, type TestPlatform } from './support/platform.ts';

const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attribute = (page: string, name: string) => {
  const value = page.match(new RegExp(`data-${name}="([^"]*)"`))?.[1];
  return value === undefined ? undefined : unescape(value);
};

async function servedPage(platform: TestPlatform): Promise<{ query: string | undefined; headers: Record<string, string> }> {
  const page = (await platform.gateway.inject({ url: '/graphiql' })).body;
  return { query: attribute(page, 'query'), headers: JSON.parse(attribute(page, 'headers')!) as Record<string, string> };
}

async function run(platform: TestPlatform, query: string, headers: Record<string, string>): Promise<GraphQLBody> {
  const response = await platform.gateway.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', ...headers }, payload: { query } });
  return response.json() as GraphQLBody;
}

describe('GraphiQL’s example query', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform({ authorization: sampleAuthorization() });
  });
  afterAll(() => platform.close());

  it('answers with data and no errors, with the page’s own headers', async () => {
    const { query, headers } = await servedPage(platform);
    expect(query).toMatch(/^# Fields every authenticated app may receive/);
    const body = await run(platform, query!, headers);
    expect(body.errors).toBeUndefined();
    expect((body.data?.enterprises as Record<string, unknown>[])[0]).toMatchObject({ name: expect.any(String), taxCreditRating: expect.any(String) });
  });

  it('holds no field that needs a grant, so it answers any app holding none', async () => {
    const { query } = await servedPage(platform);
    expect(query).not.toMatch(/taxArrears|insuredEmployees|legalRepresentative|riskClass/);
    const body = await run(platform, query!, { 'x-api-key': APPS.assistance, 'x-jointgraph-purpose': 'social-assistance' });
    expect(body.errors).toBeUndefined();
  });
});

describe('GraphiQL’s example query without authorization', () => {
  it('says every field is served', async () => {
    const platform = await startTestPlatform();
    try {
      const { query, headers } = await servedPage(platform);
      expect(query).toMatch(/^# Authorization is off/);
      expect((await run(platform, query!, headers)).errors).toBeUndefined();
    } finally {
      await platform.close();
    }
  });
});

describe('an example query where no field is shared with every app', () => {
  it('is a comment saying how to obtain fields', () => {
    const schema = buildSchema('type Query { people: [Person] } type Person { name: String }');
    const query = exampleQuery(schema, { fields: new Map(), entityTypes: new Set(), keyFields: new Map(), graphNames: [] });
    expect(query.split('\n').filter(Boolean).every((line) => line.startsWith('#'))).toBe(true);
    expect(query).toContain('Apply for the fields you need');
  });
});
