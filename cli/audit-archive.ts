// npm run audit:archive: runs the audit retention job once: records older than
// JG_AUDIT_ARCHIVE_AFTER_DAYS move to gzipped segments, and segments older than
// JG_AUDIT_RETENTION_DAYS (when not 0) are deleted. Safe while the gateway runs (it waits for the
// trail's write lock). Its flags are in cli/commands.ts.

import type { Segment } from '../supergraph/audit/index.ts';
import { AUDIT_ARCHIVE } from './commands.ts';
import { parseCommand } from './usage.ts';

const args = parseCommand(AUDIT_ARCHIVE).values;
// Loaded once the flags are read: the help answers without them.
const { openAuditLog, runRetention, segmentFile } = await import('../supergraph/audit/index.ts');
const { ConfigError } = await import('../supergraph/config/index.ts');
const { auditFiles, plural, requireTrail } = await import('./audit-files.ts');

const names = (segments: Segment[]) => segments.map(segmentFile).join(', ');

try {
  const { settings, file, dir } = auditFiles(args);
  if (settings.postgres && args.file === undefined) {
    throw new ConfigError('stores.postgres', 'the trail replicas share on PostgreSQL is kept whole: this job archives one replica\'s SQLite trail (--file FILE); keep the shared one with PostgreSQL\'s backups');
  }
  requireTrail(file);
  const log = openAuditLog(file);
  const policy = { archiveAfterDays: settings.auditArchiveAfterDays, retentionDays: settings.auditRetentionDays, dir };
  const report = await runRetention(log, policy, new Date()).finally(() => log.close());
  console.log(
    report.records > 0
      ? `Archived ${plural(report.records, 'record')} older than ${plural(policy.archiveAfterDays, 'day')} into ${plural(report.segments.length, 'segment')} in ${dir}: ${names(report.segments)}`
      : `Nothing to archive: no record older than ${plural(policy.archiveAfterDays, 'day')}`,
  );
  if (policy.retentionDays === 0) console.log('Archived segments are kept forever (JG_AUDIT_RETENTION_DAYS=0)');
  else if (report.deleted.length > 0) console.log(`Deleted ${plural(report.deleted.length, 'segment')} past the retention period of ${plural(policy.retentionDays, 'day')}: ${names(report.deleted)}`);
  else console.log(`No segment past the retention period of ${plural(policy.retentionDays, 'day')}`);
} catch (error) {
  console.error(error instanceof ConfigError ? `[${error.code}] ${error.message}` : error);
  process.exitCode = 1;
}
