// The signature a webhook receiver checks: `x-jointgraph-signature: t=<unix seconds>,v1=<hex>`,
// where hex is HMAC-SHA256 under the webhook's secret of `<t>.<raw body>`. A receiver recomputes it
// over the bytes it received, compares in constant time and refuses a timestamp outside its
// window (five minutes by default), so a captured delivery cannot be replayed later.

import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-jointgraph-signature';
export const DELIVERY_HEADER = 'x-jointgraph-delivery';
export const EVENT_HEADER = 'x-jointgraph-event';
export const REPLAY_WINDOW_S = 300;

const hmac = (secret: string, timestamp: number, body: string) => createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signWebhook(secret: string, body: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmac(secret, t, body)}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'malformed' | 'stale' | 'mismatch' };

/** What a receiver runs on each delivery: the header as received, the raw body, its clock. */
export function verifyWebhookSignature(secret: string, header: string | undefined, body: string, now: Date, windowS = REPLAY_WINDOW_S): SignatureCheck {
  const parts = new Map((header ?? '').split(',').map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()] as const));
  const t = Number(parts.get('t'));
  const given = parts.get('v1') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - t) > windowS) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}
