// The trail, the archive folder and the signing key the audit CLIs work on: --file and --dir, else
// the settings' (--config FILE or JG_CONFIG, then the environment). The key is JG_AUDIT_KEY_FILE, else `keys/` beside the trail's folder, as the
// gateway places it.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { archiveDirOf, auditKeyFileOf, defaultAuditKeyFile } from '../supergraph/audit/index.ts';
import { ConfigError } from '../supergraph/config/index.ts';
import { cliSettings } from './settings.ts';

export function auditFiles(args: { file?: string | undefined; dir?: string | undefined; config?: string | undefined }) {
  const settings = cliSettings(args.config);
  const file = args.file ?? join(settings.stateDir, 'audit.db');
  // The gateway's key for its own trail; for a trail named by --file, the key beside its folder.
  const keyFile = settings.auditKeyFile ?? (args.file ? auditKeyFileOf(dirname(file)) : defaultAuditKeyFile(settings.dataDir));
  return { settings, file, dir: args.dir ?? settings.auditArchiveDir ?? archiveDirOf(file), keyFile };
}

export function requireTrail(file: string): void {
  if (!existsSync(file)) throw new ConfigError('--file', `no audit trail at ${file}`);
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
