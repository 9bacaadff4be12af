// The access audit trail replicas share on PostgreSQL: records written through any replica are found
// and verified through any other, and a replica killed (SIGKILL) under load leaves every request it
// answered recorded: no answer left before its record was durable. Runs against the PostgreSQL at
// 127.0.0.1:5432 (database `test`), in schemas of its own dropped at the end: skipped, with the
// reason printed, where none answers; failed instead when JG_REQUIRE_SERVICES=1 (as CI runs it).

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../bench/measure/child.ts';
import { platformKeys, serveSupergraph, startSampleProviders, type ServedSupergraph } from '../server/sample-platform.ts';
import type { RunningProvider } from '../subgraphs/index.ts';
import { openSigningKey } from '../supergraph/audit/index.ts';
import { callerKeyFile, exportCallerKey, generateCallerKey } from '../supergraph/execution/index.ts';
import { adminCall, answer, applyFor, APPS } from './support/authorization.ts';
import { sampleAuthorization, SMALL_CITY, startTestPlatform, tempDataDir, type TestPlatform } from './support/platform.ts';
import { POSTGRES_URL, postgresForTests } from './support/postgres.ts';
import { watchOutput } from './support/process-output.ts';

const available = await postgresForTests('test/postgres-audit-replicas.test.ts');

