import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIGURATION_DOC, FILE_SCHEMAS, fileSchemaFile, schemaFileText, SCHEMA_FILE, withReference } from '../cli/config-schema.ts';
import { startSampleProviders } from '../server/sample-platform.ts';
import { AUTHORIZATION_OFF_WARNING, serve } from '../server/serve.ts';
import type { RunningProvider } from '../subgraphs/index.ts';
import { ConfigError, loadConfiguration, loadSettings } from '../supergraph/config/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'jg-config-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
const failure = (path: string, env = {}) => {
  try {
    loadConfiguration(path, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return `[${(error as ConfigError).code}] ${(error as Error).message}`;
  }
  throw new Error('expected a CONFIG_INVALID error');
};

describe('a configuration file', () => {
  it('loads from YAML, with paths relative to the file and defaults from the schema', () => {
    const s = loadConfiguration(file('city.yaml', 'server:\n  port: 5000\n  dataDir: data\ncity:\n  persons: 1000\nauthorization:\n  mode: dry-run\n'), {});
    expect(s).toMatchObject({ port: 5000, dataDir: join(dir, 'data'), stateDir: join(dir, 'data', 'state'), city: { persons: 1000, enterprises: 200 }, authzMode: 'dry-run', host: '127.0.0.1' });
    expect(Object.isFrozen(s)).toBe(true);
  });

  it('loads from JSON, subgraphs included', () => {
    const s = loadConfiguration(file('op.json', JSON.stringify({ providers: { subgraphs: [{ name: 'tax', url: 'http://tax:4004/graphql', timeoutMs: 800 }] }, cache: { enabled: true } })), {});
    expect(s.subgraphs).toEqual([{ name: 'tax', url: 'http://tax:4004/graphql', timeoutMs: 800 }]);
    expect(s.cache).toBe(true);
  });

  it('gives way to the environment', () => {
    const s = loadConfiguration(file('env.yaml', 'server:\n  port: 5000\nauthorization:\n  mode: dry-run\n'), { JG_PORT: '6000', JG_AUTHZ_MODE: 'off', JG_EXTRA_HOLIDAYS: '2026-11-18, 2026-11-19' });
    expect(s).toMatchObject({ port: 6000, authzMode: 'off', workingCalendar: { extraHolidays: ['2026-11-18', '2026-11-19'] } });
  });

  it('agrees with the environment-only settings when empty', () => {
    const path = file('empty.yaml', '{}\n');
    expect(loadConfiguration(path, {})).toEqual({ ...loadSettings({}), configFile: path });
  });
});

describe('CONFIG_INVALID', () => {
  it('names the file, the path and the expected value for a wrong value', () => {
    const path = file('mode.yaml', 'authorization:\n  mode: strict\n');
    expect(failure(path)).toBe(`[CONFIG_INVALID] ${path}: authorization.mode: expected one of enforce, reject, dry-run, off, got "strict"`);
  });

  it('names a wrong type', () => {
    const path = file('type.yaml', 'server:\n  port: eighty\n');
    expect(failure(path)).toBe(`[CONFIG_INVALID] ${path}: server.port: expected a whole number from 0 to 65535, got "eighty"`);
  });

  it('refuses an unknown key, naming it: it is most often a typo', () => {
    const path = file('typo.yaml', 'server:\n  prot: 4000\n');
    expect(failure(path)).toMatch(new RegExp(`^\\[CONFIG_INVALID\\] ${path}: server\\.prot: unknown setting; expected one of host, port,`));
  });

  it('names a value out of range, and one inside a list', () => {
    expect(failure(file('range.yaml', 'audit:\n  checkpointRecords: 0\n'))).toMatch(/range\.yaml: audit\.checkpointRecords: expected a whole number from 1 to 1000000, got 0$/);
    expect(failure(file('list.yaml', 'providers:\n  subgraphs:\n    - { name: tax, url: "ftp://x" }\n'))).toMatch(/list\.yaml: providers\.subgraphs\[0\]\.url: expected an http\(s\) URL, got "ftp:\/\/x"$/);
    expect(failure(file('retention.yaml', 'audit:\n  retentionDays: 10\n'))).toMatch(/retention\.yaml: audit\.retentionDays: expected 0 .* or at least audit\.archiveAfterDays \(30\)/);
  });

  it('names the variable when the environment is wrong', () => {
    expect(failure(file('ok.yaml', '{}\n'), { JG_AUTHZ_MODE: 'strict' })).toBe('[CONFIG_INVALID] JG_AUTHZ_MODE: expected one of enforce, reject, dry-run, off, got "strict"');
  });

  it('names a file that is not YAML', () => {
    expect(failure(file('broken.yaml', 'server: [\n'))).toMatch(/broken\.yaml: cannot read the configuration/);
  });
});

describe('the published schema and reference', () => {
  it('config/jointgraph.schema.json is what the schema makes (npm run config:schema)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaFileText());
  });

  it('config/<file>.schema.json of the apps, labels, cache policy and subgraph list files are what their schemas make', () => {
    expect(FILE_SCHEMAS.map(({ name }) => name)).toEqual(['apps', 'labels', 'cache-policy', 'subgraphs']);
    for (const { name, schema } of FILE_SCHEMAS) expect(readFileSync(fileSchemaFile(name), 'utf8'), name).toBe(schemaFileText(schema));
  });

  it("docs/configuration.md's reference is what the schema makes, and documents every variable", () => {
    const doc = readFileSync(CONFIGURATION_DOC, 'utf8');
    expect(doc).toBe(withReference(doc));
    for (const name of ['JG_PORT', 'JG_AUTHZ_MODE', 'JG_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'JG_EXTRA_WORKDAYS']) expect(doc).toContain(`\`${name}\``);
  });
});

describe('jointgraph serve', () => {
  let providers: RunningProvider[] = [];
  beforeAll(async () => {
    providers = await startSampleProviders({ host: '127.0.0.1', subgraphBasePort: 0, dataDir: join(dir, 'providers'), city: { seed: 7, persons: 100, enterprises: 20 } });
  });
  afterAll(async () => {
    await Promise.all(providers.map((p) => p.close()));
  });

  const configuration = (name: string, extra: string) =>
    file(name, [
      `server: { port: 0, dataDir: ${JSON.stringify(join(dir, name + '.data'))} }`,
      'telemetry: { logLevel: silent }',
      'providers:',
      '  subgraphs:',
      ...providers.map((p) => `    - { name: ${p.name}, url: ${JSON.stringify(p.url)} }`),
      extra,
    ].join('\n'));
  const ask = (url: string) =>
    fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ enterprises(first: 1) { name } }' }) });

  /** Serves a configuration in front of the sample providers, runs `check` with its URL and the warnings printed, and stops. */
  async function serving(name: string, extra: string, check: (url: string, warnings: string[]) => Promise<void>) {
    const warnings: string[] = [];
    const served = await serve(loadConfiguration(configuration(name, extra), {}), { log: () => undefined, warn: (w) => warnings.push(w) });
    try {
      await check(served.url, warnings);
    } finally {
      await served.close();
    }
  }

  it('enforces labels and grants when authorization is left out: an anonymous caller is refused', () =>
    serving('enforce.yaml', '', async (url, warnings) => {
      const response = await ask(url);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
      expect(warnings).toEqual([]);
    }));

  it('serves plain federation only when told `authorization.mode: off`, and warns', () =>
    serving('off.yaml', 'authorization: { mode: off }', async (url, warnings) => {
      const response = await ask(url);
      expect(response.status).toBe(200);
      expect(((await response.json()) as { data: { enterprises: unknown[] } }).data.enterprises).toHaveLength(1);
      expect(warnings).toEqual([AUTHORIZATION_OFF_WARNING]);
    }));
});
