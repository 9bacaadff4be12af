export { applyDenials, parentsAt } from './apply-denials.ts';
export { collapseRowDenials } from './collapse-row-denials.ts';
export { contractSchema } from './contract-schema.ts';
export { decide, type DenyReason, type Subject, type Verdict } from './decide.ts';
export { pruneDeniedFields, ROW_DISTRICT_ALIAS, type DeniedField, type PrunedOperation } from './prune-denied-fields.ts';
export { requestAuthorization, type EnforcementMode, type RequestAuthorization } from './request-authorization.ts';
export { shieldFor } from './shield-rules.ts';
export { releaseUnderShield, shieldDocument } from './release-under-shield.ts';
export { shieldedReader } from './shielded-reader.ts';
