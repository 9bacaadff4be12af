-- Up Migration
-- The access audit trail of several gateway replicas (postgres-audit-trail.ts): one hash chain per
-- replica, its records keyed by replica and seq; each chain's head; the signed checkpoints of all
-- heads. Instants are ISO strings, as the hashes cover them.

CREATE TABLE audit_record (
  replica_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at TEXT NOT NULL,
  app_id TEXT,
  department TEXT,
  purpose TEXT,
  operation_hash TEXT,
  returned TEXT[] NOT NULL,
  denied TEXT[] NOT NULL,
  providers TEXT[] NOT NULL,
  entities INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  status INTEGER NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  request_id TEXT,
  PRIMARY KEY (replica_id, seq)
);
CREATE INDEX audit_record_at ON audit_record (at);
CREATE INDEX audit_record_app ON audit_record (app_id, at);
-- Who received a coordinate: the index is PostgreSQL's own over the chained column, nothing to verify apart.
CREATE INDEX audit_record_returned ON audit_record USING GIN (returned);
CREATE INDEX audit_record_request ON audit_record (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE audit_head (
  replica_id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE audit_checkpoint (
  n INTEGER PRIMARY KEY,
  checkpoint TEXT NOT NULL
);

-- Down Migration
DROP TABLE audit_checkpoint;
DROP TABLE audit_head;
DROP TABLE audit_record;
