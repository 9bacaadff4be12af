// JointGraph's directive specs (@label, @quality, @pageSize) served where a department's team can
// fetch them, whatever its stack: `GET /specs` lists them, `GET /specs/<name>/<version>` answers
// the definitions a subgraph declares beside its `@link(url: "<the spec's url>", …)`. Public, as
// the specs are; cached by version (a version's definitions never change).

import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { SPECS } from '../../directives/index.ts';
import { errorBody } from '../errors/index.ts';
import { JSON_TYPE } from './media-type.ts';

const GRAPHQL_TEXT = 'text/plain; charset=utf-8';

/** A spec's path on the gateway. */
const pathOf = (spec: { name: string; version: string }) => `/specs/${spec.name}/${spec.version}`;

export async function specRoutes(app: FastifyInstance): Promise<void> {
  const byPath = new Map(SPECS.map((spec) => [pathOf(spec), { spec, etag: `"${createHash('sha256').update(spec.sdl).digest('hex').slice(0, 32)}"` }]));
  app.get('/specs', async (_request, reply) =>
    reply.type(JSON_TYPE).send({ specs: SPECS.map((s) => ({ name: s.name, version: s.version, url: s.url, directive: s.directive, path: pathOf(s) })) }));
  app.get<{ Params: { name: string; version: string } }>('/specs/:name/:version', async (request, reply) => {
    const found = byPath.get(pathOf(request.params));
    if (!found) {
      const known = SPECS.map((s) => pathOf(s)).join(', ');
      return reply.code(404).type(JSON_TYPE).send(errorBody('NOT_FOUND', `No directive spec ${request.params.name} ${request.params.version}: the gateway serves ${known}.`));
    }
    reply.header('etag', found.etag).header('cache-control', 'public, max-age=86400, immutable');
    if (request.headers['if-none-match'] === found.etag) return reply.code(304).send();
    return reply.type(GRAPHQL_TEXT).send(`# ${found.spec.directive} ${found.spec.version}: declare it with\n#   extend schema @link(url: "${found.spec.url}", import: ["${found.spec.directive}"])\n${found.spec.sdl.trimStart()}`);
  });
}
