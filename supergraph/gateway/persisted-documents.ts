// Which document a request runs, when it names one by hash. Two protocols:
// - trusted documents: an app in "registered operations only" mode runs only what it
//   registered through the admin API (checked against its grants then); it sends the hash, or
//   a document whose hash it registered; anything else is refused with OPERATION_NOT_REGISTERED.
// - automatic persisted queries (Apollo's protocol) for the other apps: a hash the gateway
//   knows runs its document; an unknown one is answered PERSISTED_QUERY_NOT_FOUND, and the
//   client sends the document with its hash once, which the gateway checks and keeps (bounded
//   in bytes). A document is not data: the cache holds texts, never answers.

import { LRUCache } from 'lru-cache';
import type { ErrorCode } from '../errors/index.ts';
import { documentHash, type OperationStore } from '../operations/index.ts';
import type { GraphQLParams } from './graphql-params.ts';

export type DocumentResolution = { ok: true; params: GraphQLParams & { query: string } } | { ok: false; status: number; code: ErrorCode; message: string };

export interface PersistedDocumentsOptions {
  /** Bytes of automatically persisted documents kept. */
  maxBytes: number;
  operations?: OperationStore;
  registeredOnly: (appId: string) => boolean;
}

export function persistedDocuments({ maxBytes, operations, registeredOnly }: PersistedDocumentsOptions) {
  const automatic = new LRUCache<string, string>({ maxSize: maxBytes, sizeCalculation: (query, hash) => query.length + hash.length });

  return function resolveDocument(params: GraphQLParams, appId: string | undefined, documentStatus: number): DocumentResolution {
    const { query, documentHash: hash } = params;
    if (query !== null && hash !== null && documentHash(query) !== hash) {
      return { ok: false, status: 400, code: 'PERSISTED_QUERY_HASH_MISMATCH', message: 'The hash sent is not the SHA-256 of the document sent with it.' };
    }
    if (appId !== undefined && registeredOnly(appId)) {
      const registered = operations?.find(appId, hash ?? documentHash(query!));
      if (!registered) {
        return { ok: false, status: 400, code: 'OPERATION_NOT_REGISTERED', message: `App "${appId}" runs registered operations only, and this one is not registered.` };
      }
      return { ok: true, params: { ...params, query: registered.document } };
    }
    if (hash === null) return { ok: true, params: { ...params, query: query! } };
    if (query !== null) {
      if (query.length + hash.length <= maxBytes / 8) automatic.set(hash, query);
      return { ok: true, params: { ...params, query } };
    }
    const known = automatic.get(hash);
    if (known === undefined) return { ok: false, status: documentStatus, code: 'PERSISTED_QUERY_NOT_FOUND', message: 'PersistedQueryNotFound' };
    return { ok: true, params: { ...params, query: known } };
  };
}
