-- +goose Up
-- The expert pool also holds assessing organisations (kind 'org'), each
-- identified by its 统一社会信用代码: risk assessors and post-decision
-- evaluators are chosen from these records, experts name the organisation
-- they work for, and art. 36 (the evaluator is not the earlier assessor)
-- compares records, not spellings of a name.
ALTER TABLE decision_experts ADD COLUMN kind TEXT NOT NULL DEFAULT 'expert';
ALTER TABLE decision_experts ADD COLUMN credit_code TEXT NOT NULL DEFAULT '';
ALTER TABLE decision_experts ADD COLUMN org_id BIGINT;
CREATE UNIQUE INDEX decision_experts_credit_code ON decision_experts(credit_code) WHERE credit_code <> '';

-- +goose Down
DROP INDEX decision_experts_credit_code;
ALTER TABLE decision_experts DROP COLUMN org_id;
ALTER TABLE decision_experts DROP COLUMN credit_code;
ALTER TABLE decision_experts DROP COLUMN kind;
