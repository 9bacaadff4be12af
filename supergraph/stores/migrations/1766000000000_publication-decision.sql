-- Up Migration
-- Each party's decision on a PENDING subgraph version: the operator's, and every owner's whose
-- fields the version would take (an ownership change is a joint decision).

CREATE TABLE publication_decision (
  subgraph VARCHAR(128) NOT NULL,
  version INTEGER NOT NULL,
  party VARCHAR(128) NOT NULL,
  decision VARCHAR(16) NOT NULL CHECK (decision IN ('APPROVED', 'REFUSED')),
  decided_by VARCHAR(256) NOT NULL,
  decided_at VARCHAR(32) NOT NULL,
  reason TEXT,
  PRIMARY KEY (subgraph, version, party),
  FOREIGN KEY (subgraph, version) REFERENCES subgraph_version (subgraph, version)
);

-- Down Migration
DROP TABLE publication_decision;
