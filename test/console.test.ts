// The console and GraphiQL end to end, in headless Chromium against a gateway on a real port:
// a joint approval across three sign-ins, an objection filed and answered, an audit search, an
// app and its key, a publication approved, keyboard use and labels, and GraphiQL with everything
// outside this machine refused. Each flow leaves screenshots of its main pages in console/screenshots for docs/operator.md.

import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, applyFor, APPS, asApp, grant } from './support/authorization.ts';
import { isolatedContext, launchBrowser, screenshot, type IsolatedContext } from './support/browser.ts';
import { queryProvider, sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';
import { consoleRoutes } from '../supergraph/gateway/console-routes.ts';

let platform: TestPlatform;
let browser: Browser;
let base: string;
const contexts: IsolatedContext[] = [];
/** How far the gateway's clock is set back: an application filed meanwhile is filed in the past. */
let clockBack = 0;

beforeAll(async () => {
  const authorization = sampleAuthorization({ registry: { requireOperatorApproval: true, usageWindowDays: 90 }, now: () => new Date(Date.now() - clockBack) });
  [platform, browser] = await Promise.all([startTestPlatform({ authorization }), launchBrowser()]);
  await platform.gateway.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(platform.gateway.server.address() as AddressInfo).port}`;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await platform?.close();
});

/** A fresh browser context (its own session storage) signed in to the console with one credential. */
async function signIn(credential: { token: string } | { key: string; purpose?: string }): Promise<Page> {
  const isolated = await isolatedContext(browser);
  contexts.push(isolated);
  const page = await isolated.newPage();
  await page.goto(`${base}/console`);
  if ('key' in credential) {
    await page.getByLabel('凭据类型').selectOption('key');
    await page.getByLabel('凭据', { exact: true }).fill(credential.key);
    if (credential.purpose) await page.getByLabel('用途').fill(credential.purpose);
  } else {
    await page.getByLabel('凭据', { exact: true }).fill(credential.token);
  }
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('who').waitFor();
  return page;
}

/** A /graphql request of an app with its own x-request-id, as the audit trail records it. */
async function askWithRequestId(apiKey: string, purpose: string, requestId: string, query: string): Promise<number> {
  const response = await platform.gateway.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'x-jointgraph-purpose': purpose, 'x-request-id': requestId },
    payload: { query },
  });
  return response.statusCode;
}

/** The controls of a page with no label, no aria-label and (for a button) no text. */
const unlabelled = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent!.trim())))
      .map((el) => el.outerHTML),
  );

/** The request ids in the rows of a table of access records. */
const requestIds = (table: Locator) => table.locator('tbody td:nth-child(3)').allTextContents();

/** The POST of an operation whose text contains `marker`, and its parsed answer. */
async function answerTo(page: Page, endpoint: string, marker: string, trigger: () => Promise<void>) {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(endpoint) && r.request().method() === 'POST' && (r.request().postData() ?? '').includes(marker)),
    trigger(),
  ]);
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] };
}

/** Opens GraphiQL with a query in its editor, waits for it to read the schema, runs the query and returns the answer. */
async function runInGraphiql(page: Page, path: string, query: string, marker: string) {
  const endpoint = path === '/graphiql' ? '/graphql' : '/admin/graphql';
  await answerTo(page, endpoint, 'IntrospectionQuery', async () => {
    await page.goto(`${base}${path}?query=${encodeURIComponent(query)}`);
  });
  // The editors load their CodeMirror chunks after the first render; until then the run button does nothing.
  await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
  return answerTo(page, endpoint, marker, () => page.locator('.graphiql-execute-button').click());
}

const TAX_QUERY = '{ enterprises(first: 1) { creditCode taxArrears } }';

// Generous: under the whole suite on two cores a flow takes several times its time alone.
describe('the console', { timeout: 60_000 }, () => {
  it('takes an application through the requester, the provider and the operator, after which GraphiQL returns the field', async () => {
    const requester = await signIn({ key: APPS.tax, purpose: 'tax-inspection/CASE-2026-0042' });
    await requester.getByLabel('按字段、类别或提供方搜索').fill('taxArrears');
    await requester.getByLabel('选择字段 Enterprise.taxArrears').check();
    await requester.getByLabel('用途', { exact: true }).fill('tax-inspection');
    await requester.getByLabel('依据').fill('《税收征收管理法》第五十四条：欠税核查');
    await requester.getByLabel('有效期至').fill('2099-12-31');
    await screenshot(requester, 'requester-catalogue');
    await requester.getByRole('button', { name: '提交申请' }).click();
    const id = (await requester.getByRole('status').locator('code').textContent())!;
    const denied = await runInGraphiql(requester, '/graphiql', TAX_QUERY, 'taxArrears');
    expect(denied.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN_FIELD']);
    const pane = requester.getByRole('region', { name: '未授权字段 · Denied' });
    await pane.getByText('Enterprise.taxArrears').waitFor();
    // Laid out beside the query, not merely in the document (GraphiQL parks hidden panes off-screen).
    await expect.poll(async () => (await pane.boundingBox())?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect(await pane.textContent()).toContain('NO_GRANT');
    await screenshot(requester, 'graphiql-denied');
    const filed = await adminCall(platform, { token: 'jg-admin-operator' }, `{ application(id: "${id}") { coordinates parties { party } } }`);
    expect(filed.data?.application).toEqual({ coordinates: ['Enterprise.taxArrears'], parties: expect.arrayContaining([{ party: 'tax' }, { party: 'operator' }]) });

    for (const token of ['jg-principal-wang.li', 'jg-principal-zhao.min']) {
      const party = await signIn({ token });
      const row = party.getByRole('row').filter({ hasText: id });
      await row.getByRole('button', { name: '批准' }).waitFor();
      if (token === 'jg-principal-wang.li') await screenshot(party, 'provider-inbox');
      await row.getByLabel('意见 / 理由').fill('符合法定职责');
      await row.getByRole('button', { name: '批准' }).click();
      await party.getByRole('table', { name: '待审批' }).getByText(id).waitFor({ state: 'detached' });
      if (token === 'jg-principal-zhao.min') await party.getByRole('table', { name: '授权' }).getByText(id).waitFor();
    }

    await requester.goto(`${base}/console#/applications`);
    await expect.poll(() => requester.getByTestId(`status-${id}`).textContent()).toBe('ACTIVE');
    await screenshot(requester, 'requester-applications');
    const answer = await runInGraphiql(requester, '/graphiql', TAX_QUERY, 'taxArrears');
    expect(answer.errors).toBeUndefined();
    const [enterprise] = answer.data!.enterprises as { taxArrears: unknown }[];
    expect(typeof enterprise!.taxArrears).toBe('number');
    await requester.locator('.result-window').getByText('taxArrears').waitFor();
    await screenshot(requester, 'graphiql');
    // The key lives in this tab's session only: neither GraphiQL's saved history nor a cookie holds it.
    expect(await requester.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(APPS.tax);
    expect(await requester.context().cookies()).toEqual([]);
  });

  it('shows an objection the requester filed, the provider’s answer, and the answer back to the requester', async () => {
    const received = await asApp(platform, APPS.assistance, 'social-assistance')('{ enterprises(first: 1, offset: 3) { creditCode name } }');
    const creditCode = (received.data!.enterprises as { creditCode: string }[])[0]!.creditCode;

    const requester = await signIn({ key: APPS.assistance });
    await requester.goto(`${base}/console#/objections`);
    await requester.getByLabel('字段', { exact: true }).fill('Enterprise.name');
    await requester.getByLabel('实体标识（信用代码或身份证号）').fill(creditCode);
    await requester.getByLabel('收到的值').fill('旧名称');
    await requester.getByLabel('说明').fill('企业已于上月更名，名称未更新');
    await requester.getByRole('button', { name: '提交异议' }).click();
    const row = requester.getByRole('row').filter({ hasText: creditCode });
    await expect.poll(() => row.locator('[data-testid^="objection-"]').textContent()).toBe('OPEN');
    const id = (await row.locator('code').first().textContent())!;

    const provider = await signIn({ token: 'jg-admin-enterprise' });
    await provider.goto(`${base}/console#/objections`);
    const form = provider.getByRole('form', { name: `答复 ${id}` });
    await form.getByLabel('处理结论').selectOption('REJECTED');
    await form.getByLabel('理由').fill('登记机关记录的名称未变更');
    await screenshot(provider, 'provider-objections');
    await form.getByRole('button', { name: '答复' }).click();
    await expect.poll(() => provider.getByTestId(`objection-${id}`).textContent()).toBe('REJECTED');

    await requester.reload();
    await expect.poll(() => requester.getByTestId(`objection-${id}`).textContent()).toBe('REJECTED');
    await expect(requester.getByRole('row').filter({ hasText: id }).textContent()).resolves.toContain('登记机关记录的名称未变更');
    expect(await requester.getByRole('row').filter({ hasText: id }).textContent()).not.toContain('旧名称');
    await screenshot(requester, 'requester-objections');
  });

  it('finds a request by its x-request-id in the audit search the endpoint runs, beside an intact hash chain; the provider sees it among its recipients', async () => {
    const purpose = 'tax-inspection/CASE-CONSOLE-7';
    expect(await askWithRequestId(APPS.tax, purpose, 'console-audit-7', '{ enterprises(first: 2) { name status } }')).toBe(200);
    expect(await askWithRequestId(APPS.assistance, 'social-assistance', 'console-audit-8', '{ enterprises(first: 1) { name } }')).toBe(200);

    const operator = await signIn({ token: 'jg-principal-zhao.min' });
    await operator.goto(`${base}/console#/audit`);
    await expect.poll(() => operator.getByTestId('audit-chain').textContent()).toContain('完整');
    const search = operator.getByRole('form', { name: '审计记录检索' });
    const results = operator.getByRole('table', { name: /^审计记录检索 · 第 1 页: / });
    // The newest page at once, both requests on it.
    await expect.poll(() => requestIds(results)).toEqual(expect.arrayContaining(['console-audit-8', 'console-audit-7']));

    const [asked] = await Promise.all([
      operator.waitForRequest((r) => r.url().endsWith('/admin/graphql') && (r.postData() ?? '').includes('console-audit-7')),
      search.getByLabel('请求编号').fill('console-audit-7').then(() => search.getByRole('button', { name: '查询' }).click()),
    ]);
    // Filtered by the endpoint, not in the browser.
    expect(JSON.parse(asked.postData()!).variables).toMatchObject({ requestId: 'console-audit-7', app: null });
    await expect.poll(() => requestIds(results)).toEqual(['console-audit-7']);
    const text = await results.textContent();
    expect(text).toContain(purpose);
    expect(text).toContain('Enterprise.name, Enterprise.status');

    await search.getByLabel('请求编号').fill('');
    await search.getByLabel('用途（用途代码或完整用途）').fill('tax-inspection/CASE-CONSOLE-8');
    await search.getByRole('button', { name: '查询' }).click();
    await operator.getByRole('table', { name: '审计记录检索 · 第 1 页: 0 条记录' }).waitFor();
    await search.getByLabel('用途（用途代码或完整用途）').fill(purpose);
    await search.getByLabel('应用').fill('tax-inspection');
    await search.getByLabel('字段').fill('Enterprise.status');
    await search.getByLabel('提供方').fill('enterprise');
    await search.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => requestIds(results)).toEqual(['console-audit-7']);
    await screenshot(operator, 'operator-audit');

    const provider = await signIn({ token: 'jg-admin-enterprise' });
    await provider.goto(`${base}/console#/recipients`);
    const recipients = provider.getByRole('form', { name: '谁收到了我的字段' });
    await recipients.getByLabel('字段').selectOption('Enterprise.status');
    await recipients.getByRole('button', { name: '查询' }).click();
    const received = provider.getByRole('table', { name: '谁收到了我的字段: Enterprise.status' });
    await received.getByText(purpose).waitFor();
    expect(await received.textContent()).toContain('console-audit-7');
    await screenshot(provider, 'provider-recipients');
  });

  it('lists a requester’s own access records page by page, and none of another app’s', async () => {
    for (const n of [1, 2, 3]) expect(await askWithRequestId(APPS.tax, 'tax-inspection/CASE-MINE', `console-mine-${n}`, '{ enterprises(first: 1) { name } }')).toBe(200);
    expect(await askWithRequestId(APPS.assistance, 'social-assistance', 'console-other-1', '{ enterprises(first: 1) { name } }')).toBe(200);

    const requester = await signIn({ key: APPS.tax });
    await requester.goto(`${base}/console#/records`);
    const search = requester.getByRole('form', { name: '我的访问记录' });
    const page = (n: number) => requester.getByRole('table', { name: new RegExp(`^我的访问记录 · 第 ${n} 页: `) });
    await expect.poll(() => requestIds(page(1))).toEqual(expect.arrayContaining(['console-mine-3', 'console-mine-2', 'console-mine-1']));
    expect(await requester.locator('main').textContent()).not.toContain('console-other-1');

    await search.getByLabel('用途（用途代码或完整用途）').fill('tax-inspection/CASE-MINE');
    await search.getByLabel('每页条数').fill('2');
    await search.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => requestIds(page(1))).toEqual(['console-mine-3', 'console-mine-2']);
    expect(await page(1).textContent()).toContain('Enterprise.name');
    await screenshot(requester, 'requester-records');
    expect(await unlabelled(requester)).toEqual([]);
    await requester.getByRole('button', { name: '更早' }).click();
    await expect.poll(() => requestIds(page(2))).toEqual(['console-mine-1']);
    expect(await requester.getByRole('button', { name: '更早' }).isDisabled()).toBe(true);
    await requester.getByRole('button', { name: '较新' }).click();
    await expect.poll(() => requestIds(page(1))).toEqual(['console-mine-3', 'console-mine-2']);

    // Asked for by its id, another app's request is still not this app's to read.
    await search.getByLabel('用途（用途代码或完整用途）').fill('');
    await search.getByLabel('请求编号').fill('console-other-1');
    await search.getByRole('button', { name: '查询' }).click();
    await requester.getByRole('table', { name: '我的访问记录 · 第 1 页: 0 条记录' }).waitFor();
  });

  it('shows each field’s declared and measured quality in the catalogue, and the label report’s conflicts to the operator and to a provider for its own fields', async () => {
    // Measured from this request at least: the enterprise provider's latency, Enterprise.name's null rate.
    expect(await askWithRequestId(APPS.tax, 'tax-inspection', 'console-quality-1', '{ enterprises(first: 3) { name } }')).toBe(200);
    const requester = await signIn({ key: APPS.tax });
    await requester.getByLabel('按字段、类别或提供方搜索').fill('Enterprise.taxCreditRating');
    const row = requester.getByRole('row').filter({ has: requester.getByText('Enterprise.taxCreditRating', { exact: true }) });
    const cells = await row.locator('td').allTextContents();
    const head = await requester.getByRole('table', { name: '数据目录' }).locator('th').allTextContents();
    expect(cells[head.indexOf('更新周期')]).toBe('YEARLY');
    // Declared complete; measured from the values the gateway has seen of it, if any.
    expect(cells[head.indexOf('完整率 声明/实测')]).toMatch(/^100% \/ (—|[\d.]+%)$/);
    expect(cells[head.indexOf('最老值 · 过期/样本')]).toMatch(/^(—|\d+(s|min|h|d)) · \d+\/\d+$/);

    const conflicts = async (page: Page) => {
      const table = page.getByRole('table', { name: /^标签冲突/ });
      await table.locator('tbody tr').first().waitFor();
      return (await table.locator('tbody td:first-child').allTextContents()).sort();
    };
    const operator = await signIn({ token: 'jg-admin-operator' });
    await operator.goto(`${base}/console#/catalogue`);
    expect(await conflicts(operator)).toEqual(['Enterprise.legalRepresentative', 'Person.ethnicity', 'Person.legalRepresentativeOf']);
    const report = operator.getByRole('region', { name: '标签报告' });
    expect(await report.textContent()).toContain('未标注字段（默认不共享）');
    await screenshot(operator, 'operator-label-report');
    const provider = await signIn({ token: 'jg-admin-enterprise' });
    await provider.goto(`${base}/console#/catalogue`);
    expect(await conflicts(provider)).toEqual(['Enterprise.legalRepresentative', 'Person.legalRepresentativeOf']);

    await operator.goto(`${base}/console#/quality`);
    const latency = operator.getByRole('img', { name: /^延迟（毫秒）p50 \/ p95 \/ p99\. / });
    // Every figure in the chart's label: each provider's three percentiles.
    expect(await latency.getAttribute('aria-label')).toMatch(/enterprise \(\d+ 请求数\): p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms/);
    const completeness = operator.getByRole('img', { name: /^完整率：实测/ });
    expect(await completeness.getAttribute('aria-label')).toContain('Enterprise.name: 实测完整率 100%, 声明完整率 100%');
    await screenshot(operator, 'operator-quality');
    await operator.getByRole('button', { name: '显示数据表: 字段时效：最老值占声明更新周期的比例' }).click();
    const ages = operator.getByRole('table', { name: '字段时效：最老值占声明更新周期的比例' });
    expect(await ages.getByRole('row').filter({ hasText: 'Enterprise.taxCreditRating' }).textContent()).toContain('YEARLY');
    await operator.getByRole('button', { name: '隐藏数据表: 字段时效：最老值占声明更新周期的比例' }).click();
    await ages.waitFor({ state: 'detached' });
  });

  it('puts an application past its reply deadline first in the provider’s inbox, marked overdue, and refuses and revokes with a reason', async () => {
    clockBack = 30 * 86_400_000;
    const overdue = await applyFor(platform, APPS.tax, { coordinates: ['Enterprise.annualTax'], purpose: 'tax-inspection' }).finally(() => (clockBack = 0));
    const fresh = await applyFor(platform, APPS.tax, { coordinates: ['Enterprise.inspectionPriority'], purpose: 'tax-inspection' });
    const active = await grant(platform, APPS.portal, { coordinates: ['Enterprise.annualTax'], purpose: 'credit-service' });

    const provider = await signIn({ token: 'jg-principal-wang.li' });
    const inbox = provider.getByRole('table', { name: '待审批' });
    const first = inbox.locator('tbody tr').first();
    await expect.poll(() => first.locator('td').first().textContent()).toBe(overdue.id);
    expect(await first.locator('td').nth(6).textContent()).toMatch(/^已超期 2026-\d\d-\d\d \d\d:\d\d · 等待: (operator, tax|tax, operator)$/);
    expect(await inbox.getByRole('row').filter({ hasText: fresh.id }).textContent()).not.toContain('已超期');
    await screenshot(provider, 'provider-inbox-overdue');

    const refusal = inbox.getByRole('row').filter({ hasText: fresh.id });
    expect(await refusal.getByRole('button', { name: '拒绝' }).isDisabled()).toBe(true);
    await refusal.getByLabel('意见 / 理由').fill('用途与检查事项不符');
    await refusal.getByRole('button', { name: '拒绝' }).click();
    await inbox.getByText(fresh.id).waitFor({ state: 'detached' });
    const refused = await adminCall(platform, { token: 'jg-admin-operator' }, `{ application(id: "${fresh.id}") { status parties { party decision reason answeredBy } } }`);
    expect(refused.data?.application).toMatchObject({ status: 'REFUSED', parties: expect.arrayContaining([{ party: 'tax', decision: 'REFUSED', reason: '用途与检查事项不符', answeredBy: 'tax/wang.li' }]) });

    const revocation = provider.getByRole('form', { name: `撤销 ${active}` });
    await revocation.getByLabel('理由').fill('信用服务协议已终止');
    await revocation.getByRole('button', { name: '撤销' }).click();
    await provider.getByRole('table', { name: '授权' }).getByText(active).waitFor({ state: 'detached' });
    const revoked = await adminCall(platform, { token: 'jg-admin-operator' }, `{ application(id: "${active}") { status revokedBy revokeReason } }`);
    expect(revoked.data?.application).toEqual({ status: 'REVOKED', revokedBy: 'tax/wang.li', revokeReason: '信用服务协议已终止' });

    const requester = await signIn({ key: APPS.tax });
    await requester.goto(`${base}/console#/applications`);
    await expect.poll(() => requester.getByTestId(`status-${fresh.id}`).textContent()).toBe('REFUSED');
    expect(await requester.getByRole('row').filter({ hasText: fresh.id }).textContent()).toContain('用途与检查事项不符');
  });

  it('registers an app and issues it a key, shown once, that /graphql accepts until it is revoked', async () => {
    const maintainer = await signIn({ token: 'jg-principal-chen.jie' });
    await maintainer.goto(`${base}/console#/apps`);
    const create = maintainer.getByRole('form', { name: '注册应用' });
    await create.getByLabel('应用标识').fill('licence-counter');
    await create.getByLabel('名称').fill('Licence counter');
    await create.getByLabel('部门').fill('Market Regulation Administration');
    await create.getByRole('button', { name: '注册应用' }).click();
    await maintainer.getByRole('button', { name: '签发新密钥 licence-counter' }).click();
    const issued = maintainer.getByRole('status');
    const key = (await issued.locator('code').textContent())!;
    expect(key).toMatch(/^jg-key-/);
    const ask = () => asApp(platform, key, 'licence-check')('{ enterprises(first: 1) { name } }');
    expect((await ask()).status).toBe(200);
    const row = maintainer.getByRole('row').filter({ hasText: 'licence-counter' });
    await maintainer.reload();
    // Shown once: the list holds key ids only.
    await row.getByRole('button', { name: /^吊销 licence-counter / }).waitFor();
    await screenshot(maintainer, 'operator-apps');
    expect(await maintainer.locator('body').textContent()).not.toContain(key);
    await row.getByRole('button', { name: /^吊销 licence-counter / }).click();
    await row.getByText('已停用').waitFor();
    expect((await ask()).status).toBe(401);
  });

  it('holds a provider’s publication PENDING until an operator publisher approves it in the console', async () => {
    const tax = platform.providers.find((p) => p.name === 'tax')!;
    const { sdl } = (await queryProvider(tax.url, '{ _service { sdl } }')).data!._service as { sdl: string };
    const published = await adminCall(platform, { token: 'jg-admin-tax' }, 'mutation($u: String!, $s: String!) { publishSubgraph(name: "tax", url: $u, sdl: $s) { version { version status } } }', { u: tax.url, s: sdl });
    expect(published.data?.publishSubgraph).toEqual({ version: { version: 1, status: 'PENDING' } });

    const provider = await signIn({ token: 'jg-admin-tax' });
    await provider.goto(`${base}/console#/publications`);
    await provider.getByRole('row').filter({ hasText: 'PENDING' }).waitFor();
    expect(await provider.getByRole('button', { name: /^批准发布/ }).count()).toBe(0);

    const publisher = await signIn({ token: 'jg-principal-chen.jie' });
    await publisher.goto(`${base}/console#/publications`);
    const approve = publisher.getByRole('button', { name: '批准发布 tax v1' });
    await approve.waitFor();
    await screenshot(publisher, 'operator-publications');
    await approve.click();
    await publisher.getByRole('row').filter({ hasText: 'ACTIVE' }).waitFor();
    const versions = await adminCall(platform, { token: 'jg-admin-operator' }, '{ subgraphVersions(subgraph: "tax") { version status publishedBy } }');
    expect(versions.data?.subgraphVersions).toEqual([{ version: 1, status: 'ACTIVE', publishedBy: 'tax' }]);
  });

  it('is usable by keyboard alone, names every control, refuses a wrong credential, and speaks Chinese by default and English on request', async () => {
    const isolated = await isolatedContext(browser);
    contexts.push(isolated);
    const page = await isolated.newPage();
    await page.goto(`${base}/console`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    await screenshot(page, 'sign-in');
    // Language, credential type, credential: the sign-in form in tab order, sent with Enter.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
    await page.keyboard.type('jg-admin-operator');
    await page.keyboard.press('Enter');
    await page.getByTestId('who').waitFor();
    expect(await page.getByTestId('who').textContent()).toBe('operator');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(1);
    expect(await isolated.context.cookies()).toEqual([]);
    await page.getByRole('button', { name: '退出' }).click();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.getByLabel('凭据', { exact: true }).fill('jg-not-a-token');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').getByText('Missing or invalid admin credentials.').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.getByLabel('凭据', { exact: true }).fill('jg-admin-operator');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('who').waitFor();

    const links = await page.getByRole('navigation').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')!).filter((h) => h.startsWith('#')));
    expect(links).toEqual(['#/inbox', '#/catalogue', '#/objections', '#/recipients', '#/quality', '#/audit', '#/publications', '#/apps']);
    for (const link of links) {
      await page.getByRole('navigation').locator(`a[href="${link}"]`).focus();
      await page.keyboard.press('Enter');
      await page.locator('main h2').waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      expect(await unlabelled(page), link).toEqual([]);
      // The operator's service account holds every role: each page's queries succeed.
      expect(await page.getByRole('alert').allTextContents(), link).toEqual([]);
    }

    await page.getByLabel('Language / 语言').selectOption('en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('navigation').getByRole('link', { name: 'Audit search' }).click();
    await page.getByRole('heading', { name: 'Audit search' }).waitFor();
  });

  it('runs GraphiQL and the admin GraphiQL with everything outside this machine refused, and nothing asked of it', async () => {
    const isolated = await isolatedContext(browser);
    contexts.push(isolated);
    const page = await isolated.newPage();
    const answer = await runInGraphiql(page, '/graphiql', '{ enterprises(first: 1) { name status } }', 'status');
    expect((answer.data!.enterprises as unknown[]).length).toBe(1);
    const admin = await runInGraphiql(page, '/admin/graphiql', '{ whoami }', 'whoami');
    expect(admin.data).toEqual({ whoami: 'operator' });
    await page.locator('.result-window').getByText('whoami').waitFor();
    expect(isolated.pageErrors).toEqual([]);
  });
});

