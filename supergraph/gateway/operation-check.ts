// The check an operation passes when an app registers it as a trusted document: one operation,
// within the operation limits and valid against the contract (the same document cache requests
// use), and nothing in it denied to the app for the purpose it is registered for. What it asks
// for is kept beside it, so the operator can read which fields each registered operation uses.

import { Kind, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { OperationCheck } from '../admin/index.ts';
import { documentErrorCode, ERRORS, type ErrorCode } from '../errors/index.ts';
import type { GrantService } from '../grants/index.ts';
import type { Requester } from '../identity/index.ts';
import type { LabelCatalog } from '../labels/index.ts';
import { pruneDeniedFields, requestAuthorization } from '../policy/index.ts';
import type { CheckedDocument } from './document-cache.ts';

export interface OperationCheckOptions {
  served: GraphQLSchema;
  documents: (source: string) => CheckedDocument;
  catalog: LabelCatalog;
  grants: GrantService;
}

/** Every schema coordinate a document selects, fragments included; introspection left out. */
export function askedCoordinates(schema: GraphQLSchema, document: DocumentNode): string[] {
  const typeInfo = new TypeInfo(schema);
  const asked = new Set<string>();
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (parent && !node.name.value.startsWith('__')) asked.add(`${parent.name}.${node.name.value}`);
    },
  }));
  return [...asked].sort();
}

export function operationChecker({ served, documents, catalog, grants }: OperationCheckOptions) {
  const refuse = (code: ErrorCode, message: string): OperationCheck => ({ ok: false, code, message });
  return (source: string, requester: Requester, purpose: string): OperationCheck => {
    if (!purpose) return refuse('PURPOSE_REQUIRED', 'An operation is registered for a purpose.');
    const checked = documents(source);
    if (!checked.ok) {
      const first = checked.errors[0]!;
      const own = first.extensions?.code;
      const code = typeof own === 'string' && own in ERRORS ? (own as ErrorCode) : documentErrorCode(first);
      return refuse(code, checked.errors.map((e) => e.message).join(' '));
    }
    const operations = checked.document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (operations.length !== 1) return refuse('OPERATION_NOT_FOUND', `A registered document holds exactly one operation; this one holds ${operations.length}.`);
    const operation = operations[0]!;
    if (operation.operation === 'subscription' || !served.getRootType(operation.operation)) {
      return refuse('OPERATION_NOT_SUPPORTED', `This gateway does not serve ${operation.operation} operations.`);
    }
    const authz = requestAuthorization(catalog, requester, purpose, grants.active(requester.appId), 'enforce');
    const pruned = pruneDeniedFields({ schema: served, document: checked.document, operationName: operation.name?.value ?? null, verdictFor: authz.verdictFor });
    const denied = [...new Set(pruned.denied.map((d) => d.coordinate))].sort();
    if (denied.length > 0) return refuse('OPERATION_NOT_GRANTED', `Not granted to "${requester.appId}" for the purpose "${purpose}": ${denied.join(', ')}.`);
    return { ok: true, operationName: operation.name?.value ?? null, coordinates: askedCoordinates(served, checked.document) };
  };
}
