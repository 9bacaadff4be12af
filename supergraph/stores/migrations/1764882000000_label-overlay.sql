-- Up Migration
-- The label overlay the operator loaded last, through any replica: every replica serves it.

CREATE TABLE label_overlay (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  overlay JSONB NOT NULL,
  sha256 CHAR(64) NOT NULL,
  loaded_by VARCHAR(256) NOT NULL,
  loaded_at VARCHAR(32) NOT NULL
);

-- Down Migration
DROP TABLE label_overlay;
