-- +goose Up
-- What the figures count by (metric.Tally over enforcement_cases): the
-- disclosure deadline computed through the calendar when the case is
-- checked, and whether its major decision passed 法制审核 (read from
-- legalreview at the same time).
ALTER TABLE enforcement_cases ADD COLUMN disclose_due TEXT NOT NULL DEFAULT '';
ALTER TABLE enforcement_cases ADD COLUMN review_passed INTEGER NOT NULL DEFAULT 0;
-- The to-do centre reads a unit's open hits.
CREATE INDEX enforcement_rule_hits_unit ON enforcement_rule_hits (unit_id, status, id);

-- +goose Down
DROP INDEX enforcement_rule_hits_unit;
ALTER TABLE enforcement_cases DROP COLUMN review_passed;
ALTER TABLE enforcement_cases DROP COLUMN disclose_due;
