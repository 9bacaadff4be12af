// npm run audit:export: signs a checkpoint of the audit trail now (unless the last one already
// names its heads) and writes it, with the public key, to --out FILE, for an auditor to verify a
// copy of the trail with `npm run audit:verify -- --file COPY --checkpoint FILE`, without the key
// folder. `--public-key` prints the public key only. Flags: --file FILE (default: audit.db in
// JG_STATE_DIR). Safe while the gateway runs (it waits for the trail's write lock). With
// stores.postgres and no --file: a checkpoint of the trail replicas share, signed now.

import { existsSync } from 'node:fs';
import { checkpointsFileOf, openAuditLog, openSigningKey, publicKeyPem, readPublicKey, writeCheckpointExport } from '../supergraph/audit/index.ts';
import { ConfigError } from '../supergraph/config/index.ts';
import { StoreUnavailableError } from '../supergraph/stores/index.ts';
import { cliArgs, CONFIG_FLAG } from './args.ts';
import { auditFiles, requireTrail } from './audit-files.ts';
import { exportSharedCheckpoint } from './audit-shared.ts';

try {
  const args = cliArgs({ file: { type: 'string' }, out: { type: 'string' }, 'public-key': { type: 'boolean' } , ...CONFIG_FLAG });
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
