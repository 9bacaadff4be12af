// People approve, not departments: admin principals act within their roles, every decision names
// the person who made it, and the operator manages apps and keys live, without a restart.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { CONTROL_PLANE_FILE } from '../server/control-plane.ts';
import { openSqliteDatabase } from '../supergraph/stores/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeAppStore, openAppStore, readAppRegistry } from '../supergraph/identity/index.ts';
import { adminCall, APPS, applyFor } from './support/authorization.ts';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

const JWT_SECRET = 'principal-sign-in-secret-of-the-sample-idp';
const settings = sampleAuthorization({ jwtSecret: JWT_SECRET, jwtMaxLifetimeS: 600 });
let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: settings });
});
afterAll(() => platform.close());

const PERSON = { zhaoMin: 'jg-principal-zhao.min', chenJie: 'jg-principal-chen.jie', wangLi: 'jg-principal-wang.li', liuYang: 'jg-principal-liu.yang', sunHua: 'jg-principal-sun.hua' };
const TAX_FIELD = { coordinates: ['Enterprise.taxArrears'], purpose: 'tax-inspection' };
const ISSUED = 'keyId key retired { keyId notAfter }';

const asPrincipal = (token: string, query: string, variables?: Record<string, unknown>) => adminCall(platform, { token }, query, variables);
const graphql = (apiKey: string) =>
  platform.gateway.inject({
    method: 'POST', url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-jointgraph-purpose': 'licence-check' },
    payload: { query: '{ enterprises(first: 1) { name } }' },
  });

async function createApp(id: string) {
  const created = await asPrincipal(PERSON.chenJie, 'mutation($input: AppInput!) { createApp(input: $input) { id department keys { keyId } } }', {
    input: { id, name: 'Licence counter', department: 'Market Regulation Administration', roles: ['clerk'], limits: { requestsPerMinute: 600 } },
  });
  expect(created.errors).toBeUndefined();
  const issued = await asPrincipal(PERSON.chenJie, `mutation($a: String!) { issueKey(appId: $a) { ${ISSUED} } }`, { a: id });
  expect(issued.errors).toBeUndefined();
  return issued.data!.issueKey as { keyId: string; key: string };
}

describe('roles', () => {
  it('refuses an approval by a principal without the approver role with ROLE_REQUIRED', async () => {
    const { id } = await applyFor(platform, APPS.tax, TAX_FIELD);
    const refused = await asPrincipal(PERSON.sunHua, `mutation { approve(id: "${id}") { id } }`);
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'ROLE_REQUIRED', role: 'approver', hint: expect.any(String) });
    const approved = await asPrincipal(PERSON.wangLi, `mutation { approve(id: "${id}") { parties { party decision } } }`);
    expect(approved.errors).toBeUndefined();
  });

  it('lets only auditors read the audit trail, and only maintainers purge', async () => {
    expect((await asPrincipal(PERSON.wangLi, '{ recipients(coordinate: "Enterprise.taxArrears") { seq } }')).errors?.[0]?.extensions?.code).toBe('ROLE_REQUIRED');
    expect((await asPrincipal(PERSON.liuYang, '{ recipients(coordinate: "Enterprise.taxArrears") { seq } }')).errors).toBeUndefined();
    expect((await asPrincipal(PERSON.chenJie, '{ accessRecords { seq } }')).errors?.[0]?.extensions?.code).toBe('ROLE_REQUIRED');
    expect((await asPrincipal(PERSON.zhaoMin, '{ verifyAuditTrail { ok } }')).data?.verifyAuditTrail).toEqual({ ok: true });
    expect((await asPrincipal(PERSON.zhaoMin, 'mutation { purgeCache(type: "Enterprise") { removed } }')).errors?.[0]?.extensions?.code).toBe('ROLE_REQUIRED');
  });
});

