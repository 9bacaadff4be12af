// Flag parsing for the CLIs: --name value and --flag. `--help` prints the usage; an unknown or
// malformed flag is a coded error with the usage as its hint, never a stack trace.

import { parseArgs } from 'node:util';
import { loadConfiguration, type Settings } from '../supergraph/config/index.ts';

type Options = Record<string, { type: 'string' | 'boolean' }>;

function parsed<T extends Options>(options: T, allowPositionals: boolean, usage: string) {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    console.error(`[CONFIG_INVALID] ${(error as Error).message.split('. ')[0]}.\n${usage}`);
    process.exit(1);
  }
}

/** Flags only. */
export function cliArgs<T extends Options>(options: T, usage = `Flags: ${Object.keys(options).map((o) => `--${o}`).join(' ')}`) {
  return parsed(options, false, usage).values;
}

/** A command and its argument, then flags (npm run admin). */
export function commandArgs<T extends Options>(options: T, usage: string) {
  return parsed(options, true, usage);
}

/** The `--config` flag every CLI takes: the platform's settings from that file (or JG_CONFIG), the environment winning. */
export const CONFIG_FLAG = { config: { type: 'string' } } as const;

export function cliSettings(config: string | undefined): Readonly<Settings> {
  return loadConfiguration(config ?? process.env.JG_CONFIG, process.env);
}
