// Row scope holds at the source, for every provider: under a district-limited grant no value of a
// record of another district leaves a provider, for every field of its entity types and of the
// types nested under them, references and lists alike. Checked at each provider's own HTTP
// answer (called as the gateway calls it), not at the gateway, which has a second check of its own.

import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isLeafType, isObjectType, parse, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_PROVIDERS } from '../subgraphs/index.ts';
import { callAsGateway, startTestPlatform, type TestPlatform } from './support/platform.ts';

const NANHU = '660104';
const ENTITY_TYPES = ['Person', 'Enterprise'] as const;
/** Providers that keep a record's jurisdiction for these types; the others cannot establish it and withhold (fail closed). */
const KNOWS_DISTRICT: Record<string, readonly string[]> = {
  population: ['Person'], enterprise: ['Enterprise'], 'civil-affairs': ['Person'], tax: ['Enterprise'],
};

let platform: TestPlatform;
type Representation = { __typename: string; district: string } & Record<string, unknown>;
const representations: Record<(typeof ENTITY_TYPES)[number], Representation[]> = { Person: [], Enterprise: [] };

beforeAll(async () => {
  platform = await startTestPlatform();
  const db = (name: string) => platform.providers.find((p) => p.name === name)!.db;
  // Every 10th record of the register: all districts, enough records to carry every field's values.
  for (const p of db('population').prepare('SELECT id, district FROM person').all() as { id: string; district: string }[]) districtOf.set(p.id, p.district);
  for (const e of db('enterprise').prepare('SELECT credit_code AS key, district FROM enterprise').all() as { key: string; district: string }[]) districtOf.set(e.key, e.district);
  representations.Person = (db('population').prepare('SELECT id, district FROM person WHERE seq % 10 = 0 ORDER BY seq').all() as { id: string; district: string }[])
    .map((p) => ({ __typename: 'Person', ...p }));
  representations.Enterprise = (db('enterprise').prepare('SELECT credit_code AS creditCode, district, risk_class AS riskClass FROM enterprise WHERE seq % 5 = 0 ORDER BY seq').all() as { creditCode: string; district: string; riskClass: number }[])
    .map((e) => ({ __typename: 'Enterprise', ...e }));
});
afterAll(() => platform.close());

interface Case {
  provider: string;
  entity: (typeof ENTITY_TYPES)[number];
  /** The coordinate the grant limits. */
  limited: string;
  /** The entity's field asked, and the leaf read inside it when the limited coordinate is nested. */
  field: string;
  leaf?: string;
  /** When the nested records are entities of their own (an enterprise under its representative), their key: their own district counts. */
  nestedKey?: string;
  selection: string;
}

const KEYS: Record<string, string> = { Person: 'id', Enterprise: 'creditCode' };
/** Every sample record's district, by key, as the registers of population and market regulation keep it. */
const districtOf = new Map<string, string>();

function leaves(type: GraphQLObjectType): string[] {
  return Object.values(type.getFields()).filter((f) => isLeafType(getNamedType(f.type))).map((f) => f.name);
}

/** Every coordinate a district-limited grant can name at each provider, with a selection that reaches it. */
function cases(): Case[] {
  const found: Case[] = [];
  for (const provider of SAMPLE_PROVIDERS) {
    const schema = buildSubgraphSchema({ typeDefs: parse(provider.typeDefs) });
    for (const entity of ENTITY_TYPES) {
      const type = schema.getType(entity);
      if (!isObjectType(type)) continue;
      for (const field of Object.values(type.getFields())) {
        const target = getNamedType(field.type);
        if (isLeafType(target)) {
          found.push({ provider: provider.name, entity, limited: `${entity}.${field.name}`, field: field.name, selection: field.name });
          continue;
        }
        if (!isObjectType(target)) continue;
        const inner = leaves(target).join(' ');
        const nestedKey = KEYS[target.name];
        found.push({ provider: provider.name, entity, limited: `${entity}.${field.name}`, field: field.name, selection: `${field.name} { ${inner} }` });
        for (const leaf of leaves(target)) {
          found.push({ provider: provider.name, entity, limited: `${target.name}.${leaf}`, field: field.name, leaf, selection: `${field.name} { ${inner} }`, ...(nestedKey ? { nestedKey } : {}) });
        }
      }
    }
  }
  return found;
}

