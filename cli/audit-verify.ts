// npm run audit:verify: checks the hash chain of the access audit trail.
// Flags: --file FILE (default: audit.db in JG_STATE_DIR).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openAuditLog } from '../supergraph/audit/index.ts';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { cliArgs } from './args.ts';

try {
  const args = cliArgs({ file: { type: 'string' } });
  const file = args.file ?? join(loadSettings(process.env).stateDir, 'audit.db');
  if (!existsSync(file)) throw new ConfigError('--file', `no audit trail at ${file}`);
  const log = openAuditLog(file);
  const check = log.verify();
  log.close();
  if (check.ok) {
    console.log(`OK: ${check.records} records, hash chain intact (${file})`);
  } else {
    console.error(`[AUDIT_CHAIN_BROKEN] record ${check.brokenAt!.seq}: ${check.brokenAt!.problem} (${check.records} records verified before it)`);
    process.exitCode = 1;
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `[${error.code}] ${error.message}` : error);
  process.exitCode = 1;
}