describe('every decision names who made it', () => {
  it('records two people of the same party separately, in the application and on the decision trail', async () => {
    const first = await applyFor(platform, APPS.tax, { ...TAX_FIELD, purpose: 'tax-inspection/CASE-1' });
    const second = await applyFor(platform, APPS.tax, { ...TAX_FIELD, purpose: 'tax-inspection/CASE-2' });
    await asPrincipal(PERSON.wangLi, `mutation { approve(id: "${first.id}") { id } }`);
    await asPrincipal(PERSON.liuYang, `mutation { refuse(id: "${second.id}", reason: "No case file") { id } }`);
    await asPrincipal(PERSON.zhaoMin, `mutation { revoke(id: "${first.id}", reason: "Case closed") { id } }`);

    const answers = async (id: string) =>
      ((await asPrincipal(PERSON.zhaoMin, `{ application(id: "${id}") { revokedBy parties { party answeredBy } } }`)).data!.application as Record<string, unknown>);
    expect(await answers(first.id)).toEqual({ revokedBy: 'operator/zhao.min', parties: [{ party: 'operator', answeredBy: null }, { party: 'tax', answeredBy: 'tax/wang.li' }] });
    expect((await answers(second.id)).parties).toContainEqual({ party: 'tax', answeredBy: 'tax/liu.yang' });

    const trail = platform.authorization!.audit.decisions.recent(100).filter((d) => d.subject === first.id || d.subject === second.id);
    expect(trail.filter((d) => d.action !== 'apply').map((d) => [d.action, d.who, d.subject]).reverse()).toEqual([
      ['approve', 'tax/wang.li', first.id],
      ['refuse', 'tax/liu.yang', second.id],
      ['revoke', 'operator/zhao.min', first.id],
    ]);
  });
});

