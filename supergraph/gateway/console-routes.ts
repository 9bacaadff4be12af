// Serves the console (/console) and GraphiQL (/graphiql for requesters, /admin/graphiql with the
// admin endpoint) from the committed console build: its assets through @fastify/static (ETag and
// Last-Modified, so a browser revalidates with a 304), every page and asset compressed by
// @fastify/compress (brotli or gzip, as the browser accepts), both scoped to these routes. Nothing
// is fetched from elsewhere: the content security policy lets the pages load and call this origin only.

import compress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fromPackageRoot } from '../config/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { exampleQuery } from '../policy/index.ts';
import { graphiqlPage } from './graphiql-page.ts';

const DIST = fromPackageRoot('console/dist/');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // File names carry no content hash: a browser asks again after each release.
  'cache-control': 'no-cache',
};

export interface ConsoleRoutesOptions {
  /** The console and the admin GraphiQL, served only where the admin endpoint is. */
  admin: boolean;
  /** The schema requesters are served now, and its labels where authorization is on: GraphiQL's example query is made from them (none without). */
  served?: () => { schema: GraphQLSchema; catalog?: LabelCatalog };
}

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const assets = join(DIST, 'assets');
  if (!existsSync(assets)) throw new Error(`The console build is missing at ${DIST}: run npm run console:build.`);
  await app.register(compress, { global: true, encodings: ['br', 'gzip'] });
  await app.register(fastifyStatic, {
    root: assets,
    prefix: '/console/assets/',
    // The build's own files only: no directory listing, no dotfiles, no other extension.
    index: false,
    list: false,
    allowedPath: (path) => extname(path) in TYPES,
    setHeaders: (reply, path) => {
      reply.headers(SECURITY_HEADERS);
      // text/javascript (RFC 9239), where the static plugin's table says application/javascript.
      reply.header('content-type', TYPES[extname(path)]!);
    },
  });
  const send = (reply: FastifyReply, type: string, body: string | Buffer) => reply.headers(SECURITY_HEADERS).type(type).send(body);

  // Made again only when a new schema generation is served.
  const requesterPages = new WeakMap<GraphQLSchema, string>();
  const requesterGraphiql = () => {
    if (!options.served) return graphiqlPage('/graphql', 'requester');
    const { schema, catalog } = options.served();
    const page = requesterPages.get(schema) ?? graphiqlPage('/graphql', 'requester', exampleQuery(schema, catalog));
    requesterPages.set(schema, page);
    return page;
  };
  app.get('/graphiql', async (_, reply) => send(reply, TYPES['.html']!, requesterGraphiql()));
  if (!options.admin) return;
  const index = readFileSync(join(DIST, 'index.html'));
  app.get('/console', async (_, reply) => send(reply, TYPES['.html']!, index));
  app.get('/console/', async (_, reply) => send(reply, TYPES['.html']!, index));
  const adminGraphiql = graphiqlPage('/admin/graphql', 'admin');
  app.get('/admin/graphiql', async (_, reply) => send(reply, TYPES['.html']!, adminGraphiql));
}
