// The console and GraphiQL end to end, in headless Chromium against a gateway on a real port:
// a joint approval across three sign-ins, an objection filed and answered, an audit search, an
// app and its key, a publication approved, keyboard use and labels, and GraphiQL with everything
// outside this machine refused. Each flow leaves screenshots of its main pages in console/screenshots for the README.

import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminCall, APPS, asApp } from './support/authorization.ts';
import { isolatedContext, launchBrowser, screenshot, type IsolatedContext } from './support/browser.ts';
import { queryProvider, sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';
import { consoleRoutes } from '../supergraph/gateway/console-routes.ts';

let platform: TestPlatform;
let browser: Browser;
let base: string;
const contexts: IsolatedContext[] = [];

beforeAll(async () => {
  [platform, browser] = await Promise.all([startTestPlatform({ authorization: sampleAuthorization({ registry: { requireOperatorApproval: true, usageWindowDays: 90 } }) }), launchBrowser()]);
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

  it('finds a given request in the audit search, beside an intact hash chain', async () => {
    const purpose = 'tax-inspection/CASE-CONSOLE-7';
    expect((await asApp(platform, APPS.tax, purpose)('{ enterprises(first: 2) { name status } }')).status).toBe(200);

    const operator = await signIn({ token: 'jg-principal-zhao.min' });
    await operator.goto(`${base}/console#/audit`);
    await expect.poll(() => operator.getByTestId('audit-chain').textContent()).toContain('完整');
    const search = operator.getByRole('form', { name: '审计记录检索' });
    await search.getByLabel('用途').fill('CASE-CONSOLE-8');
    await search.getByRole('button', { name: '查询' }).click();
    await operator.getByRole('table', { name: '审计记录检索: 0 条匹配' }).waitFor();

    await search.getByLabel('用途').fill('CASE-CONSOLE-7');
    await search.getByLabel('应用').fill('tax-inspection');
    await search.getByLabel('字段').fill('Enterprise.status');
    await search.getByRole('button', { name: '查询' }).click();
    const found = operator.getByRole('table', { name: '审计记录检索: 1 条匹配' });
    await found.waitFor();
    const text = await found.textContent();
    expect(text).toContain(purpose);
    expect(text).toContain('Enterprise.name, Enterprise.status');
    await screenshot(operator, 'operator-audit');

    const provider = await signIn({ token: 'jg-admin-enterprise' });
    await provider.goto(`${base}/console#/recipients`);
    const recipients = provider.getByRole('form', { name: '谁收到了我的字段' });
    await recipients.getByLabel('字段').selectOption('Enterprise.status');
    await recipients.getByRole('button', { name: '查询' }).click();
    const received = provider.getByRole('table', { name: '谁收到了我的字段: Enterprise.status' });
    await received.getByText(purpose).waitFor();
    await screenshot(provider, 'provider-recipients');

    await operator.goto(`${base}/console#/quality`);
    await operator.getByRole('table', { name: '数据质量' }).waitFor();
    await screenshot(operator, 'operator-quality');
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

    const unlabelled = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('input, select, textarea, button')]
          .filter((el) => !((el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent!.trim())))
          .map((el) => el.outerHTML),
      );
    const links = await page.getByRole('navigation').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')!).filter((h) => h.startsWith('#')));
    expect(links).toEqual(['#/inbox', '#/catalogue', '#/objections', '#/recipients', '#/quality', '#/audit', '#/publications', '#/apps']);
    for (const link of links) {
      await page.getByRole('navigation').locator(`a[href="${link}"]`).focus();
      await page.keyboard.press('Enter');
      await page.locator('main h2').waitFor();
      await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
      expect(await unlabelled(), link).toEqual([]);
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
