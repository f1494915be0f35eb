-- +goose Up
-- Indexes that serve each register list's default order and its common
-- filters, so that a page (first or deep, through the keyset cursor) reads
-- only the rows it shows (db.ListSQL; checked with EXPLAIN in each module's
-- list plan test). Each ends with the order's columns; a single-column
-- index that one of these starts with is dropped (the new one serves it).

-- findings: ORDER BY id DESC.
CREATE INDEX IF NOT EXISTS findings_unit_id ON findings (unit_id, id);
CREATE INDEX IF NOT EXISTS findings_status_id ON findings (status, id);
CREATE INDEX IF NOT EXISTS findings_source_id ON findings (source, id);
DROP INDEX IF EXISTS findings_unit;

-- +goose Down
CREATE INDEX IF NOT EXISTS findings_unit ON findings (unit_id);
DROP INDEX IF EXISTS findings_unit_id;
DROP INDEX IF EXISTS findings_status_id;
DROP INDEX IF EXISTS findings_source_id;
