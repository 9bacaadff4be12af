// One JointGraph instance per state directory: two gateways on one grant store and audit trail
// fail each other's writes with SQLITE_BUSY, so the second refuses to start. The lock is a
// directory whose age proper-lockfile refreshes; a killed instance's lock goes stale and is taken over.

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** A lock not refreshed for this long belongs to a dead instance. */
export const STALE_LOCK_MS = 15_000;

export class StateDirLockedError extends Error {
  readonly code = 'STATE_DIR_LOCKED';
}

export interface InstanceLock {
  release(): Promise<void>;
}

interface Owner {
  pid: number;
  since: string;
}

/** Locks `stateDir` for this process; `onLost` is told if another process took the lock over. */
export async function lockStateDir(stateDir: string, onLost: (error: Error) => void): Promise<InstanceLock> {
  mkdirSync(stateDir, { recursive: true });
  const ownerFile = join(stateDir, 'instance.json');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(stateDir, {
      lockfilePath: join(stateDir, 'instance.lock'),
      realpath: false,
      stale: STALE_LOCK_MS,
      update: STALE_LOCK_MS / 3,
      onCompromised: onLost,
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const owner = readOwner(ownerFile);
    throw new StateDirLockedError(
      `another JointGraph instance${owner ? ` (pid ${owner.pid})` : ''} is using ${stateDir}${owner ? ` (since ${owner.since})` : ''}. ` +
        'Stop it, or set JG_STATE_DIR to another directory.',
    );
  }
  writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, since: new Date().toISOString() } satisfies Owner));
  return {
    async release() {
      rmSync(ownerFile, { force: true });
      await release();
    },
  };
}

function readOwner(file: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}