const schemaName = () => `jg_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
const AUDITOR = { token: 'jg-principal-zhao.min' };
const OPERATOR = { token: 'jg-admin-operator' };
const run = promisify(execFile);
const QUERY = '{ enterprises(first: 1) { name } }';
const RECORD = 'requestId replica cursor seq appId outcome status';
const GATEWAY = { defaultTimeoutMs: 5_000, healthTimeoutMs: 1_000, bodyLimitBytes: 1 << 20 };

const on = (gateway: FastifyInstance) => ({ gateway }) as TestPlatform;
const ask = (gateway: FastifyInstance, requestId: string) =>
  gateway.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-1', 'x-request-id': requestId },
    payload: { query: QUERY },
  });
const search = async (gateway: FastifyInstance, args: string) => {
  const result = await adminCall(on(gateway), AUDITOR, `{ accessRecords(${args}) { ${RECORD} } }`);
  expect(result.errors).toBeUndefined();
  return result.data!.accessRecords as { requestId: string; replica: string; cursor: string; status: number }[];
};
const verified = async (gateway: FastifyInstance) =>
  (await adminCall(on(gateway), AUDITOR, '{ verifyAuditTrail { ok records brokenAtSeq problem replica } }')).data!.verifyAuditTrail as { ok: boolean; records: number };

describe.skipIf(!available)('the access audit trail shared on PostgreSQL', () => {
  const schemas: string[] = [];
  let admin: pg.Client;
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
  });
  afterAll(async () => {
    for (const schema of schemas) await admin?.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await admin?.end();
  });

  describe('replicas in one process', () => {
    const schema = schemaName();
    schemas.push(schema);
    let a: TestPlatform;
    let b: ServedSupergraph;
    let c: ServedSupergraph;
    // One operator, one audit key: every replica signs the cross-chain checkpoints with it.
    const keyFile = join(tempDataDir(), 'keys', 'audit-signing.pem');
    const callerJwk = generateCallerKey().then(exportCallerKey);
    beforeAll(async () => {
      const authorization = () =>
        sampleAuthorization({ postgres: { url: POSTGRES_URL, schema }, auditSigning: { keyFile, everyRecords: 1_000, everySeconds: 1 } });
      a = await startTestPlatform({ callerJwk: await callerJwk, authorization: authorization() });
      const replica = async () => serveSupergraph(a.providers, { authorization: authorization(), gateway: GATEWAY, callerJwk: await callerJwk });
      [b, c] = await Promise.all([replica(), replica()]);
    }, 60_000);
    afterAll(async () => {
      await b?.close();
      await c?.close();
      await a?.close();
    });

    it('finds through C the records written through A and B, pages across their chains, and verifies through every replica', async () => {
      const run = randomUUID();
      const from = new Date().toISOString();
      const ids = [...Array(6).keys()].map((i) => `${run}-${i}`);
      const statuses = await Promise.all(ids.map(async (id, i) => (await ask((i % 2 === 0 ? a : b).gateway, id)).statusCode));
      expect(statuses).toEqual(ids.map(() => 200));

      for (const id of ids) expect(await search(c.gateway, `requestId: "${id}"`)).toEqual([expect.objectContaining({ requestId: id, status: 200, outcome: 'OK' })]);
      const found = (await Promise.all(ids.map((id) => search(c.gateway, `requestId: "${id}"`)))).flat();
      expect(new Set(found.map((r) => r.replica)).size).toBe(2);

      // Page by page, newest first, across both chains: every record once.
      const paged: string[] = [];
      let before = '';
      for (;;) {
        const page = await search(c.gateway, `appId: "tax-inspection", from: "${from}", last: 4${before}`);
        paged.push(...page.map((r) => r.requestId).filter((id) => id.startsWith(run)));
        if (page.length < 4) break;
        before = `, beforeCursor: ${JSON.stringify(page.at(-1)!.cursor)}`;
      }
      expect(paged.sort()).toEqual([...ids].sort());

      for (const replica of [a.gateway, b.gateway, c.gateway]) expect(await verified(replica)).toMatchObject({ ok: true, records: expect.any(Number) });
      expect((await verified(c.gateway)).records).toBeGreaterThanOrEqual(ids.length);
      expect((await adminCall(on(c.gateway), AUDITOR, '{ accessRecords(beforeCursor: "17") { seq } }')).errors?.[0]?.extensions?.code).toBe('APPLICATION_INVALID');
    });

    it('keeps the decisions taken through A, B and C on one decision chain, which any replica verifies', async () => {
      const since = Number((await admin.query(`SELECT coalesce(max(seq), 0) AS seq FROM ${schema}.decision_record`)).rows[0].seq);
      const application = await applyFor(a, APPS.tax, { coordinates: ['Enterprise.insuredEmployees'], purpose: 'tax-inspection' });
      for (const { party } of application.parties) expect((await answer(on(b.gateway), party, application.id, 'approve')).errors).toBeUndefined();
      const appId = `decided-${randomUUID().slice(0, 8)}`;
      expect((await adminCall(on(c.gateway), OPERATOR, `mutation { createApp(input: { id: "${appId}", department: "Taxation Bureau" }) { id } }`)).errors).toBeUndefined();

      const rows = (await admin.query(`SELECT seq, action, subject, replica_id FROM ${schema}.decision_record WHERE seq > $1 ORDER BY seq`, [since])).rows;
      expect(rows.map((r) => [r.action, r.subject])).toEqual([
        ['apply', application.id], ...application.parties.map(() => ['approve', application.id]), ['create-app', appId],
      ]);
      expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => since + i + 1));
      expect(new Set(rows.map((r) => r.replica_id)).size).toBe(3);
      for (const replica of [a.gateway, b.gateway, c.gateway]) expect(await verified(replica)).toMatchObject({ ok: true });

      // A decision edited in the store: named as such by any replica.
      const edited = Number(rows[1].seq);
      const { who } = (await admin.query(`SELECT who FROM ${schema}.decision_record WHERE seq = $1`, [edited])).rows[0];
      await admin.query(`UPDATE ${schema}.decision_record SET who = 'tax/someone.else' WHERE seq = $1`, [edited]);
      try {
        expect(await verified(a.gateway)).toMatchObject({ ok: false, brokenAtSeq: edited, problem: 'decision-edited' });
      } finally {
        await admin.query(`UPDATE ${schema}.decision_record SET who = $2 WHERE seq = $1`, [edited, who]);
      }
      expect(await verified(c.gateway)).toMatchObject({ ok: true });
    });

    it('does not start a replica holding another audit key, and leaves no key of its making behind', async () => {
      const strayKey = join(tempDataDir(), 'keys', 'audit-signing.pem');
      const stranger = serveSupergraph(a.providers, {
        authorization: sampleAuthorization({ postgres: { url: POSTGRES_URL, schema }, auditSigning: { keyFile: strayKey, everyRecords: 1_000, everySeconds: 1 } }),
        gateway: GATEWAY,
        callerJwk: await callerJwk,
      });
      await expect(stranger).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringMatching(/^JG_AUDIT_KEY_FILE: this replica's audit signing key \(id \w+\) is not the one the shared trail/) });
      expect(existsSync(strayKey)).toBe(false);
      expect(existsSync(strayKey.replace(/\.pem$/, '.pub.pem'))).toBe(false);
      // The operator's own key, used by the replicas, is untouched.
      expect(existsSync(keyFile)).toBe(true);
    });

    it('is verified, and a checkpoint of it exported and checked elsewhere, by the audit CLIs given the shared store', async () => {
      const env = { ...process.env, JG_POSTGRES_URL: POSTGRES_URL, JG_POSTGRES_SCHEMA: schema, JG_AUDIT_KEY_FILE: keyFile };
      const cli = (script: string, args: string[] = [], extra: Record<string, string> = {}) =>
        run(process.execPath, [`dist/cli/${script}.js`, ...args], { env: { ...env, ...extra } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
      for (const [i, replica] of [a.gateway, b.gateway].entries()) expect((await ask(replica, `cli-${randomUUID()}-${i}`)).statusCode).toBe(200);
      const ok = await cli('audit-verify');
      expect(ok).toMatchObject({ stdout: expect.stringMatching(/^OK: \d+ access records in [23] replica chains .* and \d+ decision records, hash chains intact/) });
      expect(ok.stdout).toMatch(/Signed: \d+ checkpoints? verify with the public key/);
      expect(ok.stdout).toMatch(/Copies outside the store: [1-9]\d* checkpoints?/);

      const out = join(tempDataDir(), 'checkpoint.json');
      expect((await cli('audit-export', ['--out', out])).stdout).toMatch(/^Exported checkpoint \d+ of the shared trail/);
      // Elsewhere: no key folder, only the exported checkpoint and its public key.
      const elsewhere = await cli('audit-verify', ['--checkpoint', out], { JG_AUDIT_KEY_FILE: join(tempDataDir(), 'keys', 'absent.pem') });
      expect(elsewhere.stdout).toMatch(/Copies outside the store: 1 checkpoint .*and the exported one/);

      const [row] = (await admin.query(`SELECT replica_id, seq, purpose FROM ${schema}.audit_record ORDER BY at DESC LIMIT 1`)).rows;
      await admin.query(`UPDATE ${schema}.audit_record SET purpose = 'tax-inspection/OTHER' WHERE replica_id = $1 AND seq = $2`, [row.replica_id, row.seq]);
      try {
        expect(await cli('audit-verify')).toMatchObject({ code: 1, stderr: expect.stringContaining(`[AUDIT_CHAIN_BROKEN] replica ${row.replica_id}, record ${row.seq}: edited`) });
      } finally {
        await admin.query(`UPDATE ${schema}.audit_record SET purpose = $3 WHERE replica_id = $1 AND seq = $2`, [row.replica_id, row.seq, row.purpose]);
      }
      const away = await cli('audit-verify', [], { JG_POSTGRES_URL: `postgres://postgres@127.0.0.1:${await freePort()}/test` });
      expect(away).toMatchObject({ code: 1, stderr: expect.stringMatching(/^\[STORE_UNAVAILABLE\] PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/test cannot be reached/) });

      // A schema without the trail is never created by the CLIs: with no copies it is a wrong name;
      // with copies beside the key naming records, a wiped trail.
      const absent = schemaName();
      const noKeyFolder = { JG_POSTGRES_SCHEMA: absent, JG_AUDIT_KEY_FILE: join(tempDataDir(), 'keys', 'absent.pem') };
      expect(await cli('audit-verify', [], noKeyFolder)).toMatchObject({ code: 1, stderr: expect.stringMatching(new RegExp(`^\\[CONFIG_INVALID\\] stores.postgresSchema: no audit trail in schema ${absent} `)) });
      expect(await cli('audit-export', ['--out', join(tempDataDir(), 'x.json')], { JG_POSTGRES_SCHEMA: absent })).toMatchObject({ code: 1, stderr: expect.stringContaining(`no audit trail in schema ${absent}`) });
      expect(await cli('audit-verify', [], { JG_POSTGRES_SCHEMA: absent })).toMatchObject({ code: 1, stderr: expect.stringMatching(new RegExp(`^\\[AUDIT_CHAIN_BROKEN\\] schema ${absent}: wiped — it holds no trail, but \\d+ checkpoints? kept beside the key`)) });
      expect((await admin.query('SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1', [absent])).rows[0].n).toBe(0);
    });
  });

  describe('a provider stopped under load, two replicas on the shared trail', () => {
    const schema = schemaName();
    schemas.push(schema);
    let a: TestPlatform;
    let b: ServedSupergraph;
    beforeAll(async () => {
      const callerJwk = await exportCallerKey(await generateCallerKey());
      const keyFile = join(tempDataDir(), 'keys', 'audit-signing.pem');
      const authorization = () => sampleAuthorization({ postgres: { url: POSTGRES_URL, schema }, auditSigning: { keyFile, everyRecords: 1_000, everySeconds: 1 } });
      a = await startTestPlatform({ callerJwk, authorization: authorization(), gateway: { defaultTimeoutMs: 1_000 } });
      b = await serveSupergraph(a.providers, { authorization: authorization(), gateway: { ...GATEWAY, defaultTimeoutMs: 1_000 }, callerJwk });
    }, 60_000);
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('answers every request, the rest of the data with the stopped provider coded, and records what each answer carried, nothing more', async () => {
      // Two providers per answer: enterprise (names) and tax (the rating); tax stops part-way.
      const query = '{ enterprises(first: 2) { name taxCreditRating } }';
      const tax = a.providers.find((p) => p.name === 'tax')!;
      const run = randomUUID();
      const answers: { id: string; status: number; body: { data?: { enterprises: { name: string; taxCreditRating: string | null }[] }; errors?: { extensions?: { code?: string } }[] } }[] = [];
      let sent = 0;
      const TOTAL = 240;
      const worker = async (w: number) => {
        while (sent < TOTAL) {
          const id = `${run}-${sent++}`;
          if (sent === TOTAL / 3) void tax.close();
          const response = await (w % 2 === 0 ? a.gateway : b.gateway).inject({
            method: 'POST', url: '/graphql',
            headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-1', 'x-request-id': id },
            payload: { query },
          });
          answers.push({ id, status: response.statusCode, body: response.json() });
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));

      expect(answers).toHaveLength(TOTAL);
      expect(new Set(answers.map((r) => r.status))).toEqual(new Set([200]));
      const partial = answers.filter((r) => r.body.errors);
      const whole = answers.filter((r) => !r.body.errors);
      expect(partial.length).toBeGreaterThan(TOTAL / 3);
      expect(whole.length).toBeGreaterThan(0);
      for (const r of whole) expect(r.body.data!.enterprises.every((e) => e.taxCreditRating !== null)).toBe(true);
      for (const r of partial) {
        expect(r.body.data!.enterprises.map((e) => e.name).every(Boolean)).toBe(true);
        expect(r.body.data!.enterprises.every((e) => e.taxCreditRating === null)).toBe(true);
        expect(['SUBGRAPH_UNAVAILABLE', 'SUBGRAPH_CIRCUIT_OPEN', 'SUBGRAPH_TIMEOUT']).toContain(r.body.errors![0]!.extensions!.code);
      }

      // Every answer on the trail, through either replica, saying what it carried.
      const records = await search(b.gateway, `purpose: "tax-inspection/CASE-1", last: 1000`) as unknown as { requestId: string; outcome: string; status: number }[];
      const byId = new Map(records.filter((r) => r.requestId.startsWith(run)).map((r) => [r.requestId, r]));
      expect(byId.size).toBe(TOTAL);
      for (const r of whole) expect(byId.get(r.id)).toMatchObject({ outcome: 'OK', status: 200 });
      for (const r of partial) expect(byId.get(r.id)).toMatchObject({ outcome: 'PARTIAL', status: 200 });
      const returned = await adminCall(on(a.gateway), AUDITOR, `{ accessRecords(requestId: "${partial.at(-1)!.id}") { returned providers } }`);
      expect(returned.data!.accessRecords).toEqual([{ returned: ['Enterprise.name', 'Query.enterprises'], providers: ['enterprise', 'tax'] }]);
      expect(await verified(a.gateway)).toMatchObject({ ok: true });
    }, 120_000);
  });

  describe('three replica processes, one killed under load', () => {
    const schema = schemaName();
    schemas.push(schema);
    const dataDir = tempDataDir();
    const replicas = new Map<string, { process: ChildProcess; url: string }>();
    let providers: RunningProvider[] = [];

    const startReplica = async (id: string, configFile: string) => {
      const port = await freePort();
      const child = spawn(process.execPath, [new URL('../cli/jointgraph.mjs', import.meta.url).pathname, 'serve', '--config', configFile], {
        cwd: dataDir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          JG_PORT: String(port), JG_STATE_DIR: join(dataDir, 'data', `state-${id}`), JG_REPLICA_ID: id,
          JG_POSTGRES_URL: POSTGRES_URL, JG_POSTGRES_SCHEMA: schema, JG_AUDIT_CHECKPOINT_SECONDS: '1',
        },
      });
      await watchOutput(child).printed(/JointGraph gateway ready/, `replica ${id} did not start`);
      replicas.set(id, { process: child, url: `http://127.0.0.1:${port}` });
    };

    beforeAll(async () => {
      // The gateway's signing key, which the providers trust, and the operator's audit key exist before any replica starts: all three share them.
      const { key } = await callerKeyFile(join(dataDir, 'data', 'keys', 'gateway-signing.jwk'));
      openSigningKey(join(dataDir, 'data', 'keys', 'audit-signing.pem'));
      const { trust } = await platformKeys({ callerJwk: await exportCallerKey(key), dataDir: join(dataDir, 'providers') });
      providers = await startSampleProviders({ host: '127.0.0.1', subgraphBasePort: 0, dataDir: join(dataDir, 'providers'), city: SMALL_CITY, trust });
      const configFile = join(dataDir, 'replica.yaml');
      writeFileSync(configFile, [
        'server: { host: 127.0.0.1, dataDir: ./data }',
        'telemetry: { logLevel: silent }',
        'providers:',
        '  subgraphs:',
        ...providers.map((p) => `    - { name: ${p.name}, url: ${JSON.stringify(p.url)} }`),
        'authorization:',
        `  appsFile: ${JSON.stringify(new URL('../supergraph/apps.json', import.meta.url).pathname)}`,
        `  labelsFile: ${JSON.stringify(new URL('../supergraph/labels.json', import.meta.url).pathname)}`,
      ].join('\n'));
      // One first, migrating the schema; the other two together.
      await startReplica('replica-a', configFile);
      await Promise.all(['replica-b', 'replica-c'].map((id) => startReplica(id, configFile)));
    }, 120_000);
    afterAll(async () => {
      for (const { process: child } of replicas.values()) {
        if (child.exitCode !== null || child.signalCode !== null) continue;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      await Promise.all(providers.map((p) => p.close()));
    });

    it('keeps the record of every answered request when a replica is killed mid-load, and the trail verifies across replicas', async () => {
      const answered: { id: string; replica: string }[] = [];
      const killed = replicas.get('replica-b')!.process;
      let stop = false;
      // Set once the victim is gone: the answers the survivors must give after it, before the load stops.
      let afterKill: { count: number; reached(): void } | undefined;
      /** Requests one after another through one replica, until stopped or the replica is gone. */
      const client = async (replica: string, worker: number) => {
        const { url } = replicas.get(replica)!;
        for (let n = 0; !stop; n++) {
          const id = `${replica}/${worker}/${n}`;
          try {
            const response = await fetch(`${url}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-api-key': APPS.tax, 'x-jointgraph-purpose': 'tax-inspection/CASE-9', 'x-request-id': id },
              body: JSON.stringify({ query: QUERY }),
            });
            const body = (await response.json()) as { data?: unknown };
            if (response.status === 200 && body.data) answered.push({ id, replica });
            if (afterKill && answered.length >= afterKill.count) afterKill.reached();
            // Mid-load, the moment the victim's 50th answer arrives: an answer sent ahead of its record would be lost now.
            if (replica === 'replica-b' && answered.filter((r) => r.replica === replica).length === 50) killed.kill('SIGKILL');
          } catch {
            // The killed replica: its connections reset; what it never answered need not be recorded.
            if (replicas.get(replica)!.process.signalCode === 'SIGKILL') return;
          }
        }
      };
      const load = [...replicas.keys()].flatMap((replica) => [...Array(replica === 'replica-b' ? 8 : 4).keys()].map((worker) => client(replica, worker)));
      await once(killed, 'exit');
      await new Promise<void>((reached) => (afterKill = { count: answered.length + 100, reached }));
      stop = true;
      await Promise.all(load);

      const fromKilled = answered.filter((r) => r.replica === 'replica-b');
      expect(fromKilled.length).toBeGreaterThanOrEqual(50);
      // Every answer has its record, in the chain of the replica that answered.
      const rows = (await admin.query(`SELECT request_id, replica_id FROM ${pg.escapeIdentifier(schema)}.audit_record WHERE request_id = ANY($1)`, [answered.map((r) => r.id)])).rows;
      const recorded = new Map(rows.map((r) => [r.request_id as string, r.replica_id as string]));
      expect(answered.filter((r) => recorded.get(r.id) !== r.replica)).toEqual([]);

      // Found through a surviving replica's audit search, and verified through both survivors.
      const adminOf = async (replica: string, query: string) => {
        const response = await fetch(`${replicas.get(replica)!.url}/admin/graphql`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${AUDITOR.token}` }, body: JSON.stringify({ query }),
        });
        return ((await response.json()) as { data: Record<string, unknown> }).data;
      };
      const last = fromKilled.at(-1)!;
      expect((await adminOf('replica-c', `{ accessRecords(requestId: "${last.id}") { ${RECORD} } }`)).accessRecords).toEqual([
        expect.objectContaining({ requestId: last.id, replica: 'replica-b', status: 200 }),
      ]);
      for (const replica of ['replica-a', 'replica-c']) {
        expect((await adminOf(replica, '{ verifyAuditTrail { ok records brokenAtSeq problem replica } }')).verifyAuditTrail).toMatchObject({ ok: true, problem: null });
      }
    }, 120_000);
  });
});
