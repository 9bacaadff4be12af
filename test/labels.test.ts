import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LABEL_SPEC, readLabelProposals, withSpecDefinitions } from '../directives/index.ts';
import { composeSupergraph } from '../supergraph/compose/index.ts';
import { ConfigError } from '../supergraph/config/index.ts';
import { buildLabelCatalog, labelReport, parseLabelOverlay, readLabelOverlay } from '../supergraph/labels/index.ts';

const run = promisify(execFile);
const HEADER = `extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@composeDirective"])
  @link(url: "${LABEL_SPEC.url}", import: ["@label"])
  @composeDirective(name: "@label")`;

const HOUSING = `${HEADER}
type Query { permit(number: ID!): Permit @label(sharing: UNCONDITIONAL, grade: GENERAL) }
type Permit @key(fields: "number") @label(sharing: CONDITIONAL, grade: IMPORTANT, category: "housing.permit") {
  number: ID!
  holderName: String @label(sharing: CONDITIONAL, grade: IMPORTANT, pii: true, category: "housing.holder")
  inspectorNotes: String @label(sharing: NOT_SHARED, grade: CORE, basis: "Internal working papers")
  floorArea: Float
}`;
const SURVEY = `${HEADER}
type Permit @key(fields: "number") { number: ID! surveyedOn: String }`;

function supergraph(housing = HOUSING): string {
  const result = composeSupergraph([
    { name: 'housing', url: 'http://housing/graphql', sdl: withSpecDefinitions(housing) },
    { name: 'survey', url: 'http://survey/graphql', sdl: withSpecDefinitions(SURVEY) },
  ]);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.supergraphSdl;
}

describe('the @label spec', () => {
  it('is supplied to a provider that links it, once', () => {
    const sdl = withSpecDefinitions(HOUSING);
    expect(sdl).toContain('directive @label(');
    expect(withSpecDefinitions(sdl)).toBe(sdl);
  });

  it('is read from a supergraph into field and type labels by coordinate', () => {
    const proposals = readLabelProposals(supergraph());
    expect(proposals.fields.get('Permit.holderName')).toEqual({ sharing: 'CONDITIONAL', grade: 'IMPORTANT', pii: true, category: 'housing.holder' });
    expect(proposals.types.get('Permit')).toEqual({ sharing: 'CONDITIONAL', grade: 'IMPORTANT', category: 'housing.permit' });
  });
});

