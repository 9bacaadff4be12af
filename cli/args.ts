// Minimal flag parsing for the CLIs: --name value and --flag.

import { parseArgs } from 'node:util';

export function cliArgs<T extends Record<string, { type: 'string' | 'boolean' }>>(options: T) {
  return parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }).values;
}
