// Headless Chromium for the console's end-to-end tests: the binary of the @sparticuz/chromium
// package driven by playwright-core, so `npm ci && npm test` needs no browser download. Every page
// is cut off from anything but this machine, and what it tried to reach elsewhere is kept.

import chromium from '@sparticuz/chromium';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium as playwright, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** The Lambda-oriented flags that would loosen what the tests check (same-origin, mixed content) or fight Playwright's own. */
const DROPPED_FLAGS = new Set(['--disable-web-security', '--allow-running-insecure-content', '--single-process', "--headless='shell'"]);

export const VIEWPORT = Object.freeze({ width: 1280, height: 800 });

export async function launchBrowser(): Promise<Browser> {
  chromium.setGraphicsMode = false;
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args.filter((flag) => !DROPPED_FLAGS.has(flag)),
    headless: true,
    env: { ...process.env, FONTCONFIG_FILE: cjkFontConfig() },
  });
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The test machine has no CJK font: the Chinese interface would be boxes in the screenshots.
 * Noto Sans SC from its npm package is unwrapped from WOFF (fontconfig reads only what WOFF wraps)
 * into a folder of our own, which a fontconfig file of our own adds to the system's; the browser
 * is pointed at that file.
 */
function cjkFontConfig(): string {
  const root = join(tmpdir(), 'jointgraph-test-fonts');
  const configFile = join(root, 'fonts.conf');
  if (existsSync(configFile)) return configFile;
  const files = join(dirname(createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/400.css')), 'files');
  mkdirSync(join(root, 'noto-sans-sc'), { recursive: true });
  for (const name of readdirSync(files).filter((n) => /-(400|700)-normal\.woff$/.test(n))) {
    writeFileSync(join(root, 'noto-sans-sc', name.replace(/\.woff$/, '.ttf')), woffToSfnt(readFileSync(join(files, name))));
  }
  const config = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(root, 'noto-sans-sc')}</dir>
  <cachedir>${join(root, 'cache')}</cachedir>
</fontconfig>
`;
  // Written last: its presence says the fonts are all there.
  writeFileSync(configFile, config);
  return configFile;
}

/** WOFF 1.0 to the TrueType/OpenType file it wraps (W3C WOFF, section 4): tables are zlib-compressed one by one. */
function woffToSfnt(woff: Buffer): Buffer {
  if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error('not a WOFF 1.0 file');
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8), woff.readUInt32BE(at + 12)];
    const stored = woff.subarray(offset, offset + compLength);
    return { tag: woff.readUInt32BE(at), checksum: woff.readUInt32BE(at + 16), data: compLength < origLength ? inflateSync(stored) : stored };
  });
  const entrySelector = Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + numTables * 16);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(2 ** entrySelector * 16, 6);
  header.writeUInt16BE(entrySelector, 8);
  header.writeUInt16BE(numTables * 16 - 2 ** entrySelector * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((table, i) => {
    header.writeUInt32BE(table.tag, 12 + i * 16);
    header.writeUInt32BE(table.checksum, 16 + i * 16);
    header.writeUInt32BE(offset, 20 + i * 16);
    header.writeUInt32BE(table.data.length, 24 + i * 16);
    const padded = Buffer.alloc((table.data.length + 3) & ~3);
    table.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

export interface IsolatedContext {
  context: BrowserContext;
  /** Every URL the pages asked for outside this machine; each was refused. */
  outside: string[];
  /** Content security policy violations and uncaught errors the pages reported. */
  pageErrors: string[];
  newPage(): Promise<Page>;
}

export async function isolatedContext(browser: Browser): Promise<IsolatedContext> {
  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const outside: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
    if (!LOCAL_HOSTS.has(url.hostname)) {
      outside.push(url.href);
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return {
    context,
    outside,
    pageErrors,
    async newPage() {
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
      });
      return page;
    },
  };
}

/** A screenshot of the viewport into console/screenshots, which docs/operator.md shows. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: new URL(`../../console/screenshots/${name}.png`, import.meta.url).pathname, });
}
