-- Up Migration
-- The control plane replicas share: applications and answers, apps, keys and principals, the
-- schema registry, objections and registered operations. Instants are ISO strings, as in SQLite.

CREATE TABLE application (
  id VARCHAR(64) PRIMARY KEY,
  app_id VARCHAR(128) NOT NULL,
  purpose VARCHAR(256) NOT NULL,
  basis TEXT NOT NULL,
  coordinates JSONB NOT NULL,
  selector TEXT,
  row_scope VARCHAR(16) NOT NULL,
  expires_at VARCHAR(32) NOT NULL,
  filed_at VARCHAR(32) NOT NULL,
  reply_deadline VARCHAR(32) NOT NULL,
  revoked_at VARCHAR(32),
  revoked_by VARCHAR(256),
  revoke_reason TEXT
);
CREATE INDEX application_by_app ON application (app_id);

CREATE TABLE application_party (
  application_id VARCHAR(64) NOT NULL REFERENCES application (id),
  party VARCHAR(128) NOT NULL,
  decision VARCHAR(16) NOT NULL CHECK (decision IN ('PENDING', 'APPROVED', 'REFUSED')),
  reason TEXT,
  answered_at VARCHAR(32),
  answered_by VARCHAR(256),
  PRIMARY KEY (application_id, party)
);

CREATE TABLE app (
  id VARCHAR(128) PRIMARY KEY,
  entry JSONB NOT NULL,
  created_at VARCHAR(32) NOT NULL,
  created_by VARCHAR(256) NOT NULL
);

CREATE TABLE app_key (
  app_id VARCHAR(128) NOT NULL,
  key_id VARCHAR(64) NOT NULL,
  sha256 CHAR(64) NOT NULL UNIQUE,
  created_at VARCHAR(32) NOT NULL,
  created_by VARCHAR(256) NOT NULL,
  PRIMARY KEY (app_id, key_id)
);

CREATE TABLE key_retirement (
  sha256 CHAR(64) PRIMARY KEY,
  app_id VARCHAR(128) NOT NULL,
  key_id VARCHAR(64) NOT NULL,
  not_after VARCHAR(32) NOT NULL,
  retired_at VARCHAR(32) NOT NULL,
  retired_by VARCHAR(256) NOT NULL
);

CREATE TABLE principal (
  party VARCHAR(128) NOT NULL,
  id VARCHAR(128) NOT NULL,
  entry JSONB NOT NULL,
  saved_at VARCHAR(32) NOT NULL,
  saved_by VARCHAR(256) NOT NULL,
  PRIMARY KEY (party, id)
);

CREATE TABLE principal_removal (
  party VARCHAR(128) NOT NULL,
  id VARCHAR(128) NOT NULL,
  removed_at VARCHAR(32) NOT NULL,
  removed_by VARCHAR(256) NOT NULL,
  PRIMARY KEY (party, id)
);

CREATE TABLE subgraph_version (
  subgraph VARCHAR(128) NOT NULL,
  version INTEGER NOT NULL,
  url TEXT NOT NULL,
  sdl TEXT NOT NULL,
  published_by VARCHAR(256) NOT NULL,
  published_at VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL CHECK (status IN ('ACTIVE', 'PENDING', 'SUPERSEDED', 'REJECTED')),
  PRIMARY KEY (subgraph, version)
);
-- One version of a subgraph is served at a time, whichever replica activated it.
CREATE UNIQUE INDEX subgraph_version_one_active ON subgraph_version (subgraph) WHERE status = 'ACTIVE';

CREATE TABLE objection (
  id VARCHAR(64) PRIMARY KEY,
  coordinate VARCHAR(256) NOT NULL,
  entity_key VARCHAR(256) NOT NULL,
  observed_value TEXT NOT NULL,
  comment TEXT NOT NULL,
  evidence TEXT,
  app_id VARCHAR(128) NOT NULL,
  filed_at VARCHAR(32) NOT NULL,
  deadline VARCHAR(32) NOT NULL,
  status VARCHAR(16) NOT NULL CHECK (status IN ('OPEN', 'CONFIRMED', 'REJECTED')),
  answered_by VARCHAR(256),
  answered_at VARCHAR(32),
  reason TEXT,
  corrected_value TEXT
);

CREATE TABLE registered_operation (
  app_id VARCHAR(128) NOT NULL,
  hash CHAR(64) NOT NULL,
  operation_name VARCHAR(256),
  document TEXT NOT NULL,
  purpose VARCHAR(256) NOT NULL,
  coordinates JSONB NOT NULL,
  registered_at VARCHAR(32) NOT NULL,
  PRIMARY KEY (app_id, hash)
);

-- Down Migration
DROP TABLE registered_operation;
DROP TABLE objection;
DROP TABLE subgraph_version;
DROP TABLE principal_removal;
DROP TABLE principal;
DROP TABLE key_retirement;
DROP TABLE app_key;
DROP TABLE app;
DROP TABLE application_party;
DROP TABLE application;