const present = (v: unknown) => v !== null && v !== undefined;

/**
 * The values of the limited coordinate in one entity of an answer (nested lists flattened), each
 * with the district of the record it belongs to: the entity's, or a nested entity's own.
 */
function valuesOf(entity: Record<string, unknown> | null | undefined, c: Case, district: string): { district: string; value: unknown }[] {
  const value = entity?.[c.field];
  if (!c.leaf) return [{ district, value }];
  const items = (Array.isArray(value) ? value : [value]) as (Record<string, unknown> | null)[];
  return items.map((item) => ({ district: c.nestedKey ? districtOf.get(String(item?.[c.nestedKey])) ?? 'unknown' : district, value: item?.[c.leaf!] }));
}

const released = (values: { district: string; value: unknown }[], inside: boolean) =>
  values.filter((v) => (v.district === NANHU) === inside && present(v.value)).map((v) => v.value);

describe('a district-limited grant at the providers', () => {
  it.each(cases().map((c) => [`${c.provider}: ${c.limited}`, c] as const))('%s leaves no other district’s value in the provider’s answer', async (_, c) => {
    const url = platform.providers.find((p) => p.name === c.provider)!.url;
    const reps = representations[c.entity];
    const query = `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${c.entity} { ${c.selection} } } }`;
    const variables = { r: reps.map(({ district: _district, ...rep }) => rep) };
    const rows = { district: NANHU, types: [c.limited.slice(0, c.limited.indexOf('.'))], coordinates: [c.limited] };
    const unscoped = await callAsGateway(c.provider, url, query, variables, { purpose: 'counter-service' });
    const scoped = await callAsGateway(c.provider, url, query, variables, { purpose: 'counter-service', rows });
    expect(unscoped.status).toBe(200);
    expect(scoped.status).toBe(200);
    const before = (unscoped.body.data?._entities ?? []) as (Record<string, unknown> | null)[];
    const after = (scoped.body.data?._entities ?? []) as (Record<string, unknown> | null)[];

    // Not vacuous: without the limit, the provider answers values of other districts' records.
    expect(reps.some((rep, i) => released(valuesOf(before[i], c, rep.district), false).length > 0)).toBe(true);
    reps.forEach((rep, i) => expect(released(valuesOf(after[i], c, rep.district), false), `record ${i} (${rep.district})`).toEqual([]));
    const withheld = (scoped.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN_ROW');
    expect(withheld.length).toBeGreaterThan(0);

    // What the provider still answers of its own district's records (nested values aside: a
    // withheld non-null item nulls its whole list, so in-district siblings may go with it).
    if (c.leaf) return;
    const inside = reps.map((rep, i) => ({ before: released(valuesOf(before[i], c, rep.district), true), after: released(valuesOf(after[i], c, rep.district), true) }));
    if (KNOWS_DISTRICT[c.provider]?.includes(c.entity)) {
      // A provider that knows its records' districts still answers its own district's records in full.
      expect(inside.some((r) => r.before.length > 0)).toBe(true);
      for (const r of inside) expect(r.after).toEqual(r.before);
    } else {
      // One that cannot establish a record's district releases none of the limited field (fails closed).
      for (const r of inside) expect(r.after).toEqual([]);
    }
  });

  it.each([
    ['population', 'people', 'Person', ['name', 'householdAddress']],
    ['enterprise', 'enterprises', 'Enterprise', ['name', 'registeredCapital']],
  ] as const)('%s keeps a list to the district in its own query', async (provider, list, entity, fields) => {
    const url = platform.providers.find((p) => p.name === provider)!.url;
    const rows = { district: NANHU, types: [entity], coordinates: [`${entity}.${fields[0]}`] };
    const { status, body } = await callAsGateway(provider, url, `{ ${list}(first: 500) { district ${fields.join(' ')} } }`, undefined, { purpose: 'counter-service', rows });
    expect(status).toBe(200);
    const records = body.data![list] as { district: string }[];
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((r) => r.district === NANHU)).toBe(true);
  });
});
