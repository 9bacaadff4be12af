// A client that trickles its request holds a gateway connection for a bounded time: headers and
// body must arrive within the request timeout, or the gateway answers 408 and closes.

import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from './support/platform.ts';

let platform: TestPlatform;
let port: number;
beforeAll(async () => {
  platform = await startTestPlatform({ gateway: { requestTimeoutMs: 1_000 } });
  await platform.gateway.listen({ host: '127.0.0.1', port: 0 });
  port = (platform.gateway.server.address() as AddressInfo).port;
});
afterAll(() => platform.close());

/** Sends `head`, then nothing more; what the gateway answered by the time it closed the connection. */
function stall(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('a slow client', () => {
  it('that never finishes its body is answered 408 and closed', async () => {
    const answer = await stall('POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('that never finishes its headers is closed', async () => {
    const answer = await stall('POST /graphql HTTP/1.1\r\nHost: gateway\r\nContent-Type: appl');
    expect(answer === '' || /^HTTP\/1\.1 408/.test(answer)).toBe(true);
  });

  it('that sends its request in time is answered', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(response.status).toBe(200);
  });
});
