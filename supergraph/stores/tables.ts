// The control plane's tables, as the query builder sees them: one description for SQLite and
// PostgreSQL alike. Instants are ISO strings and JSON is text in both dialects, so a row reads
// back the same whichever store holds it.

import type { Generated } from 'kysely';

export interface ApplicationTable {
  id: string;
  app_id: string;
  purpose: string;
  basis: string;
  /** JSON: the coordinates applied for. */
  coordinates: string;
  selector: string | null;
  row_scope: string;
  expires_at: string;
  filed_at: string;
  reply_deadline: string;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

export interface ApplicationPartyTable {
  application_id: string;
  party: string;
  decision: 'PENDING' | 'APPROVED' | 'REFUSED';
  reason: string | null;
  answered_at: string | null;
  answered_by: string | null;
}

export interface AppTable {
  id: string;
  /** JSON: the app's entry, without keys. */
  entry: string;
  created_at: string;
  created_by: string;
}

export interface AppKeyTable {
  app_id: string;
  key_id: string;
  sha256: string;
  created_at: string;
  created_by: string;
}

export interface KeyRetirementTable {
  sha256: string;
  app_id: string;
  key_id: string;
  not_after: string;
  retired_at: string;
  retired_by: string;
}

export interface PrincipalTable {
  party: string;
  id: string;
  /** JSON: the principal, with the digest of its token. */
  entry: string;
  saved_at: string;
  saved_by: string;
}

export interface PrincipalRemovalTable {
  party: string;
  id: string;
  removed_at: string;
  removed_by: string;
}

export interface SubgraphVersionTable {
  subgraph: string;
  version: number;
  url: string;
  sdl: string;
  published_by: string;
  published_at: string;
  status: 'ACTIVE' | 'PENDING' | 'SUPERSEDED' | 'REJECTED';
}

export interface PublicationDecisionTable {
  subgraph: string;
  version: number;
  party: string;
  decision: 'APPROVED' | 'REFUSED';
  decided_by: string;
  decided_at: string;
  reason: string | null;
}

export interface ObjectionTable {
  id: string;
  coordinate: string;
  entity_key: string;
  observed_value: string;
  comment: string;
  evidence: string | null;
  app_id: string;
  filed_at: string;
  deadline: string;
  status: 'OPEN' | 'CONFIRMED' | 'REJECTED';
  answered_by: string | null;
  answered_at: string | null;
  reason: string | null;
  corrected_value: string | null;
}

export interface RegisteredOperationTable {
  app_id: string;
  hash: string;
  operation_name: string | null;
  document: string;
  purpose: string;
  /** JSON: the coordinates the document selects. */
  coordinates: string;
  registered_at: string;
}

export interface LabelOverlayTable {
  id: number;
  /** JSON: the overlay file as loaded. */
  overlay: string;
  sha256: string;
  loaded_by: string;
  loaded_at: string;
}

/** SQLite only: the changes other processes on the same file read (PostgreSQL announces them with NOTIFY). */
export interface StoreChangeTable {
  seq: Generated<number>;
  store: string;
  id: string;
  origin: string;
}

export interface Tables {
  application: ApplicationTable;
  application_party: ApplicationPartyTable;
  app: AppTable;
  app_key: AppKeyTable;
  key_retirement: KeyRetirementTable;
  principal: PrincipalTable;
  principal_removal: PrincipalRemovalTable;
  subgraph_version: SubgraphVersionTable;
  publication_decision: PublicationDecisionTable;
  objection: ObjectionTable;
  registered_operation: RegisteredOperationTable;
  label_overlay: LabelOverlayTable;
  store_change: StoreChangeTable;
}
