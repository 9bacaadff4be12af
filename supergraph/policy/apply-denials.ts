// After execution: denied fields come back null with one FORBIDDEN_FIELD error each, fields
// emptied by denials come back null, and fields added for row-level rules are removed.

import type { GraphQLFormattedError } from 'graphql';
import { ERRORS } from '../errors/index.ts';
import type { DeniedField, PrunedOperation } from './prune-denied-fields.ts';
import { TYPE_ALIAS } from '../response/index.ts';

type Json = Record<string, unknown>;

/** Every object reached by following `keys` from `data` (through lists), with its concrete path. */
export function parentsAt(data: unknown, keys: readonly string[]): { object: Json; path: (string | number)[] }[] {
  let level: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  for (const key of keys) {
    const next: typeof level = [];
    for (const { value, path } of level) visit(value, path, (object, at) => next.push({ value: object[key], path: [...at, key] }));
    level = next;
  }
  const parents: { object: Json; path: (string | number)[] }[] = [];
  for (const { value, path } of level) visit(value, path, (object, at) => parents.push({ object, path: at }));
  return parents;
}

function visit(value: unknown, path: (string | number)[], onObject: (o: Json, path: (string | number)[]) => void): void {
  if (Array.isArray(value)) value.forEach((item, i) => visit(item, [...path, i], onObject));
  else if (value !== null && typeof value === 'object') onObject(value as Json, path);
}

export interface ApplyHint {
  appId: string;
  purpose: string;
}

export function forbiddenFieldError(denial: DeniedField, path: (string | number)[], occurrences: number, hint: ApplyHint): GraphQLFormattedError {
  const { coordinate, verdict } = denial;
  const canApply = verdict.reason !== 'NOT_SHARED';
  return {
    message: `Access denied to ${coordinate}: ${verdict.message}`,
    path,
    extensions: {
      code: 'FORBIDDEN_FIELD',
      hint: ERRORS.FORBIDDEN_FIELD.hint,
      coordinate,
      reason: verdict.reason,
      occurrences,
      ...(canApply
        ? {
            apply: {
              endpoint: '/admin/graphql',
              mutation: `mutation { apply(input: { coordinates: ["${coordinate}"], purpose: "${hint.purpose}", basis: "…", expiresAt: "…" }) { id status } }`,
            },
          }
        : {}),
    },
  };
}

export function applyDenials(data: Json | null | undefined, pruned: PrunedOperation, hint: ApplyHint): GraphQLFormattedError[] {
  const errors: GraphQLFormattedError[] = [];
  if (!data) return errors;
  const holders = (path: string[], onType?: string) =>
    parentsAt(data, path.slice(0, -1)).filter(({ object }) => !onType || object[TYPE_ALIAS] === onType);
  for (const { path, onType } of pruned.emptied) for (const { object } of holders(path, onType)) object[path.at(-1)!] = null;
  for (const denial of pruned.denied) {
    const parents = holders(denial.path, denial.onType);
    const key = denial.path.at(-1)!;
    for (const { object } of parents) object[key] = null;
    const first = parents[0]?.path ?? denial.path.slice(0, -1);
    errors.push(forbiddenFieldError(denial, [...first, key], Math.max(parents.length, 1), hint));
  }
  for (const { path, keys } of pruned.keyOrder) for (const { object } of parentsAt(data, path)) reorder(object, keys);
  return errors; // the `_jg_` fields the gateway added are removed last, once every stage has read them
}

/** Puts an object's keys back in the order the requester asked for them. */
function reorder(object: Json, keys: readonly string[]): void {
  const entries = Object.entries(object);
  for (const [key] of entries) Reflect.deleteProperty(object, key);
  for (const key of keys) if (entries.some(([k]) => k === key)) object[key] = entries.find(([k]) => k === key)![1];
  for (const [key, value] of entries) if (!(key in object)) object[key] = value;
}
