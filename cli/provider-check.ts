// jointgraph provider-check URL --name SUBGRAPH --key FILE [--json]: probes a provider with calls the
// protocol says it must refuse (docs/provider-protocol.md, "Checking your implementation") and
// reports what it accepted. Exit 0 when every probe passes, 1 when one fails, 2 when the check
// cannot run (a usage error, a key that does not load, a provider that does not answer).

import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { JWK } from 'jose';
import { ERRORS, type ErrorCode } from '../supergraph/errors/index.ts';
import { checkProvider, importCallerKey, type CallerKey, type ProbeResult } from '../supergraph/execution/index.ts';

const USAGE = `usage: jointgraph provider-check URL --name SUBGRAPH --key FILE [--json]
  URL        the provider's GraphQL endpoint, as the gateway calls it (http://tax.internal:4004/graphql)
  --name     its subgraph name, the audience of the assertions it accepts (tax)
  --key      a private Ed25519 JWK the provider trusts as it trusts the gateway's (the operator's registry key)
  --json     the report as JSON`;
const USAGE_EXIT = 2;

function stop(code: ErrorCode, message: string, json: boolean): never {
  if (json) console.log(JSON.stringify({ ok: false, code, message, hint: ERRORS[code].hint }));
  else console.error(`[${code}] ${message}\n${code === 'CONFIG_INVALID' ? USAGE : `hint: ${ERRORS[code].hint}`}`);
  process.exit(USAGE_EXIT);
}

function parsed() {
  try {
    return parseArgs({ options: { name: { type: 'string' }, key: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    return stop('CONFIG_INVALID', `${(error as Error).message.split('. ')[0]}.`, process.argv.includes('--json'));
  }
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

const { positionals, values } = parsed();
const json = values.json === true;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [url, ...extra] = positionals;
if (!url || extra.length > 0 || !values.name || !values.key) stop('CONFIG_INVALID', 'Name one provider URL, its --name and a --key file.', json);
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
