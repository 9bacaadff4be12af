// The trail and the archive folder the audit CLIs work on: --file and --dir, else the settings'.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { archiveDirOf } from '../supergraph/audit/index.ts';
import { ConfigError, loadSettings } from '../supergraph/config/index.ts';
import { cliArgs } from './args.ts';

export function auditFiles() {
  const settings = loadSettings(process.env);
  const args = cliArgs({ file: { type: 'string' }, dir: { type: 'string' } });
  const file = args.file ?? join(settings.stateDir, 'audit.db');
  if (!existsSync(file)) throw new ConfigError('--file', `no audit trail at ${file}`);
  return { settings, file, dir: args.dir ?? settings.auditArchiveDir ?? archiveDirOf(file) };
}

export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
