// The id that names one request in the gateway's log, in its audit assertion to providers and in
// the answer (x-request-id): the caller's own when it is a short printable string, else a new one.

import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-request-id';
const MAX_LENGTH = 128;
const PRINTABLE = /^[\x21-\x7e][\x20-\x7e]*$/;

/** The caller's id if it is printable ASCII of at most 128 characters; otherwise a fresh UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && header.length <= MAX_LENGTH && PRINTABLE.test(header) ? header : randomUUID();
}
