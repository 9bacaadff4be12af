// npm run audit:export: signs a checkpoint of the audit trail now (unless the last one already
// names its heads) and writes it, with the public key, to --out FILE, for an auditor to verify a
// copy of the trail with `npm run audit:verify -- --file COPY --checkpoint FILE`, without the key
// folder. `--public-key` prints the public key only. Safe while the gateway runs (it waits for the
// trail's write lock). With stores.postgres and no --file: a checkpoint of the trail replicas
// share, signed now. Its flags are in cli/commands.ts.

import { existsSync } from 'node:fs';
import { AUDIT_EXPORT } from './commands.ts';
import { parseCommand } from './usage.ts';

const args = parseCommand(AUDIT_EXPORT).values;
// Loaded once the flags are read: the help answers without them.
const { checkpointsFileOf, openAuditLog, openSigningKey, publicKeyPem, readPublicKey, writeCheckpointExport } = await import('../supergraph/audit/index.ts');
const { ConfigError } = await import('../supergraph/config/index.ts');
const { StoreUnavailableError } = await import('../supergraph/stores/index.ts');
const { auditFiles, requireTrail } = await import('./audit-files.ts');
const { exportSharedCheckpoint } = await import('./audit-shared.ts');

try {
  const { settings, file, keyFile } = auditFiles(args);
  if (!existsSync(keyFile)) throw new ConfigError('JG_AUDIT_KEY_FILE', `no audit signing key at ${keyFile}: the gateway creates it at its first start`);
  if (args['public-key']) {
    process.stdout.write(publicKeyPem(readPublicKey(keyFile)));
  } else {
    if (!args.out) throw new ConfigError('--out', 'name the file to write the checkpoint to (or ask for --public-key)');
    if (settings.postgres && args.file === undefined) {
      const checkpoint = await exportSharedCheckpoint(settings.postgres, keyFile, args.out);
      console.log(`Exported checkpoint ${checkpoint.n} of the shared trail (${checkpoint.heads.length} replica chains, ${checkpoint.access.seq} records; decision record ${checkpoint.decisions.seq}; ${checkpoint.at}, key ${checkpoint.key}) to ${args.out}`);
      process.exit(0);
    }
    requireTrail(file);
    const { key } = openSigningKey(keyFile);
    const log = openAuditLog(file, { signing: { key, checkpointsFile: checkpointsFileOf(keyFile), everyRecords: settings.auditCheckpointRecords } });
    let checkpoint;
    try {
      checkpoint = log.checkpoint();
    } finally {
      log.close();
    }
    if (!checkpoint) throw new ConfigError('--file', `${file} holds nothing to sign yet`);
    writeCheckpointExport(args.out, { checkpoint, publicKey: key.publicKey });
    console.log(`Exported checkpoint ${checkpoint.n} (record ${checkpoint.access.seq}, decision record ${checkpoint.decisions.seq}, ${checkpoint.at}, key ${checkpoint.key}) to ${args.out}`);
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof StoreUnavailableError ? `[${error.code}] ${error.message}` : error);
  process.exitCode = 1;
}
