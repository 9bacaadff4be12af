// jointgraph provider-check URL --name SUBGRAPH --key FILE [--json]: probes a provider with calls the
// protocol says it must refuse (docs/provider-protocol.md, "Checking your implementation") and
// reports what it accepted. Exit 0 when every probe passes, 1 when one fails, 2 when the check
// cannot run (a usage error, a key that does not load, a provider that does not answer). Its
// argument and flags are in cli/commands.ts.

import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import type { ErrorCode } from '../supergraph/errors/index.ts';
import type { CallerKey, ProbeResult } from '../supergraph/execution/index.ts';
import { PROVIDER_CHECK } from './commands.ts';
import { parseCommand } from './usage.ts';

const { positionals, values } = parseCommand(PROVIDER_CHECK);
// Loaded once the arguments are read: the help answers without them.
const { ERRORS } = await import('../supergraph/errors/index.ts');
const { checkProvider, importCallerKey } = await import('../supergraph/execution/index.ts');
const CANNOT_RUN = 2;

function stop(code: ErrorCode, message: string, json: boolean): never {
  if (json) console.log(JSON.stringify({ ok: false, code, message, hint: ERRORS[code].hint }));
  else console.error(`[${code}] ${message}\nhint: ${ERRORS[code].hint}`);
  process.exit(CANNOT_RUN);
}

async function keyFrom(file: string, json: boolean): Promise<CallerKey> {
  try {
    const jwk = JSON.parse(readFileSync(file, 'utf8')) as JWK;
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d) throw new Error('not a private Ed25519 JWK');
    return await importCallerKey(jwk);
  } catch (error) {
    return stop('CONFIG_INVALID', `--key ${file}: ${(error as Error).message}.`, json);
  }
}

function table(results: readonly ProbeResult[]): string {
  const rows = [['probe', 'expected', 'got', 'result'], ...results.map((r) => [r.probe, r.expected, r.got, r.outcome])];
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((row) => row[k]!.length)));
  return rows.map((row) => row.map((cell, k) => (k < row.length - 1 ? cell.padEnd(widths[k]!) : cell)).join('  ')).join('\n');
}

const json = values.json === true;
const url = positionals[0]!;
if (!URL.canParse(url) || !['http:', 'https:'].includes(new URL(url).protocol)) stop('CONFIG_INVALID', `${url} is no http(s) URL.`, json);

const check = await checkProvider({ url, name: values.name, key: await keyFrom(values.key, json) });
if (!check.ok) stop(check.code, check.message, json);
const count = (outcome: ProbeResult['outcome']) => check.results.filter((r) => r.outcome === outcome).length;
const summary = { pass: count('PASS'), fail: count('FAIL'), notProbed: count('NOT PROBED') };
if (json) console.log(JSON.stringify({ ok: summary.fail === 0, provider: values.name, url, summary, results: check.results }, null, 2));
else {
  console.log(`${table(check.results)}\n`);
  console.log(`Provider "${values.name}" at ${url}: ${summary.pass} passed, ${summary.fail} failed, ${summary.notProbed} not probed.`);
  if (summary.fail > 0) console.log('A FAIL is a call the provider accepted, or refused otherwise than the protocol says (docs/provider-protocol.md).');
}
process.exit(summary.fail === 0 ? 0 : 1);