describe('serving the console', () => {
  it('serves the console and both GraphiQL pages from this origin only, under a policy that allows no other', async () => {
    for (const url of ['/console', '/graphiql', '/admin/graphiql']) {
      const response = await platform.gateway.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.headers['content-security-policy'], url).toContain("connect-src 'self'");
      expect(response.headers['set-cookie'], url).toBeUndefined();
      expect(response.body, url).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    }
    const script = await platform.gateway.inject({ url: '/console/assets/console.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('answers an unknown asset with NOT_FOUND', async () => {
    const response = await platform.gateway.inject({ url: '/console/assets/missing.js' });
    expect(response.statusCode).toBe(404);
    expect(response.json().errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('serves no console and no admin GraphiQL where there is no admin endpoint', async () => {
    const bare = Fastify();
    await bare.register(consoleRoutes, { admin: false });
    expect((await bare.inject({ url: '/graphiql' })).statusCode).toBe(200);
    expect((await bare.inject({ url: '/console' })).statusCode).toBe(404);
    expect((await bare.inject({ url: '/admin/graphiql' })).statusCode).toBe(404);
    await bare.close();
  });
});

afterAll(() => {
  // Every page of every flow, not only the GraphiQL one, stayed on this machine.
  expect(contexts.flatMap((c) => c.outside)).toEqual([]);
  expect(contexts.flatMap((c) => c.pageErrors)).toEqual([]);
});
