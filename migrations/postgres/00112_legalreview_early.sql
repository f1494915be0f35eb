-- +goose Up
-- A review concluded before its minimum review time (legalreview.min, 不少于
-- 7个工作日) records why (the urgent matter) and who approved concluding it
-- early; such reviews are marked in the ledger, the letter and the figures.
ALTER TABLE legalreviews ADD COLUMN early_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE legalreviews ADD COLUMN early_approver TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE legalreviews DROP COLUMN early_approver;
ALTER TABLE legalreviews DROP COLUMN early_reason;
