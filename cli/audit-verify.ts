// npm run audit:verify: checks the hash chain of the access audit trail, its archived segments
// first (see supergraph/audit/retention.ts), then the records kept in the trail after them.
// Flags: --file FILE (default: audit.db in JG_STATE_DIR), --dir DIR (the archive; default:
// JG_AUDIT_ARCHIVE_DIR, else audit-archive beside the file).

import { verifyArchive } from '../supergraph/audit/index.ts';
import { ConfigError } from '../supergraph/config/index.ts';
import { auditFiles, plural } from './audit-files.ts';

try {
  const { file, dir } = auditFiles();
  const check = verifyArchive(dir, file);
  if (!check.ok) {
    console.error(`[AUDIT_CHAIN_BROKEN] record ${check.brokenAt!.seq}: ${check.brokenAt!.problem} (${check.records} records verified before it)`);
    process.exitCode = 1;
  } else if (check.segments === 0 && check.retainedFrom === undefined) {
    console.log(`OK: ${check.records} records, hash chain intact (${file})`);
  } else {
    const retained = check.retainedFrom === undefined ? '' : `; records before ${check.retainedFrom} deleted past the retention period`;
    console.log(`OK: ${plural(check.archived, 'archived record')} in ${plural(check.segments, 'segment')} + ${plural(check.live, 'live record')}, hash chain intact (${dir}, ${file}${retained})`);
  }
} catch (error) {
  console.error(error instanceof ConfigError ? `[${error.code}] ${error.message}` : error);
  process.exitCode = 1;
}
