export { checkpointBytes, keyId, parseCheckpoint, signatureHash, type ChainLink, type Checkpoint, type CheckpointBody, type Countersignature } from './audit-checkpoint.ts';
export { ASSERTION_HEADER, bindingClaims, contentDigest, COUNTERSIGN_PATH, GATEWAY_ISSUER, normalisedUrl, REGISTRY_ISSUER, type BoundCall, type CallBindingClaims } from './caller-assertion.ts';
export { openSigningKey, publicKeyFileOf, publicKeyPem, readPublicKey, type SigningKey } from './signing-key.ts';
export { memoisedCoordinates, queryCoordinates } from './query-coordinates.ts';
