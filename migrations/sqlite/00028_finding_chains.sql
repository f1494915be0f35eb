-- +goose Up
-- Close-out (销号) review chains of the findings ledger as data: the
-- supervisor edits them through /api/finding-chains. A finding under
-- close-out keeps the snapshot its chain instance started with. The row
-- 'closeout' is the district's chain, seeded with finding.DefaultChain.
CREATE TABLE finding_chains (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    definition  TEXT    NOT NULL,
    updated_by  INTEGER NOT NULL DEFAULT 0,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
INSERT INTO finding_chains (code, name, definition) VALUES ('closeout', '问题整改销号审核流程',
'{"code":"finding.closeout","name":"问题整改销号审核","steps":[{"key":"unit_review","name":"责任单位负责人审核","kind":"single","assignees":[{"role":"head"}],"deadline_days":5,"remind_before_days":1,"escalate_to":{"role":"supervisor"}},{"key":"supervisor_review","name":"法治督察机构审核销号","kind":"any","assignees":[{"role":"supervisor"}],"deadline_days":5,"remind_before_days":1,"allow_return_to":["unit_review"],"opinion_required":true}]}');
