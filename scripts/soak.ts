// Soak: a long run of gateway requests, with the heap measured after a forced GC every
// window. Memory must stay flat: nothing from one request may be kept for the next.
// Run: npm run soak -- [--requests 20000] [--window 1000]

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSamplePlatform } from '../server/sample-platform.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' }, window: { type: 'string', default: '1000' } } });
const total = Number(values.requests);
const window = Number(values.window);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc (npm run soak does)');

const platform = await startSamplePlatform({
  host: '127.0.0.1',
  subgraphBasePort: 0,
  dataDir: mkdtempSync(join(tmpdir(), 'jointgraph-soak-')),
  city: { seed: 3, persons: 5_000, enterprises: 1_000 },
  gateway: { defaultTimeoutMs: 5_000, healthTimeoutMs: 1_000, bodyLimitBytes: 1 << 20 },
});

const query = (offset: number) =>
  `{ enterprises(first: 20, offset: ${offset % 900}) { name taxCreditRating insuredEmployees legalRepresentative { name maritalStatus } } }`;

const samples: number[] = [];
const started = Date.now();
for (let i = 0; i < total; i++) {
  // distinct documents and variables, so nothing can be answered from a per-document memo
  const response = await platform.gateway.inject({ method: 'POST', url: '/graphql', payload: { query: query(i) } });
  if (response.statusCode !== 200 || response.json().errors) throw new Error(`request ${i} failed: ${response.body.slice(0, 300)}`);
  if ((i + 1) % window === 0) {
    gc();
    samples.push(process.memoryUsage().heapUsed / 1_048_576);
    console.log(`${String(i + 1).padStart(7)} requests  heap ${samples.at(-1)!.toFixed(1)} MiB`);
  }
}
await platform.close();

const quarter = Math.max(1, Math.floor(samples.length / 4));
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const early = mean(samples.slice(1, 1 + quarter)); // the first window includes warm-up
const late = mean(samples.slice(-quarter));
const growth = late / early;
console.log(`\n${total} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; heap early ${early.toFixed(1)} MiB, late ${late.toFixed(1)} MiB (×${growth.toFixed(3)})`);
if (growth > 1.15) {
  console.error('FAIL: the heap grew by more than 15% over the run');
  process.exit(1);
}
console.log('OK: memory is flat');
