// A refusal by the demand service, with its catalogued code (the admin endpoint answers with it).

import type { ErrorCode } from '../errors/index.ts';

export type DemandErrorCode = Extract<ErrorCode,
  'DEMAND_INVALID' | 'DEMAND_NOT_FOUND' | 'DEMAND_NOT_OPEN' | 'FULFILMENT_MISMATCH' | 'NOT_A_PARTY' | 'ALREADY_ANSWERED' | 'REASON_REQUIRED' | 'LIMIT_REACHED'
  | 'PURPOSE_INVALID' | 'PURPOSE_NOT_PERMITTED' | 'PURPOSE_REQUIRED' | 'ID_AMBIGUOUS'>;

export class DemandError extends Error {
  constructor(readonly code: DemandErrorCode, message: string, readonly extensions: Record<string, unknown> = {}) {
    super(message);
  }
}
