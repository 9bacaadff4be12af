-- Up Migration
-- The decision trail replicas share (postgres-audit-trail.ts): one hash chain for every replica,
-- appended under a transaction-level advisory lock (decisions are few and human-paced; one chain
-- keeps them in the order they were taken), its head, and the audit signing key's id, claimed by
-- the first replica so that one holding another key refuses to start.

CREATE TABLE decision_record (
  seq BIGINT PRIMARY KEY,
  at TEXT NOT NULL,
  who TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL,
  coordinates TEXT[] NOT NULL,
  decision TEXT,
  reason TEXT,
  detail TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  -- Which replica wrote it: for the reader, outside the hash (the chain does not depend on where a decision was taken).
  replica_id TEXT NOT NULL
);
CREATE INDEX decision_record_action ON decision_record (action, seq);

CREATE TABLE decision_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);

CREATE TABLE audit_signing_key (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  key_id TEXT NOT NULL,
  claimed_by TEXT NOT NULL,
  claimed_at TEXT NOT NULL
);

-- Down Migration
DROP TABLE audit_signing_key;
DROP TABLE decision_head;
DROP TABLE decision_record;
