// Who acts on the admin endpoint, and with which role: the checks every resolver shares, and
// the coded error it answers with.

import { GraphQLError } from 'graphql';
import { ERRORS, type ErrorCode } from '../errors/index.ts';
import { GrantError } from '../grants/index.ts';
import { AppKeyError, hasRole, principalName, PrincipalError, type Party, type PrincipalRole } from '../identity/index.ts';
import { StoreUnavailableError } from '../stores/index.ts';
import type { AdminCaller } from './admin-caller.ts';

export interface AdminContext {
  caller: AdminCaller;
}

export function fail(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): never {
  throw new GraphQLError(message, { extensions: { code, hint: ERRORS[code].hint, ...extensions } });
}

export function party(ctx: AdminContext): Party {
  if (ctx.caller.kind !== 'party') fail('NOT_A_PARTY', 'Only the operator and providers answer applications.');
  return ctx.caller.party;
}

/** The calling principal's party and name, once it is known to hold one of `roles`. */
export function acting(ctx: AdminContext, ...roles: PrincipalRole[]): { party: Party; who: string } {
  const caller = party(ctx);
  const { principal } = ctx.caller as Extract<AdminCaller, { kind: 'party' }>;
  if (!hasRole(principal, ...roles)) {
    fail('ROLE_REQUIRED', `${principalName(principal)} does not hold the role ${roles.join(' or ')} this action needs.`, { role: roles.join(' | ') });
  }
  return { party: caller, who: principalName(principal) };
}

/** A refusal of the grant service or the app registry, or a shared store out of reach, as a coded error. */
function coded(error: unknown): never {
  if (error instanceof GrantError) fail(error.code, error.message, error.extensions);
  if (error instanceof AppKeyError || error instanceof PrincipalError || error instanceof StoreUnavailableError) fail(error.code, error.message);
  throw error;
}

/** Runs a rule of the grant service or the app registry (a write resolves once stored), turning its refusal into a coded error. */
export async function guarded<T>(action: () => T | Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    coded(error);
  }
}
