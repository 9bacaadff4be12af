// The console's files as a browser gets them: compressed as it accepts (brotli, gzip), with an ETag
// it can revalidate (304, nothing sent again), the pages' security headers, and nothing from the
// build folder but its pages and assets.

import { readdirSync, readFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleAuthorization, startTestPlatform, type TestPlatform } from './support/platform.ts';

const ASSETS = new URL('../console/dist/assets/', import.meta.url);
const script = readdirSync(ASSETS).filter((name) => name.endsWith('.js')).sort((a, b) => readFileSync(new URL(b, ASSETS)).length - readFileSync(new URL(a, ASSETS)).length)[0]!;

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform({ authorization: sampleAuthorization() });
});
afterAll(() => platform.close());

const get = (url: string, headers: Record<string, string> = {}) => platform.gateway.inject({ method: 'GET', url, headers });

describe('the console’s files', () => {
  it('sends the largest script compressed with brotli or gzip, as accepted, and the same bytes', async () => {
    const original = readFileSync(new URL(script, ASSETS));
    const br = await get(`/console/assets/${script}`, { 'accept-encoding': 'br, gzip' });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.length).toBeLessThan(original.length / 2);
    expect(brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);
    const gzip = await get(`/console/assets/${script}`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(original)).toBe(true);
    const plain = await get(`/console/assets/${script}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.equals(original)).toBe(true);
  });

  it('gives an ETag and answers a revalidation with 304 and no body', async () => {
    const first = await get(`/console/assets/${script}`);
    expect(first.headers.etag).toMatch(/^(W\/)?"/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const again = await get(`/console/assets/${script}`, { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
  });

  it('keeps the security headers on assets and pages', async () => {
    for (const url of [`/console/assets/${script}`, '/console', '/graphiql']) {
      const response = await get(url, { 'accept-encoding': 'gzip' });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-security-policy'], url).toContain("default-src 'none'");
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('serves nothing else from the build folder: no listing, no other file, no way out', async () => {
    for (const url of ['/console/assets/', '/console/assets/../source.sha256', '/console/assets/%2e%2e/index.html', '/console/assets/missing.js']) {
      expect((await get(url)).statusCode, url).toBeGreaterThanOrEqual(400);
    }
    expect((await get('/console/assets/../source.sha256')).body).not.toMatch(/^[0-9a-f]{64}/);
  });
});
