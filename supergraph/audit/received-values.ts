// Which records' values an answer carried, without the trail keeping the records' keys: one digest
// of (coordinate, entity key) per value returned of an entity whose key the gateway knew. It lets
// the objection check ask "did this app receive coordinate C of record K", and no more.

import { createHash } from 'node:crypto';

/** Digests one access record keeps at most; values past them are not recorded (no objection to them). */
export const MAX_VALUE_DIGESTS = 1_000;

/** 128 bits of SHA-256 over the coordinate and the entity key (`Enterprise.name`, `Enterprise:9166…`). */
export const valueDigest = (coordinate: string, entityKey: string): string =>
  createHash('sha256').update(coordinate).update('\n').update(entityKey).digest('hex').slice(0, 32);
