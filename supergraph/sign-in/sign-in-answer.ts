// How a refused sign-in is answered: a page for the browser that was sent back by the provider,
// JSON for anything else; both carry the catalogued code and its hint, never the provider's tokens.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, errorBody, type ErrorCode } from '../errors/index.ts';

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A browser navigating (the provider sent it back here) is shown a page; a script is answered JSON. */
export const wantsPage = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html');

export function signInRefused(reply: FastifyReply, page: boolean, code: ErrorCode, message: string) {
  const { status, hint } = ERRORS[code];
  reply.code(status).headers(PAGE_HEADERS);
  if (!page) return reply.type('application/json').send(errorBody(code, message));
  return reply.type('text/html; charset=utf-8').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>登录未成功 · Sign-in refused</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .25rem}</style></head>
<body><main>
<h1>登录未成功 · Sign-in refused</h1>
<p role="alert"><code data-code="${code}">${code}</code> ${escape(message)}</p>
<p>${escape(hint)}</p>
<p><a href="/console/">返回控制台 · Back to the console</a></p>
</main></body></html>
`);
}
