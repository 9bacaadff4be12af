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

export interface DemandTable {
  id: string;
  app_id: string;
  /** JSON: the requesting app as it filed the demand (a fulfilment applies for it). */
  requester: string;
  title: string;
  description: string;
  purpose: string;
  basis: string;
  /** JSON: the coordinates the app could name, if any. */
  coordinates: string;
  needed_by: string;
  filed_at: string;
  route_deadline: string;
  status: 'FILED' | 'DECLINED' | 'ROUTED' | 'FULFILLED';
  routed_at: string | null;
  routed_by: string | null;
  answer_deadline: string | null;
  decline_reason: string | null;
  fulfilled_at: string | null;
  fulfilled_by: string | null;
  subgraph: string | null;
  subgraph_version: number | null;
  application_id: string | null;
}

export interface DemandDepartmentTable {
  demand_id: string;
  party: string;
  decision: 'PENDING' | 'COMMITTED' | 'REFUSED';
  commit_date: string | null;
  reason: string | null;
  answered_at: string | null;
  answered_by: string | null;
}

/** One event a party or app is told of, once: its key is what makes it once, whichever replica noticed it. */
export interface NoticeTable {
  key: string;
  /** `operator`, a provider's party name, or `app:<id>`. */
  recipient: string;
  kind: string;
  subject: string;
  title: string;
  body: string;
  created_at: string;
}

export interface NoticeReadTable {
  notice_key: string;
  /** The principal (`tax/wang.li`) or app (`app:<id>`) that read it. */
  reader: string;
  read_at: string;
}

export interface WebhookTable {
  id: string;
  owner: string;
  url: string;
  secret: string;
  created_at: string;
  created_by: string;
}

/** The channels a principal or app chose: email (to an address) on top of the inbox. */
export interface NotificationPreferenceTable {
  principal: string;
  /** JSON: the channels, of `inbox`, `email`, `webhook`. */
  channels: string;
  email: string | null;
  saved_at: string;
}

/** A notice on its way to one webhook or one address: queued in the database, so it survives a restart and leaves once. */
export interface DeliveryTable {
  id: string;
  notice_key: string;
  channel: 'webhook' | 'email';
  target: string;
  status: 'PENDING' | 'DELIVERED' | 'FAILED';
  attempts: number;
  next_at: string;
  claimed_until: string | null;
  delivered_at: string | null;
  last_error: string | null;
}

export interface DeliveryAttemptTable {
  delivery_id: string;
  attempt: number;
  at: string;
  ok: number;
  http_status: number | null;
  error: string | null;
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
  demand: DemandTable;
  demand_department: DemandDepartmentTable;
  notice: NoticeTable;
  notice_read: NoticeReadTable;
  webhook: WebhookTable;
  notification_preference: NotificationPreferenceTable;
  delivery: DeliveryTable;
  delivery_attempt: DeliveryAttemptTable;
  store_change: StoreChangeTable;
}
