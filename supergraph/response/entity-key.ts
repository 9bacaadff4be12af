// How the gateway names an entity: its type and key values (`Enterprise:91660106095142596A`).
// Objections, lineage's objection markers and the audit trail's value digests all name it so;
// the key rides along under a `_jg_` alias the gateway adds where the requester may receive it.

import { INTERNAL_ALIAS_PREFIX } from './walk-response.ts';

export const KEY_ALIAS = (field: string) => `${INTERNAL_ALIAS_PREFIX}key_${field}`;

export const entityKey = (type: string, keyValues: readonly unknown[]): string => `${type}:${keyValues.map(String).join('|')}`;

/** The key of an object of a keyed type, read from the gateway's key aliases; undefined when one was not asked for. */
export function entityKeyIn(holder: Record<string, unknown>, type: string, keyFields: readonly string[]): string | undefined {
  if (!keyFields.every((k) => KEY_ALIAS(k) in holder)) return undefined;
  return entityKey(type, keyFields.map((k) => holder[KEY_ALIAS(k)]));
}
