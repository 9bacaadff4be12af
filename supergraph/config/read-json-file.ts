// Reads one of the operator's JSON files; a missing or malformed file is a CONFIG_INVALID error
// that names the file and what it should have been.

import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error.ts';

export function readJsonFile(file: string, what: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(file, `cannot read the ${what}: ${(error as Error).message}`);
  }
}
