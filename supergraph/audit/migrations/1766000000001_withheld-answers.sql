-- Up Migration
-- A record whose answer was withheld after it was written (its commit confirmed too late, the
-- answer replaced by a 503) is followed in the same chain by a WITHHELD record naming its seq in
-- `withholds`: recipients and "who received" leave the original out.

ALTER TABLE audit_record ADD COLUMN withholds BIGINT;
CREATE INDEX audit_record_withholds ON audit_record (replica_id, withholds) WHERE withholds IS NOT NULL;

-- Down Migration
DROP INDEX audit_record_withholds;
ALTER TABLE audit_record DROP COLUMN withholds;
