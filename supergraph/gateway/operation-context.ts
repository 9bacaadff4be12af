// What one operation hands the executor, and through it each provider call: who asks, why, under
// which grants and for which rows (the claims the call is signed with), in which trace. The calls
// are collected here, the operation's own, for the quality stage and the result it returns. The
// context crosses the engine untyped; the provider-side hooks narrow it back with operationContextOf.

import type { Context } from '@opentelemetry/api';
import type { AssertionClaims, SubgraphCall } from '../execution/index.ts';
import { purposeCovers } from '../identity/index.ts';
import type { RequestAuthorization } from '../policy/index.ts';
import type { QualityContext } from '../quality/quality-stage.ts';

export class OperationContext {
  readonly authz: RequestAuthorization | undefined;
  readonly requestId: string | undefined;
  readonly quality: QualityContext;
  /** The request's trace; the plan's own span once it executes. */
  trace: Context | undefined;
  #claims: AssertionClaims | undefined;

  constructor(authz: RequestAuthorization | undefined, requestId: string | undefined, trace: Context | undefined, lineage: boolean) {
    this.authz = authz;
    this.requestId = requestId;
    this.quality = { calls: [], lineage };
    this.trace = trace;
  }

  /** A provider call finished. */
  called(call: SubgraphCall): void {
    this.quality.calls.push(call);
  }

  /** The providers called, once each, in the order their answers came. */
  providers(): string[] {
    return [...new Set(this.quality.calls.map((call) => call.subgraph))];
  }

  /** What the request says about itself to every provider it calls, worked out once. */
  get claims(): AssertionClaims {
    return (this.#claims ??= assertionClaims(this.authz, this.requestId));
  }
}

/** The operation's context, from the untyped one a provider call carries; none for a call outside an operation. */
export function operationContextOf(context: unknown): OperationContext | undefined {
  return context instanceof OperationContext ? context : undefined;
}

/** Who, why, under which grants, for which rows: the gateway itself when no requester is authorized. */
export function assertionClaims(authz: RequestAuthorization | undefined, requestId: string | undefined): AssertionClaims {
  if (!authz) return { subject: 'gateway', ...(requestId ? { requestId } : {}) };
  const covering = authz.grants.filter((g) => purposeCovers(g.purpose, authz.purpose));
  const district = authz.requester.district;
  const limited = [...new Set(covering.filter((g) => g.rowScope === 'OWN_DISTRICT').flatMap((g) => g.coordinates))];
  const rowTypes = [...new Set(limited.map((c) => c.slice(0, c.indexOf('.'))))];
  return {
    subject: authz.requester.appId,
    ...(requestId ? { requestId } : {}),
    department: authz.requester.department,
    purpose: authz.purpose,
    grants: covering.map((g) => g.id),
    rows: district && rowTypes.length > 0 ? { district, types: rowTypes, coordinates: limited } : null,
  };
}
