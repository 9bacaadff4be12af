// Why the PostgreSQL trail refuses: an append it cannot commit, a key or a chain another replica holds.

import type { ErrorCode } from '../errors/index.ts';

/** Why an append failed, with the catalogue's code the gateway answers. */
export class AuditTrailUnavailable extends Error {
  constructor(readonly code: Extract<ErrorCode, 'SERVICE_UNAVAILABLE' | 'NOT_READY'>, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'AuditTrailUnavailable';
  }
}

/** The audit key in the store is not this replica's. */
export class AuditKeyMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyMismatch';
  }
}

/** Another live process holds this replica's chain. */
export class ReplicaIdInUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicaIdInUse';
  }
}

/** A value PostgreSQL cannot store (SQLSTATE class 22: data exception), as opposed to a server out of reach. */
export const isDataError = (error: unknown) => typeof (error as { code?: unknown }).code === 'string' && (error as { code: string }).code.startsWith('22');
