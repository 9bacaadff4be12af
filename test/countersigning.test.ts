// Joint operation of the audit trail: each provider countersigns the operator's checkpoints with
// its own key and keeps its own copy; it countersigns each checkpoint number once. A history
// re-signed with the operator's key no longer matches the providers' copies.

import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointBytes, countersignaturesFileOf, readCheckpointFile, readCountersignatureEvidence, verifyCountersignatures, type Checkpoint } from '../supergraph/audit/index.ts';
import { ASSERTION_HEADER, assertionSigner } from '../supergraph/execution/index.ts';
import type { BoundCall } from '../protocol/index.ts';
import { APPS, asApp } from './support/authorization.ts';
import { registryHeaders, sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization(), gateway: { countersignIntervalMs: 0 } });
});
afterAll(() => platform.close());

const checkpointsFile = () => platform.authorization!.audit.options.signing!.checkpointsFile;
const parties = () => platform.providers.map((p) => p.name);
const providerKeys = () => new Map(parties().map((p) => [p, createPublicKey(readFileSync(join(platform.dataDir, 'keys', 'providers', `${p}-countersign.pub.pem`)))]));
const copies = () => new Map(parties().map((p) => [p, join(platform.dataDir, 'access', `${p}.countersigned.jsonl`)]));
const check = () => {
  const evidence = readCountersignatureEvidence(countersignaturesFileOf(checkpointsFile()), copies());
  return verifyCountersignatures({ checkpoints: readCheckpointFile(checkpointsFile()).checkpoints, evidence, keys: providerKeys() });
};
const ask = () => asApp(platform, APPS.tax, 'tax-inspection/CASE-5')('{ enterprises(first: 1) { name taxCreditRating } }');

/** Asks a provider to countersign, with the headers `sign` makes for that very call. */
async function countersignAt(provider: string, checkpoint: Checkpoint, sign: (call: BoundCall) => Promise<Record<string, string>>) {
  const url = new URL('/jointgraph/countersign', platform.providers.find((p) => p.name === provider)!.url).href;
  const body = JSON.stringify({ checkpoint });
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(await sign({ method: 'POST', url, body })) }, body });
  return { status: response.status, body: await response.json() };
}

describe('providers countersign the operator’s checkpoints', () => {
  it('countersigns each new checkpoint, keeps its own copies, and the countersignatures verify', async () => {
    await ask();
    const first = await platform.gateway.jointgraph.countersign!();
    expect(first?.countersigned.sort()).toEqual(parties().sort());
    expect(first?.failed).toEqual([]);
    await ask();
    const second = await platform.gateway.jointgraph.countersign!();
    expect(second!.n).toBeGreaterThan(first!.n);
    expect(second!.countersigned.length).toBe(5);
    const result = check();
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    // Every checkpoint, not only the newest of each round.
    for (const party of parties()) expect(result.countersigned[party]).toBe(readCheckpointFile(checkpointsFile()).checkpoints.length);
    expect(result.head?.n).toBe(second!.n);
  });

  it('refuses to countersign another checkpoint under a number it countersigned, even one signed with the operator’s key', async () => {
    await ask();
    await platform.gateway.jointgraph.countersign!();
    const latest = readCheckpointFile(checkpointsFile()).checkpoints.at(-1)!;
    const operatorKey = createPrivateKey(readFileSync(join(checkpointsFile(), '..', 'audit-signing.pem')));
    const { signature: _signature, countersignatures: _countersignatures, ...body } = latest;
    const rewritten = { ...body, access: { ...body.access, hash: '0'.repeat(64) } };
    const forged: Checkpoint = { ...rewritten, signature: sign(null, checkpointBytes(rewritten), operatorKey).toString('base64') };
    const sign_ = assertionSigner({ key: platform.callerKey!, issuer: 'jointgraph-gateway' });
    const refused = await countersignAt('tax', forged, async (call) => ({ [ASSERTION_HEADER]: await sign_('tax', 'countersign', { subject: 'gateway' }, call) }));
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].extensions.code).toBe('CHECKPOINT_CONFLICT');
    // Only the gateway asks: the registry's (or an app's) assertion is not enough.
    const byRegistry = await countersignAt('tax', latest, (call) => registryHeaders('tax', 'countersign', call));
    expect(byRegistry.status).toBe(403);

    // Whoever holds the operator's key rewrites the checkpoint file with the forged checkpoint:
    // the providers' copies and countersignatures no longer agree with it.
    const text = readFileSync(checkpointsFile(), 'utf8');
    const original = readFileSync(checkpointsFile(), 'utf8').trim().split('\n').at(-1)!;
    writeFileSync(checkpointsFile(), text.replace(original, JSON.stringify(forged)));
    try {
      const result = check();
      expect(result.ok).toBe(false);
      expect(result.problems).toEqual(expect.arrayContaining([
        { party: 'tax', n: latest.n, problem: 'copy-differs' },
        { party: 'tax', n: latest.n, problem: 'invalid-countersignature' },
      ]));
    } finally {
      writeFileSync(checkpointsFile(), text);
    }
    expect(check().ok).toBe(true);
  });
});
