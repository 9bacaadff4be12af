// A provider publishing its subgraph meets the label findings on its own fields as its problems;
// other departments' overlay conflicts are reported apart ("elsewhere"), not as its own.

import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';

const TAX_SDL = readFileSync(new URL('../subgraphs/tax/schema.graphql', import.meta.url), 'utf8');
const PUBLISH = `mutation($n: String!, $u: String!, $s: String!) { publishSubgraph(name: $n, url: $u, sdl: $s) {
  labelConflicts unlabeled derivedFromNotShared elsewhere { labelConflicts unlabeled derivedFromNotShared } } }`;

let platform: TestPlatform;

beforeAll(async () => {
  // The sample overlay (conflicts on the enterprise and population providers' fields) and one on a tax field.
  const overlayFile = join(tempDataDir(), 'labels.json');
  copyFileSync(new URL('../supergraph/labels.json', import.meta.url), overlayFile);
  const overlay = JSON.parse(readFileSync(overlayFile, 'utf8')) as { labels: Record<string, unknown> };
  overlay.labels['Enterprise.taxRatedOn'] = { sharing: 'CONDITIONAL', grade: 'GENERAL', category: 'tax.credit' };
  writeFileSync(overlayFile, JSON.stringify(overlay));
  platform = await startTestPlatform({ authorization: sampleAuthorization({ labelOverlayFile: overlayFile }) });
});
afterAll(() => platform.close());

describe('a publication’s label report', () => {
  it('lists the publisher’s own conflicts as its own, and other departments’ apart', async () => {
    const tax = platform.providers.find((p) => p.name === 'tax')!;
    const result = await adminCall(platform, { token: 'jg-admin-tax' }, PUBLISH, { n: 'tax', u: tax.url, s: TAX_SDL });
    expect(result.errors).toBeUndefined();
    const published = result.data!.publishSubgraph as { labelConflicts: string[]; elsewhere: { labelConflicts: string[] } };
    expect(published.labelConflicts).toEqual(['Enterprise.taxRatedOn']);
    expect(published.elsewhere.labelConflicts).toEqual(expect.arrayContaining(['Enterprise.legalRepresentative', 'Person.ethnicity']));
    expect(published.elsewhere.labelConflicts).not.toContain('Enterprise.taxRatedOn');
  });
});
