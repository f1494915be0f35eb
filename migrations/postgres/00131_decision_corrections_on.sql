-- +goose Up
-- The figure 被上级机关纠错的决策 counts the decisions corrected in a period
-- (decision.Store.CorrectedCount): it reads that period's corrections
-- through this index instead of every decision.
CREATE INDEX IF NOT EXISTS decision_corrections_on ON decision_corrections (corrected_on, decision_id);

-- +goose Down
DROP INDEX IF EXISTS decision_corrections_on;