describe('effective labels', () => {
  it('take the type label as the default for a type’s fields, and close unlabeled fields', () => {
    const catalog = buildLabelCatalog(supergraph(HOUSING.replace(' @label(sharing: CONDITIONAL, grade: IMPORTANT, category: "housing.permit")', '')));
    expect(catalog.fields.get('Permit.floorArea')).toMatchObject({ label: { sharing: 'CONDITIONAL', grade: 'CORE' }, source: 'default' });
    expect(labelReport(catalog).unlabeled).toEqual(expect.arrayContaining(['Permit.floorArea', 'Permit.surveyedOn', 'Permit.number']));
    const typed = buildLabelCatalog(supergraph());
    expect(typed.fields.get('Permit.floorArea')).toMatchObject({ label: { grade: 'IMPORTANT' }, source: 'provider-type' });
  });

  it('follow the overlay over the provider, and report the conflict', () => {
    const overlay = parseLabelOverlay({ labels: { 'Permit.holderName': { sharing: 'NOT_SHARED', grade: 'CORE', basis: 'PIPL Art. 28' }, 'Permit.*': { sharing: 'UNCONDITIONAL', grade: 'GENERAL' } } });
    const catalog = buildLabelCatalog(supergraph(), overlay);
    expect(catalog.fields.get('Permit.holderName')).toMatchObject({ label: { sharing: 'NOT_SHARED' }, source: 'overlay' });
    expect(catalog.fields.get('Permit.floorArea')).toMatchObject({ label: { sharing: 'UNCONDITIONAL' }, source: 'overlay-type' });
    expect(labelReport(catalog).conflicts.map((c) => c.coordinate)).toEqual(expect.arrayContaining(['Permit.holderName', 'Permit.floorArea']));
  });

  it('name the owning provider of each field', () => {
    const catalog = buildLabelCatalog(supergraph());
    expect(catalog.fields.get('Permit.surveyedOn')!.owners).toEqual(['survey']);
    expect(catalog.fields.get('Permit.holderName')!.owners).toEqual(['housing']);
    expect(catalog.fields.get('Permit.number')!.owners).toEqual(['housing']); // a key belongs to the entity's home
  });

  it('reject NOT_SHARED without a basis, from a provider or from the overlay', () => {
    expect(labelReport(buildLabelCatalog(supergraph(HOUSING.replace(', basis: "Internal working papers"', '')))).missingBasis).toEqual(['Permit.inspectorNotes']);
    const overlay = parseLabelOverlay({ labels: { 'Permit.floorArea': { sharing: 'NOT_SHARED', grade: 'CORE' } } });
    expect(labelReport(buildLabelCatalog(supergraph(), overlay)).missingBasis).toEqual(['Permit.floorArea']);
  });

  it('come from an overlay file that is checked', () => {
    expect(() => parseLabelOverlay({ labels: { 'Permit.floorArea': { sharing: 'SECRET', grade: 'CORE' } } })).toThrow(ConfigError);
    expect(() => parseLabelOverlay({ labels: { 'not a selector!': { sharing: 'UNCONDITIONAL', grade: 'CORE' } } })).toThrow(/selector/);
  });

  it('name the overlay file, the path in it and what was expected', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jointgraph-labels-')), 'labels.json');
    writeFileSync(file, JSON.stringify({ labels: { 'Permit.*': { sharing: 'CONDITIONAL', grade: 'SECRET' } } }));
    expect(() => readLabelOverlay(file)).toThrow(ConfigError);
    expect(() => readLabelOverlay(file)).toThrow(`${file}: labels["Permit.*"].grade: expected one of GENERAL, IMPORTANT, CORE, got "SECRET"`);
    const FILE = 'supergraph/labels.json';
    const parsed = (labels: object) => () => parseLabelOverlay({ labels }, FILE);
    const acknowledged = (from: unknown[]) => ({ sharing: 'CONDITIONAL', grade: 'IMPORTANT', derivationAcknowledged: { from, basis: 'Agreed' } });
    expect(parsed({ 'Permit.floorArea': { sharing: 'UNCONDITIONAL', grade: 'GENERAL', colour: 'red' } })).toThrow(`${FILE}: labels["Permit.floorArea"].colour: unknown setting; expected one of sharing, grade, `);
    expect(parsed({ 'Permit.score': acknowledged(['Permit.secret', 7]) })).toThrow(`${FILE}: labels["Permit.score"].derivationAcknowledged.from[1]: expected a coordinate Type.field, got 7`);
    expect(parsed({ 'Permit.*': acknowledged(['Permit.secret']) })).toThrow(`${FILE}: labels["Permit.*"].derivationAcknowledged: expected only on one field (Type.field), never on a whole type, got it on "Permit.*"`);
    expect(parsed({ 'not a selector!': { sharing: 'UNCONDITIONAL', grade: 'CORE' } })).toThrow(`${FILE}: labels["not a selector!"]: expected a selector Type.field, Type.* or Type, got "not a selector!"`);
    expect(parsed({ Permit: { sharing: 'UNCONDITIONAL', grade: 'CORE', level: 'high' } })).toThrow(`${FILE}: labels.Permit.level: expected a number, got "high"`);
  });

  it('label every field of the sample providers', async () => {
    const { readFileSync } = await import('node:fs');
    const { readLabelOverlay } = await import('../supergraph/labels/index.ts');
    const catalog = buildLabelCatalog(readFileSync('supergraph/supergraph.graphql', 'utf8'), readLabelOverlay('supergraph/labels.json'));
    expect(labelReport(catalog)).toMatchObject({ unlabeled: [], missingBasis: [] });
    expect(catalog.fields.get('Person.name')!.label).toMatchObject({ sharing: 'CONDITIONAL', grade: 'IMPORTANT' });
    expect(catalog.fields.get('Person.id')!.label).toMatchObject({ sharing: 'CONDITIONAL', grade: 'CORE', pii: true });
    expect(catalog.fields.get('Enterprise.name')!.label).toMatchObject({ sharing: 'UNCONDITIONAL', grade: 'GENERAL' });
    expect(catalog.fields.get('Enterprise.status')!.label).toMatchObject({ sharing: 'UNCONDITIONAL', grade: 'GENERAL' });
    expect(catalog.fields.get('Enterprise.taxArrears')!.label).toMatchObject({ sharing: 'CONDITIONAL' });
  });
});

describe('npm run compose', () => {
  it('fails on NOT_SHARED without a basis, naming the coordinate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jointgraph-labels-'));
    writeFileSync(join(dir, 'housing.graphql'), HOUSING.replace(', basis: "Internal working papers"', ''));
    writeFileSync(join(dir, 'survey.graphql'), SURVEY);
    writeFileSync(join(dir, 'labels.json'), JSON.stringify({ labels: {} }));
    writeFileSync(join(dir, 'list.json'), JSON.stringify({ subgraphs: [{ name: 'housing', url: 'http://127.0.0.1:9/graphql', sdlFile: 'housing.graphql' }, { name: 'survey', url: 'http://127.0.0.1:9/graphql', sdlFile: 'survey.graphql' }] }));
    const failure = await run(process.execPath, ['dist/cli/compose.js', '--list', join(dir, 'list.json'), '--labels', join(dir, 'labels.json'), '--out', join(dir, 'out.graphql')]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('[LABEL_BASIS_MISSING] Permit.inspectorNotes') });
  });
});
