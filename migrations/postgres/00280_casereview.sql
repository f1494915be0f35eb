-- +goose Up
-- 案卷评查 and 行政执法监督 (package casereview): rubrics kept as data (veto
-- items, sections with point caps, itemised deductions, grade cut-offs),
-- review plans (year, units, sample size per unit) whose files are drawn
-- from the closed cases of enforcement's register with the verifiable draw
-- (docs/draw.md), reviewers assigned across units with recusal, scores per
-- file with their deductions (each problem a finding in the ledger);
-- supervision notices (监督意见书/建议书) numbered per year without gaps,
-- with their items (each a finding), reply deadline (calendar rule
-- casereview.notice_reply), reply and escalation; enforcement monitors,
-- enterprise contact points and their feedback. Dates are YYYY-MM-DD
-- (Asia/Shanghai), '' when not (yet) recorded. Case and body facts are
-- copied when drawn or issued (this module never reads enforcement's tables).
CREATE TABLE review_rubrics (
    id BIGSERIAL PRIMARY KEY,
    name          TEXT    NOT NULL UNIQUE,
    definition    TEXT    NOT NULL,
    excellent_min INTEGER NOT NULL,
    pass_min      INTEGER NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE review_plans (
    id BIGSERIAL PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    unit_id         BIGINT NOT NULL REFERENCES org_units(id),
    rubric_id       BIGINT NOT NULL REFERENCES review_rubrics(id),
    per_unit        INTEGER NOT NULL,
    per_file        INTEGER NOT NULL DEFAULT 1,
    status          TEXT    NOT NULL DEFAULT 'draft',
    snapshot        TEXT    NOT NULL DEFAULT '',
    snapshot_sha256 TEXT    NOT NULL DEFAULT '',
    commitment      TEXT    NOT NULL DEFAULT '',
    seed_sha256     TEXT    NOT NULL DEFAULT '',
    seed            TEXT    NOT NULL DEFAULT '',
    reveal          TEXT    NOT NULL DEFAULT '',
    result          TEXT    NOT NULL DEFAULT '',
    committed_at    TIMESTAMP,
    drawn_at        TIMESTAMP,
    created_by      INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX review_plans_unit ON review_plans (unit_id, id);
CREATE INDEX review_plans_year ON review_plans (year, id);

CREATE TABLE review_plan_units (
    plan_id   BIGINT NOT NULL REFERENCES review_plans(id),
    unit_id   BIGINT NOT NULL REFERENCES org_units(id),
    unit_name TEXT    NOT NULL,
    PRIMARY KEY (plan_id, unit_id)
);

CREATE TABLE review_reviewers (
    plan_id    BIGINT NOT NULL REFERENCES review_plans(id),
    officer_id BIGINT NOT NULL,
    name       TEXT    NOT NULL,
    unit_id    BIGINT NOT NULL,
    unit_name  TEXT    NOT NULL,
    PRIMARY KEY (plan_id, officer_id)
);

CREATE TABLE review_pool (
    plan_id   BIGINT NOT NULL REFERENCES review_plans(id),
    case_id   BIGINT NOT NULL,
    case_code TEXT    NOT NULL,
    title     TEXT    NOT NULL,
    body_name TEXT    NOT NULL,
    unit_id   BIGINT NOT NULL,
    closed_on TEXT    NOT NULL,
    PRIMARY KEY (plan_id, case_id)
);

CREATE TABLE review_files (
    id BIGSERIAL PRIMARY KEY,
    plan_id     BIGINT NOT NULL REFERENCES review_plans(id),
    seq         INTEGER NOT NULL,
    case_id     BIGINT NOT NULL,
    case_code   TEXT    NOT NULL,
    case_title  TEXT    NOT NULL,
    body_name   TEXT    NOT NULL,
    closed_on   TEXT    NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES org_units(id),
    reviewers   TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending',
    score       INTEGER NOT NULL DEFAULT 0,
    grade       TEXT    NOT NULL DEFAULT '',
    vetoed      INTEGER NOT NULL DEFAULT 0,
    problems    INTEGER NOT NULL DEFAULT 0,
    scoring     TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT '',
    reviewer_id BIGINT NOT NULL DEFAULT 0,
    reviewed_on TEXT    NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (plan_id, seq)
);
CREATE INDEX review_files_unit ON review_files (unit_id, id);
CREATE INDEX review_files_plan ON review_files (plan_id, seq);
CREATE INDEX review_files_reviewed ON review_files (reviewed_on, id);

CREATE TABLE review_file_reviewers (
    file_id    BIGINT NOT NULL REFERENCES review_files(id),
    officer_id BIGINT NOT NULL,
    unit_id    BIGINT NOT NULL,
    PRIMARY KEY (file_id, officer_id)
);

CREATE TABLE review_problems (
    id BIGSERIAL PRIMARY KEY,
    file_id    BIGINT NOT NULL REFERENCES review_files(id),
    kind       TEXT    NOT NULL,
    item_code  TEXT    NOT NULL,
    item_text  TEXT    NOT NULL,
    points     INTEGER NOT NULL DEFAULT 0,
    reason     TEXT    NOT NULL,
    finding_id BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX review_problems_file ON review_problems (file_id, id);

CREATE TABLE supervision_notices (
    id BIGSERIAL PRIMARY KEY,
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    number         TEXT    NOT NULL UNIQUE,
    kind           TEXT    NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES org_units(id),
    body_id        BIGINT NOT NULL,
    body_name      TEXT    NOT NULL,
    issuer_unit_id BIGINT NOT NULL REFERENCES org_units(id),
    issuer_name    TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    basis          TEXT    NOT NULL DEFAULT '',
    requirement    TEXT    NOT NULL DEFAULT '',
    issued_on      TEXT    NOT NULL,
    reply_due      TEXT    NOT NULL,
    due_explain    TEXT    NOT NULL DEFAULT '',
    status         TEXT    NOT NULL DEFAULT 'issued',
    replied_on     TEXT    NOT NULL DEFAULT '',
    reply          TEXT    NOT NULL DEFAULT '',
    escalated_on   TEXT    NOT NULL DEFAULT '',
    escalation_finding_id BIGINT NOT NULL DEFAULT 0,
    created_by     INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (year, seq)
);
CREATE INDEX supervision_notices_unit ON supervision_notices (unit_id, id);
CREATE INDEX supervision_notices_due ON supervision_notices (reply_due, id);

CREATE TABLE supervision_notice_items (
    notice_id  BIGINT NOT NULL REFERENCES supervision_notices(id),
    seq        INTEGER NOT NULL,
    text       TEXT    NOT NULL,
    finding_id BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (notice_id, seq)
);

CREATE TABLE enforcement_monitors (
    id BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    name         TEXT    NOT NULL,
    workplace    TEXT    NOT NULL DEFAULT '',
    identity     TEXT    NOT NULL DEFAULT '',
    phone        TEXT    NOT NULL DEFAULT '',
    appointed_on TEXT    NOT NULL,
    term_end     TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_monitors_unit ON enforcement_monitors (unit_id, id);

CREATE TABLE enterprise_contacts (
    id BIGSERIAL PRIMARY KEY,
    unit_id        BIGINT NOT NULL REFERENCES org_units(id),
    name           TEXT    NOT NULL,
    credit_code    TEXT    NOT NULL DEFAULT '',
    contact_person TEXT    NOT NULL,
    phone          TEXT    NOT NULL DEFAULT '',
    established_on TEXT    NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enterprise_contacts_unit ON enterprise_contacts (unit_id, id);

CREATE TABLE supervision_feedback (
    id BIGSERIAL PRIMARY KEY,
    source      TEXT    NOT NULL,
    monitor_id  BIGINT NOT NULL DEFAULT 0,
    contact_id  BIGINT NOT NULL DEFAULT 0,
    source_name TEXT    NOT NULL,
    unit_id     BIGINT NOT NULL REFERENCES org_units(id),
    received_on TEXT    NOT NULL,
    content     TEXT    NOT NULL,
    handling    TEXT    NOT NULL DEFAULT '',
    finding_id  BIGINT NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX supervision_feedback_unit ON supervision_feedback (unit_id, id);
CREATE INDEX supervision_feedback_received ON supervision_feedback (received_on, id);

-- +goose Down
DROP TABLE supervision_feedback;
DROP TABLE enterprise_contacts;
DROP TABLE enforcement_monitors;
DROP TABLE supervision_notice_items;
DROP TABLE supervision_notices;
DROP TABLE review_problems;
DROP TABLE review_file_reviewers;
DROP TABLE review_files;
DROP TABLE review_pool;
DROP TABLE review_reviewers;
DROP TABLE review_plan_units;
DROP TABLE review_plans;
DROP TABLE review_rubrics;
