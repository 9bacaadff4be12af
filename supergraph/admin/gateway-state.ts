// What a running gateway measures and keeps, as the admin endpoint, the CLI and tests read it.

import type { QualityDeclarations } from '../../directives/index.ts';
import type { ResponseCache } from '../cache/index.ts';
import type { CountersignRound } from '../audit/index.ts';
import type { ErrorCode } from '../errors/index.ts';
import type { Requester } from '../identity/index.ts';
import type { LabelCatalog, LabelOverlay } from '../labels/index.ts';
import type { ServiceMetrics } from '../quality/service-metrics.ts';

export interface GatewayState {
  metrics: ServiceMetrics;
  cache: ResponseCache | undefined;
  catalog: LabelCatalog;
  declarations: QualityDeclarations;
  providers: { name: string; url: string }[];
  /** The supergraph served now. */
  supergraphSdl: string;
  /** Serves another supergraph (and overlay) from the next request on; rejects, changing nothing, when it cannot be built. */
  swap(supergraphSdl: string | undefined, overlay?: LabelOverlay): Promise<void>;
  /** Checks an operation an app registers: one operation, within the limits, valid against the contract, and granted for the purpose. */
  checkOperation(document: string, requester: Requester, purpose: string): OperationCheck;
  /** Asks the providers to countersign every audit checkpoint since their last (when the gateway signs its calls and the trail is signed). */
  countersign?: () => Promise<CountersignRound | undefined>;
  /** The round run at start (the checkpoint signed at the last shutdown among what it countersigns). */
  countersignedAtStart?: Promise<CountersignRound | undefined>;
}

export type OperationCheck =
  | { ok: true; operationName: string | null; coordinates: string[] }
  | { ok: false; code: ErrorCode; message: string };
