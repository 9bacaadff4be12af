export { checkpointBytes, keyId, parseCheckpoint, signatureHash, type ChainLink, type Checkpoint, type CheckpointBody, type Countersignature } from './audit-checkpoint.ts';
export { ASSERTION_HEADER, COUNTERSIGN_PATH, GATEWAY_ISSUER, REGISTRY_ISSUER } from './caller-assertion.ts';
export { openSigningKey, publicKeyFileOf, publicKeyPem, readPublicKey, type SigningKey } from './signing-key.ts';
