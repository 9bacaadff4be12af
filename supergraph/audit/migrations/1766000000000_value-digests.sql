-- Up Migration
-- Which records' values each answer returned, as digests of (coordinate, entity key)
-- (received-values.ts): what an objection is checked against. Part of the hashed record when
-- present; records written before keep NULL and hash as they did.

ALTER TABLE audit_record ADD COLUMN value_digests TEXT[];
CREATE INDEX audit_record_value_digests ON audit_record USING GIN (value_digests);

-- Down Migration
DROP INDEX audit_record_value_digests;
ALTER TABLE audit_record DROP COLUMN value_digests;
