// Verification of a live trail: records keep being written (by the writer thread, as the gateway
// writes them) while audit:verify walks the trail, and no verification may report tampering that
// did not happen.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  archiveDirOf, auditKeyFileOf, checkpointsFileOf, groupCommit, openAuditLog, openSigningKey, verifyTrail, type TrailCheck,
} from '../supergraph/audit/index.ts';
import { accessRecord } from './support/audit-appender.ts';
import { tempDataDir } from './support/platform.ts';

describe('audit:verify on a trail being written', () => {
  it('reports no tampering in 20 verifications while records are being written', async () => {
    const root = tempDataDir();
    const file = join(root, 'state', 'audit.db');
    const keyFile = auditKeyFileOf(join(root, 'state'));
    const { key } = openSigningKey(keyFile);
    const checkpointsFile = checkpointsFileOf(keyFile);
    const log = openAuditLog(file, { signing: { key, checkpointsFile, everyRecords: 500 } });
    // Long enough a walk that batches commit while it runs.
    log.appendAll(Array.from({ length: 20_000 }, (_, i) => accessRecord(i)));
    const write = groupCommit(log);
    let writing = true;
    let written = 0;
    let committed = () => {};
    const load = Promise.all(Array.from({ length: 16 }, async (_, lane) => {
      for (let i = 0; writing; i++) {
        await write(accessRecord(lane * 1_000_000 + i));
        written++;
        committed();
      }
    }));

    const checks: TrailCheck[] = [];
    for (let i = 0; i < 20; i++) {
      // Each verification starts once another record was committed since the last: the trail
      // grows between every two of them, however slow the machine, while batches keep committing.
      const before = written;
      while (written === before) await new Promise<void>((resolve) => (committed = resolve));
      checks.push(verifyTrail({ file, archiveDir: archiveDirOf(file), publicKey: key.publicKey, checkpointsFile }));
    }
    writing = false;
    await load;
    await write.close();
    log.close();

    expect(checks.filter((c) => !c.ok).map((c) => c.brokenAt)).toEqual([]);
    // The case was exercised: the trail grew from one verification to the next.
    expect(written).toBeGreaterThan(0);
    expect(new Set(checks.map((c) => c.records)).size).toBe(20);
  });
});
