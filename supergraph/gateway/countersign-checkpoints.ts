// Joint operation of the audit trail, the gateway's side: after checkpoints are signed, each
// provider is asked (with the gateway's signed assertion) to countersign the newest one; the
// countersignatures are appended beside the checkpoints file. A provider that is down is asked
// again on the next round; one that refuses (it countersigned another checkpoint under that
// number) is reported, never retried into agreement.

import { COUNTERSIGN_PATH } from '../../protocol/index.ts';
import { appendCountersignature, readCountersignatures, type Checkpoint, type CountersignRound } from '../audit/index.ts';


export interface CheckpointCountersigningOptions {
  checkpoint: () => Promise<Checkpoint | undefined>;
  providers: readonly { name: string; url: string }[];
  /** The gateway's signed assertion for a call to one provider. */
  headersFor: (provider: string) => Promise<Record<string, string>>;
  file: string;
  timeoutMs: number;
}

export function checkpointCountersigning({ checkpoint, providers, headersFor, file, timeoutMs }: CheckpointCountersigningOptions) {
  const done = new Set(readCountersignatures(file).map((l) => `${l.n}\u0000${l.party}`));
  let running: Promise<CountersignRound | undefined> | undefined;

  async function round(): Promise<CountersignRound | undefined> {
    const newest = await checkpoint();
    if (!newest) return undefined;
    const result: CountersignRound = { n: newest.n, countersigned: [], failed: [] };
    await Promise.all(
      providers.map(async ({ name, url }) => {
        if (done.has(`${newest.n}\u0000${name}`)) return;
        try {
          const response = await fetch(new URL(COUNTERSIGN_PATH, url), {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(await headersFor(name)) },
            body: JSON.stringify({ checkpoint: newest }),
            signal: AbortSignal.timeout(timeoutMs),
          });
          const body = (await response.json()) as { party?: string; signature?: string; errors?: { message: string }[] };
          if (!response.ok || typeof body.signature !== 'string') throw new Error(body.errors?.[0]?.message ?? `HTTP ${response.status}`);
          appendCountersignature(file, { n: newest.n, party: name, signature: body.signature });
          done.add(`${newest.n}\u0000${name}`);
          result.countersigned.push(name);
        } catch (error) {
          result.failed.push({ party: name, error: (error as Error).message });
        }
      }),
    );
    return result;
  }

  /** One round at a time: a slow provider never stacks rounds up. */
  return () => (running ??= round().finally(() => (running = undefined)));
}