describe('apps and keys, live', () => {
  it('gives an app created through the admin endpoint a key that works on the next request', async () => {
    const { key } = await createApp('licence-counter');
    expect(key).toMatch(/^jg-key-/);
    const response = await graphql(key);
    expect(response.statusCode).toBe(200);
    expect(response.json().data.enterprises).toHaveLength(1);
  });

  it('refuses a revoked key on the next request, one from apps.json included', async () => {
    const { keyId, key } = await createApp('revoked-counter');
    expect((await graphql(key)).statusCode).toBe(200);
    const revoked = await asPrincipal(PERSON.chenJie, `mutation { revokeKey(appId: "revoked-counter", keyId: "${keyId}") { keyId notAfter } }`);
    expect(revoked.errors).toBeUndefined();
    expect((await graphql(key)).statusCode).toBe(401);

    expect((await graphql(APPS.nanhu)).statusCode).toBe(200);
    expect((await asPrincipal(PERSON.chenJie, 'mutation { revokeKey(appId: "nanhu-street-office", keyId: "apps.json") { keyId } }')).errors).toBeUndefined();
    expect((await graphql(APPS.nanhu)).statusCode).toBe(401);
    // Kept across a restart: the stored apps and keys are merged over apps.json.
    const database = await openSqliteDatabase({ file: join(settings.stateDir, CONTROL_PLANE_FILE) });
    const reopened = mergeAppStore(readAppRegistry(settings.appsFile), await openAppStore(database));
    expect(reopened.apps.get('nanhu-street-office')!.apiKeys[0]!.notAfter).toBeLessThanOrEqual(Date.now());
    expect(reopened.apps.get('revoked-counter')!.apiKeys.map((k) => k.id)).toEqual([keyId]);
    await database.close();
  });

  it('accepts the new key of a rotation and refuses the old one', async () => {
    const old = await createApp('rotated-counter');
    const rotated = await asPrincipal(PERSON.chenJie, `mutation { rotateKey(appId: "rotated-counter") { ${ISSUED} } }`);
    expect(rotated.errors).toBeUndefined();
    const fresh = rotated.data!.rotateKey as { key: string; retired: { keyId: string }[] };
    expect(fresh.retired.map((r) => r.keyId)).toEqual([old.keyId]);
    expect((await graphql(fresh.key)).statusCode).toBe(200);
    expect((await graphql(old.key)).statusCode).toBe(401);
  });

  it('keeps a key on record only as its digest, and its id on the decision trail', async () => {
    const { keyId, key } = await createApp('digest-counter');
    const state = readdirSync(settings.stateDir).filter((f) => f.startsWith(CONTROL_PLANE_FILE) || f.startsWith('audit.db'));
    expect(state).toContain(CONTROL_PLANE_FILE);
    for (const file of state) expect(readFileSync(join(settings.stateDir, file)).includes(key), file).toBe(false);
    const listed = JSON.stringify((await asPrincipal(PERSON.chenJie, '{ apps { id keys { keyId live } } }')).data);
    expect(listed).toContain(keyId);
    expect(listed).not.toContain(key);
    const trail = platform.authorization!.audit.decisions.recent(100).filter((d) => d.subject === 'digest-counter');
    expect(trail.map((d) => [d.action, d.who])).toEqual([['issue-key', 'operator/chen.jie'], ['create-app', 'operator/chen.jie']]);
    expect(JSON.parse(trail[0]!.detail!)).toEqual({ keyId });
  });

  it('lets only the operator’s maintainers manage apps', async () => {
    const create = 'mutation { createApp(input: { id: "rogue", department: "Taxation Bureau" }) { id } }';
    expect((await asPrincipal('jg-admin-tax', create)).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    expect((await asPrincipal(PERSON.zhaoMin, create)).errors?.[0]?.extensions?.code).toBe('ROLE_REQUIRED');
    expect((await adminCall(platform, { apiKey: APPS.tax }, 'mutation { issueKey(appId: "tax-inspection") { key } }')).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    expect((await graphql('anything')).statusCode).toBe(401);
    expect(platform.authorization!.registry.apps.has('rogue')).toBe(false);
  });
});

describe('principals managed live', () => {
  const PRINCIPAL = 'party id name kind roles';
  const create = (token: string, input: Record<string, unknown>) =>
    asPrincipal(token, `mutation($input: PrincipalInput!) { createPrincipal(input: $input) { principal { ${PRINCIPAL} } token } }`, { input });
  const whoami = (token: string) => asPrincipal(token, '{ whoami }');
  const idpToken = (subject: string, lifetime = '5m') =>
    new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(subject).setIssuer('https://idp.qinghe.example').setAudience('jointgraph')
      .setIssuedAt().setExpirationTime(lifetime).sign(new TextEncoder().encode(JWT_SECRET));

  it('creates a principal whose token works on the next request, shown once and recorded on the decision trail', async () => {
    const created = await create(PERSON.chenJie, { party: 'tax', id: 'qian.feng', name: '钱峰', kind: 'person', roles: ['approver'] });
    expect(created.errors).toBeUndefined();
    const { principal, token } = (created.data as { createPrincipal: { principal: Record<string, unknown>; token: string } }).createPrincipal;
    expect(principal).toEqual({ party: 'tax', id: 'qian.feng', name: '钱峰', kind: 'person', roles: ['approver'] });
    expect((await whoami(token)).data).toEqual({ whoami: 'tax/qian.feng' });
    const listed = JSON.stringify((await asPrincipal(PERSON.chenJie, '{ principals(party: "tax") { party id roles } }')).data);
    expect(listed).toContain('qian.feng');
    expect(listed).not.toContain(token);
    for (const file of readdirSync(settings.stateDir)) expect(readFileSync(join(settings.stateDir, file)).includes(token), file).toBe(false);
    const [decision] = platform.authorization!.audit.decisions.recent(1);
    expect(decision).toMatchObject({ action: 'create-principal', who: 'operator/chen.jie', subject: 'tax/qian.feng' });
  });

  it('lets a provider’s maintainer manage its own principals only, and refuses malformed ones', async () => {
    const taxService = 'jg-admin-tax';
    const own = await create(taxService, { party: 'tax', id: 'zhou.yi', kind: 'person', roles: ['auditor'] });
    expect(own.errors).toBeUndefined();
    expect((await create(taxService, { party: 'operator', id: 'mole', kind: 'person', roles: ['maintainer'] })).errors?.[0]?.extensions?.code).toBe('NOT_A_PARTY');
    expect((await create(PERSON.zhaoMin, { party: 'tax', id: 'x', kind: 'person', roles: ['auditor'] })).errors?.[0]?.extensions?.code).toBe('ROLE_REQUIRED');
    const invalid = [
      { party: 'tax', id: 'zhou.yi', kind: 'person', roles: ['auditor'] },
      { party: 'no such/party', id: 'a', kind: 'person', roles: ['auditor'] },
      { party: 'tax', id: 'b', kind: 'robot', roles: ['auditor'] },
      { party: 'tax', id: 'c', kind: 'person', roles: ['root'] },
      { party: 'tax', id: 'd/e', kind: 'person', roles: ['auditor'] },
      { party: 'tax', id: 'f', kind: 'person', roles: [] },
    ];
    for (const input of invalid) expect((await create(PERSON.chenJie, input)).errors?.[0]?.extensions?.code, JSON.stringify(input)).toBe('PRINCIPAL_INVALID');
  });

  it('signs a principal in with a JWT from the platform’s identity provider naming it party/id', async () => {
    expect((await whoami(await idpToken('tax/wang.li'))).data).toEqual({ whoami: 'tax/wang.li' });
    const me = await asPrincipal(await idpToken('tax/liu.yang'), '{ me { kind party id roles } }');
    expect(me.data).toEqual({ me: { kind: 'PRINCIPAL', party: 'tax', id: 'liu.yang', roles: ['approver', 'auditor'] } });
    // Unknown subject, another issuer's key, a lifetime past the limit: refused like a wrong token.
    expect((await whoami(await idpToken('tax/nobody'))).status).toBe(401);
    expect((await whoami(await idpToken('tax/wang.li', '2h'))).status).toBe(401);
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('operator/chen.jie').setIssuer('https://idp.qinghe.example')
      .setAudience('jointgraph').setExpirationTime('5m').sign(new TextEncoder().encode('not-the-platform-secret-at-all-000'));
    expect((await whoami(forged)).status).toBe(401);
    // The operator-only routes read the same credentials.
    const metrics = await platform.gateway.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${await idpToken('operator/zhao.min')}` } });
    expect(metrics.statusCode).toBe(200);
    const refused = await platform.gateway.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${await idpToken('tax/wang.li')}` } });
    expect(refused.statusCode).toBe(403);
  });

  it('refuses a removed principal on the next request, token and JWT alike, and a replaced token at once', async () => {
    const created = await create(PERSON.chenJie, { party: 'operator', id: 'temp.admin', kind: 'service', roles: ['auditor'] });
    const { token } = (created.data as { createPrincipal: { token: string } }).createPrincipal;
    const reissued = await asPrincipal(PERSON.chenJie, 'mutation { issuePrincipalToken(party: "operator", id: "temp.admin") { token } }');
    const next = (reissued.data as { issuePrincipalToken: { token: string } }).issuePrincipalToken.token;
    expect((await whoami(token)).status).toBe(401);
    expect((await whoami(next)).data).toEqual({ whoami: 'operator/temp.admin' });
    // A person from the file, signed in by JWT, removed: refused from the next request on.
    const jwt = await idpToken('tax/sun.hua');
    expect((await whoami(jwt)).data).toEqual({ whoami: 'tax/sun.hua' });
    expect((await whoami(PERSON.sunHua)).data).toEqual({ whoami: 'tax/sun.hua' });
    const removed = await asPrincipal('jg-admin-tax', 'mutation { removePrincipal(party: "tax", id: "sun.hua") { party id } }');
    expect(removed.errors).toBeUndefined();
    expect((await whoami(jwt)).status).toBe(401);
    expect((await whoami(PERSON.sunHua)).status).toBe(401);
    await asPrincipal(PERSON.chenJie, 'mutation { removePrincipal(party: "operator", id: "temp.admin") { id } }');
    expect((await whoami(next)).status).toBe(401);
    // It stays removed for a gateway that starts on the same state.
    const database = await openSqliteDatabase({ file: join(settings.stateDir, CONTROL_PLANE_FILE) });
    const reopened = mergeAppStore(readAppRegistry(settings.appsFile), await openAppStore(database));
    expect(reopened.principals.map((p) => `${p.party}/${p.id}`)).not.toContain('tax/sun.hua');
    expect(reopened.principals.map((p) => `${p.party}/${p.id}`)).toContain('tax/qian.feng');
    await database.close();
    const trail = platform.authorization!.audit.decisions.recent(10).filter((d) => d.action.endsWith('principal') || d.action === 'issue-principal-token');
    expect(trail.map((d) => [d.action, d.who, d.subject])).toContainEqual(['remove-principal', 'tax', 'tax/sun.hua']);
  });

  it('keeps the operator’s last maintainer', async () => {
    expect((await asPrincipal('jg-admin-operator', 'mutation { removePrincipal(party: "operator", id: "chen.jie") { id } }')).errors).toBeUndefined();
    const last = await asPrincipal('jg-admin-operator', 'mutation { removePrincipal(party: "operator", id: "operator") { id } }');
    expect(last.errors?.[0]?.extensions?.code).toBe('PRINCIPAL_INVALID');
    expect((await whoami('jg-admin-operator')).data).toEqual({ whoami: 'operator' });
  });
});
