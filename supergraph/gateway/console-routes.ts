// Serves the console (/console) and GraphiQL (/graphiql for requesters, /admin/graphiql with the
// admin endpoint) from the committed console build, read once at start-up. Nothing is fetched
// from elsewhere: the content security policy lets the pages load and call this origin only.

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GraphQLSchema } from 'graphql';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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

function readAssets(): Map<string, Buffer> {
  const assets = join(DIST, 'assets');
  if (!existsSync(assets)) throw new Error(`The console build is missing at ${DIST}: run npm run console:build.`);
  return new Map(readdirSync(assets).filter((name) => extname(name) in TYPES).map((name) => [name, readFileSync(join(assets, name))]));
}

export async function consoleRoutes(app: FastifyInstance, options: ConsoleRoutesOptions): Promise<void> {
  const assets = readAssets();
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
  app.get<{ Params: { file: string } }>('/console/assets/:file', async (request, reply) => {
    const body = assets.get(request.params.file);
    if (!body) {
      reply.callNotFound();
      return reply;
    }
    return send(reply, TYPES[extname(request.params.file)]!, body);
  });
  if (!options.admin) return;
  const index = readFileSync(join(DIST, 'index.html'));
  app.get('/console', async (_, reply) => send(reply, TYPES['.html']!, index));
  app.get('/console/', async (_, reply) => send(reply, TYPES['.html']!, index));
  const adminGraphiql = graphiqlPage('/admin/graphql', 'admin');
  app.get('/admin/graphiql', async (_, reply) => send(reply, TYPES['.html']!, adminGraphiql));
}
