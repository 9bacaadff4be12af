// Parses and validates requester documents once: a bounded cache from the document text to
// the parsed document or its errors. The bound is in bytes of source (an AST weighs a small
// multiple of it), so large documents cannot crowd the process out of memory; the token
// limit stops a parse of hostile size before it starts.

import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema, type ValidationRule } from 'graphql';
import { LRUCache } from 'lru-cache';

export type CheckedDocument =
  | { ok: true; document: DocumentNode }
  /** `document` is there when it parsed but failed validation. */
  | { ok: false; document?: DocumentNode; errors: readonly GraphQLError[] };

export interface DocumentCacheOptions {
  schema: GraphQLSchema;
  /** Checked first, alone: the operation limits, which bound the cost of everything after. */
  limits: readonly ValidationRule[];
  rules: readonly ValidationRule[];
  maxBytes: number;
  maxTokens: number;
}

/** A parsed document holds about this many bytes per byte of source. */
const AST_WEIGHT = 12;

export function createDocumentCache({ schema, limits, rules, maxBytes, maxTokens }: DocumentCacheOptions): (source: string) => CheckedDocument {
  const allRules = [...specifiedRules, ...rules];
  const cache = new LRUCache<string, CheckedDocument>({ maxSize: maxBytes, sizeCalculation: (_, key) => Math.max(1, key.length * AST_WEIGHT) });
  return (source) => {
    let checked = cache.get(source);
    if (checked) return checked;
    try {
      const document = parse(source, { noLocation: false, maxTokens });
      const refused = validate(schema, document, limits);
      const errors = refused.length > 0 ? refused : validate(schema, document, allRules);
      checked = errors.length > 0 ? { ok: false, document, errors } : { ok: true, document };
    } catch (error) {
      checked = { ok: false, errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (source.length * AST_WEIGHT <= maxBytes / 8) cache.set(source, checked);
    return checked;
  };
}
