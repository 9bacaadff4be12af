// Single sign-on in a real browser: a person of the operator and one of each of two departments
// sign in to the console through the identity provider's login form, see the pages their role
// sees, and sign out, at the console and at the provider; a person the mapping does not place is
// shown the refusal's code and a way back.

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PEOPLE } from './support/identity-provider.ts';
import { isolatedContext, launchBrowser, type IsolatedContext } from './support/browser.ts';
import { startSignInPlatform, type SignInPlatform } from './support/sign-in-platform.ts';

let sso: SignInPlatform;
let browser: Browser;
const contexts: IsolatedContext[] = [];

beforeAll(async () => {
  [sso, browser] = await Promise.all([startSignInPlatform(), launchBrowser()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await sso?.close();
});

/** A fresh browser at the console, through the single sign-on button and the provider's login form. */
async function signInAs(person: string): Promise<{ page: Page; isolated: IsolatedContext }> {
  const isolated = await isolatedContext(browser);
  contexts.push(isolated);
  const page = await isolated.newPage();
  await page.goto(`${sso.base}/console/`);
  await page.getByRole('link', { name: '通过统一身份认证登录' }).click();
  await page.getByLabel('Username').fill(person);
  await page.getByLabel('Password').fill(PEOPLE[person]!.password);
  await page.getByRole('button', { name: 'Sign in at the identity provider' }).click();
  return { page, isolated };
}

const navigation = (page: Page) => page.getByRole('navigation').getByRole('link').allTextContents();

describe('signing in to the console through the identity provider', { timeout: 60_000 }, () => {
  it.each([
    { person: 'zhou.qing', who: 'operator/zhou.qing', role: '平台运营方', sees: ['待审批', '审计检索', '应用与密钥'], not: [] as string[] },
    { person: 'wu.fang', who: 'tax/wu.fang', role: '数据提供方', sees: ['待审批', '数据去向', '模式发布'], not: ['审计检索', '应用与密钥'] },
    { person: 'he.ping', who: 'population/he.ping', role: '数据提供方', sees: ['待审批', '数据质量'], not: ['审计检索', '应用与密钥', '我的申请'] },
  ])('shows $who the pages of the $role, then signs out here and at the provider', async ({ person, who, role, sees, not }) => {
    const { page, isolated } = await signInAs(person);
    await expect.poll(() => page.getByTestId('who').textContent()).toBe(who);
    expect(await page.locator('.who').textContent()).toContain(role);
    const links = await navigation(page);
    expect(links).toEqual(expect.arrayContaining(sees));
    for (const hidden of not) expect(links).not.toContain(hidden);
    // The session cookie is out of the page's reach.
    expect(await page.evaluate(() => document.cookie)).not.toContain('jg-session');
    const cookie = (await isolated.context.cookies()).find((c) => c.name === 'jg-session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });

    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('button', { name: 'Sign out of the identity provider' }).click();
    await page.getByRole('link', { name: '通过统一身份认证登录' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/');
    expect((await isolated.context.cookies()).find((c) => c.name === 'jg-session')).toBeUndefined();
    expect(isolated.pageErrors).toEqual([]);
  });

  it('lets the admin GraphiQL opened from the console ask as the person signed in', async () => {
    const { page } = await signInAs('wu.fang');
    await page.getByTestId('who').waitFor();
    await page.goto(`${sso.base}/admin/graphiql?query=${encodeURIComponent('{ me { party id roles } }')}`);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/admin/graphql') && (r.request().postData() ?? '').includes('me {')),
      page.locator('.graphiql-execute-button').click(),
    ]);
    expect((await answer.json()).data.me).toEqual({ party: 'tax', id: 'wu.fang', roles: ['approver'] });
  });

  it('shows a person whose department is no party the refusal’s code and a way back', async () => {
    const { page } = await signInAs('li.lei');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').locator('code').textContent()).toBe('SIGN_IN_NOT_MAPPED');
    await page.getByRole('link', { name: '返回控制台 · Back to the console' }).click();
    await page.getByRole('link', { name: '通过统一身份认证登录' }).waitFor();
  });
});
