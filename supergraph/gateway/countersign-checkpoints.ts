// Joint operation of the audit trail, the gateway's side: after signing the heads, each provider
// is asked (with the gateway's signed assertion) to countersign every checkpoint since the last it
// countersigned, one call each, in order; the countersignatures are appended beside the
// checkpoints file. A provider that is down is asked again on the next round, from where it
// stopped; one that refuses (it countersigned another checkpoint under that number) is reported,
// never retried into agreement. A round runs at start too, so the checkpoint signed at shutdown
// is countersigned then.

import { COUNTERSIGN_PATH, type BoundCall } from '../../protocol/index.ts';
import { appendCountersignature, readCountersignatures, type Checkpoint, type CountersignRound } from '../audit/index.ts';

export interface CheckpointCountersigningOptions {
  /** Signs the heads now unless the last checkpoint names them; the newest checkpoint. */
  checkpoint: () => Promise<Checkpoint | undefined>;
  /** The checkpoints numbered after `n`, oldest first, at most `limit`. */
  after: (n: number, limit: number) => Promise<Checkpoint[]>;
  providers: readonly { name: string; url: string }[];
  /** The gateway's signed assertion for a call to one provider, bound to that call. */
  headersFor: (provider: string, call: BoundCall) => Promise<Record<string, string>>;
  file: string;
  timeoutMs: number;
}

const PAGE = 100;

export function checkpointCountersigning({ checkpoint, after, providers, headersFor, file, timeoutMs }: CheckpointCountersigningOptions) {
  /** The newest checkpoint each provider countersigned, as collected here. */
  const reached = new Map<string, number>();
  for (const line of readCountersignatures(file)) reached.set(line.party, Math.max(reached.get(line.party) ?? 0, line.n));

  const countersignOne = async (name: string, url: string, c: Checkpoint): Promise<void> => {
    const target = new URL(COUNTERSIGN_PATH, url).href;
    const request = JSON.stringify({ checkpoint: c });
    const response = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await headersFor(name, { method: 'POST', url: target, body: request })) },
      body: request,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await response.json()) as { party?: string; signature?: string; errors?: { message: string }[] };
    if (!response.ok || typeof body.signature !== 'string') throw new Error(`checkpoint ${c.n}: ${body.errors?.[0]?.message ?? `HTTP ${response.status}`}`);
    appendCountersignature(file, { n: c.n, party: name, signature: body.signature });
    reached.set(name, c.n);
  };

  /** Every checkpoint after the last `name` countersigned, up to `newest`; how many were countersigned. */
  const catchUp = async (name: string, url: string, newest: number): Promise<number> => {
    let added = 0;
    while ((reached.get(name) ?? 0) < newest) {
      const page = await after(reached.get(name) ?? 0, PAGE);
      if (page.length === 0) break;
      for (const c of page) {
        await countersignOne(name, url, c);
        added++;
      }
    }
    return added;
  };

  async function round(): Promise<CountersignRound | undefined> {
    const newest = await checkpoint();
    if (!newest) return undefined;
    const result: CountersignRound = { n: newest.n, countersigned: [], added: 0, failed: [] };
    await Promise.all(
      providers.map(async ({ name, url }) => {
        try {
          const added = await catchUp(name, url, newest.n);
          result.added += added;
          result.countersigned.push(name);
        } catch (error) {
          result.failed.push({ party: name, error: (error as Error).message });
        }
      }),
    );
    return result;
  }

  // One round at a time, so a slow provider never stacks rounds up; a call while one runs gets the
  // round after it, which covers every checkpoint signed before the call.
  let running: Promise<CountersignRound | undefined> | undefined;
  let queued: Promise<CountersignRound | undefined> | undefined;
  const start = () => (running = round().finally(() => (running = undefined)));
  return (): Promise<CountersignRound | undefined> => {
    if (!running) return start();
    return (queued ??= running.then(() => undefined, () => undefined).then(() => {
      queued = undefined;
      return running ?? start();
    }));
  };
}
