-- +goose Up
-- 示范创建指标体系 (package indicator): frameworks as versioned data (a
-- level 1/2/3 tree of items with points, scoring method, evidence
-- checklist, veto/bonus/deduction kinds and an optional binding to a
-- dashboard figure), assessment campaigns, the task breakdown
-- (assignments: lead and supporting units, due dates), evidence with an
-- effective period, self-scores, the 司法局 review (a workflow instance as
-- JSON) and final scores. Dates are YYYY-MM-DD (Asia/Shanghai), '' when
-- not (yet) set. Points are decimals (REAL / DOUBLE PRECISION).
CREATE TABLE indicator_frameworks (
    id BIGSERIAL PRIMARY KEY,
    code        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    revision    INTEGER NOT NULL DEFAULT 1,
    based_on    BIGINT NOT NULL DEFAULT 0,
    builtin     INTEGER NOT NULL DEFAULT 0,
    superseded  INTEGER NOT NULL DEFAULT 0,
    note        TEXT    NOT NULL DEFAULT '',
    created_by  BIGINT NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX indicator_frameworks_rev ON indicator_frameworks (code, revision);

CREATE TABLE indicator_items (
    id BIGSERIAL PRIMARY KEY,
    framework_id   BIGINT NOT NULL REFERENCES indicator_frameworks(id),
    parent_id      BIGINT NOT NULL DEFAULT 0,
    level          INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    code           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    kind           TEXT    NOT NULL DEFAULT 'normal',
    points         DOUBLE PRECISION    NOT NULL DEFAULT 0,
    method         TEXT    NOT NULL DEFAULT 'manual',
    per_occurrence DOUBLE PRECISION    NOT NULL DEFAULT 0,
    cap            DOUBLE PRECISION    NOT NULL DEFAULT 0,
    figure_code    TEXT    NOT NULL DEFAULT '',
    full_at        DOUBLE PRECISION    NOT NULL DEFAULT 0,
    zero_at        DOUBLE PRECISION    NOT NULL DEFAULT 0,
    evidence       TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX indicator_items_code ON indicator_items (framework_id, code);
CREATE INDEX indicator_items_seq ON indicator_items (framework_id, seq);

CREATE TABLE indicator_campaigns (
    id BIGSERIAL PRIMARY KEY,
    name         TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    framework_id BIGINT NOT NULL REFERENCES indicator_frameworks(id),
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    period_from  TEXT    NOT NULL,
    period_to    TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'open',
    closed_on    TEXT    NOT NULL DEFAULT '',
    figures_at   TIMESTAMP,
    created_by   BIGINT NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX indicator_campaigns_year ON indicator_campaigns (year, id);

CREATE TABLE indicator_assignments (
    id BIGSERIAL PRIMARY KEY,
    campaign_id     BIGINT NOT NULL REFERENCES indicator_campaigns(id),
    item_id         BIGINT NOT NULL REFERENCES indicator_items(id),
    unit_id         BIGINT NOT NULL REFERENCES org_units(id),
    supporting      TEXT    NOT NULL DEFAULT '',
    due_on          TEXT    NOT NULL DEFAULT '',
    status          TEXT    NOT NULL DEFAULT 'pending',
    checked         TEXT    NOT NULL DEFAULT '',
    occurrences     INTEGER NOT NULL DEFAULT 0,
    self_score      DOUBLE PRECISION,
    self_note       TEXT    NOT NULL DEFAULT '',
    veto_failed     INTEGER NOT NULL DEFAULT 0,
    auto_value      DOUBLE PRECISION,
    auto_score      DOUBLE PRECISION,
    auto_note       TEXT    NOT NULL DEFAULT '',
    auto_link       TEXT    NOT NULL DEFAULT '',
    final_score     DOUBLE PRECISION,
    overridden      INTEGER NOT NULL DEFAULT 0,
    override_reason TEXT    NOT NULL DEFAULT '',
    review_note     TEXT    NOT NULL DEFAULT '',
    review_due      TEXT    NOT NULL DEFAULT '',
    rounds          INTEGER NOT NULL DEFAULT 0,
    flow            TEXT    NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX indicator_assignments_item ON indicator_assignments (campaign_id, item_id);
CREATE INDEX indicator_assignments_unit ON indicator_assignments (unit_id, id);
CREATE INDEX indicator_assignments_status ON indicator_assignments (campaign_id, status, id);

CREATE TABLE indicator_supporting (
    assignment_id BIGINT NOT NULL REFERENCES indicator_assignments(id),
    unit_id       BIGINT NOT NULL REFERENCES org_units(id),
    PRIMARY KEY (assignment_id, unit_id)
);
CREATE INDEX indicator_supporting_unit ON indicator_supporting (unit_id, assignment_id);

CREATE TABLE indicator_evidence (
    id BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES indicator_assignments(id),
    file_id       BIGINT NOT NULL,
    name          TEXT    NOT NULL,
    valid_from    TEXT    NOT NULL DEFAULT '',
    valid_to      TEXT    NOT NULL DEFAULT '',
    reused_from   BIGINT NOT NULL DEFAULT 0,
    created_by    BIGINT NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX indicator_evidence_file ON indicator_evidence (assignment_id, file_id);

CREATE TABLE indicator_events (
    id BIGSERIAL PRIMARY KEY,
    assignment_id BIGINT NOT NULL REFERENCES indicator_assignments(id),
    at            TIMESTAMP NOT NULL,
    actor_id      BIGINT NOT NULL DEFAULT 0,
    actor_name    TEXT    NOT NULL DEFAULT '',
    action        TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX indicator_events_assignment ON indicator_events (assignment_id, id);

-- +goose Down
DROP TABLE indicator_events;
DROP TABLE indicator_evidence;
DROP TABLE indicator_supporting;
DROP TABLE indicator_assignments;
DROP TABLE indicator_campaigns;
DROP TABLE indicator_items;
DROP TABLE indicator_frameworks;
