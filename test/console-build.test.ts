// The console is served from a committed build: it must be the build of the sources beside it,
// and hold everything the pages load.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_DIR, DIGEST_FILE, sourceDigest } from '../console/source-digest.ts';
import { graphiqlPage } from '../supergraph/gateway/graphiql-page.ts';

const DIST = join(CONSOLE_DIR, 'dist');

/** The local paths a page loads its scripts and styles from. */
const loadedFrom = (html: string) => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);

describe('the committed console build', () => {
  it('is the build of the current sources (else run npm run console:build)', () => {
    expect(readFileSync(DIGEST_FILE, 'utf8').trim(), 'console/dist is stale: run npm run console:build and commit console/dist').toBe(sourceDigest());
  });

  it('holds every script and style the console and GraphiQL pages load, all under /console/assets', () => {
    const pages = [readFileSync(join(DIST, 'index.html'), 'utf8'), graphiqlPage('/graphql', 'requester'), graphiqlPage('/admin/graphql', 'admin')];
    const paths = pages.flatMap(loadedFrom);
    expect(paths.length).toBeGreaterThanOrEqual(6);
    for (const path of paths) {
      expect(path).toMatch(/^\/console\/assets\/[\w.-]+$/);
      expect(existsSync(join(DIST, 'assets', path.slice('/console/assets/'.length))), path).toBe(true);
    }
  });

  it('points its styles at nothing outside the page (fonts and images are inlined)', () => {
    for (const file of ['graphiql.css', 'console.css']) {
      const urls = [...readFileSync(join(DIST, 'assets', file), 'utf8').matchAll(/url\(\s*['"]?([^'")]+)/g)].map((m) => m[1]!);
      expect(urls.filter((url) => !url.startsWith('data:')), file).toEqual([]);
    }
  });
});
