-- +goose Up
-- 包容审慎监管 (package enforcement, issue 21): the no-penalty / exemption /
-- light-penalty lists as versioned data per enforcement body, a case's link
-- to the list item applied, the report of penalties on enterprises to the
-- 司法局 (涉企处罚报备) and inspections of enterprises against published
-- yearly plans (涉企行政检查) with their own rule hits.

-- One row per version of a list. list_no is the id of the list's first
-- version (all versions of one list share it); effective_to is '' while the
-- version is the latest, else the day before the next version takes effect.
CREATE TABLE enforcement_leniency_lists (
    id             BIGSERIAL PRIMARY KEY,
    list_no        INTEGER NOT NULL DEFAULT 0,
    list_version   INTEGER NOT NULL DEFAULT 1,
    body_id        BIGINT NOT NULL REFERENCES enforcement_bodies(id),
    unit_id        BIGINT NOT NULL REFERENCES org_units(id),
    title          TEXT    NOT NULL,
    granting_doc   TEXT    NOT NULL,
    effective_from TEXT    NOT NULL,
    effective_to   TEXT    NOT NULL DEFAULT '',
    created_by     INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_leniency_lists_body ON enforcement_leniency_lists (body_id, list_no, list_version);
CREATE INDEX enforcement_leniency_lists_unit ON enforcement_leniency_lists (unit_id, id);

-- Items of one list version. conditions: codes joined by ',' (first,
-- minor, corrected); light_max_fen: the light band's upper amount.
CREATE TABLE enforcement_leniency_items (
    id            BIGSERIAL PRIMARY KEY,
    list_id       BIGINT NOT NULL REFERENCES enforcement_leniency_lists(id),
    seq           INTEGER NOT NULL,
    violation     TEXT    NOT NULL,
    legal_basis   TEXT    NOT NULL,
    conditions    TEXT    NOT NULL DEFAULT '',
    kind          TEXT    NOT NULL,
    light_max_fen BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX enforcement_leniency_items_list ON enforcement_leniency_items (list_id, seq);

-- The list item a case applies, with the facts the item's conditions ask.
CREATE TABLE enforcement_case_leniency (
    case_id         BIGINT PRIMARY KEY REFERENCES enforcement_cases(id),
    item_id         BIGINT NOT NULL REFERENCES enforcement_leniency_items(id),
    first_violation INTEGER NOT NULL DEFAULT 0,
    minor           INTEGER NOT NULL DEFAULT 0,
    corrected       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX enforcement_case_leniency_item ON enforcement_case_leniency (item_id);

-- 涉企处罚报备: one report per case; a returned report is submitted again.
CREATE TABLE enforcement_penalty_reports (
    id            BIGSERIAL PRIMARY KEY,
    case_id       INTEGER NOT NULL UNIQUE REFERENCES enforcement_cases(id),
    unit_id       BIGINT NOT NULL REFERENCES org_units(id),
    amount_fen    BIGINT  NOT NULL,
    summary       TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'submitted',
    submitted_by  INTEGER NOT NULL DEFAULT 0,
    submitted_on  TEXT    NOT NULL,
    reviewed_by   INTEGER NOT NULL DEFAULT 0,
    reviewed_on   TEXT    NOT NULL DEFAULT '',
    review_note   TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_penalty_reports_status ON enforcement_penalty_reports (status, id);
CREATE INDEX enforcement_penalty_reports_unit ON enforcement_penalty_reports (unit_id, id);

-- What the figures count by: whether a decided case needed the report and
-- whether it was acknowledged before the decision.
ALTER TABLE enforcement_cases ADD COLUMN report_required INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enforcement_cases ADD COLUMN reported_before INTEGER NOT NULL DEFAULT 0;

-- Yearly inspection plans per body; items one per line.
CREATE TABLE enforcement_inspection_plans (
    id                 BIGSERIAL PRIMARY KEY,
    body_id            BIGINT NOT NULL REFERENCES enforcement_bodies(id),
    unit_id            BIGINT NOT NULL REFERENCES org_units(id),
    year               INTEGER NOT NULL,
    title              TEXT    NOT NULL,
    items              TEXT    NOT NULL,
    max_per_enterprise INTEGER NOT NULL,
    status             TEXT    NOT NULL DEFAULT 'draft',
    published_on       TEXT    NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_inspection_plans_body ON enforcement_inspection_plans (body_id, year, id);
CREATE INDEX enforcement_inspection_plans_unit ON enforcement_inspection_plans (unit_id, id);

CREATE TABLE enforcement_inspections (
    id              BIGSERIAL PRIMARY KEY,
    plan_id         BIGINT REFERENCES enforcement_inspection_plans(id),
    body_id         BIGINT NOT NULL REFERENCES enforcement_bodies(id),
    unit_id         BIGINT NOT NULL REFERENCES org_units(id),
    enterprise      TEXT    NOT NULL,
    credit_code     TEXT    NOT NULL,
    inspected_on    TEXT    NOT NULL,
    item            TEXT    NOT NULL DEFAULT '',
    result          TEXT    NOT NULL,
    created_by      INTEGER NOT NULL DEFAULT 0,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_inspections_unit ON enforcement_inspections (unit_id, id);
CREATE INDEX enforcement_inspections_code ON enforcement_inspections (credit_code, inspected_on, id);
CREATE INDEX enforcement_inspections_day ON enforcement_inspections (inspected_on, id);

-- Officers on an inspection.
CREATE TABLE enforcement_inspection_officers (
    inspection_id BIGINT NOT NULL REFERENCES enforcement_inspections(id),
    officer_id    BIGINT NOT NULL REFERENCES enforcement_officers(id),
    PRIMARY KEY (inspection_id, officer_id)
);

-- Rule hits on inspections, as enforcement_rule_hits for cases.
CREATE TABLE enforcement_inspection_hits (
    id            BIGSERIAL PRIMARY KEY,
    inspection_id BIGINT NOT NULL REFERENCES enforcement_inspections(id),
    rule          TEXT    NOT NULL,
    rule_version  INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL,
    detail        TEXT    NOT NULL DEFAULT '',
    status        TEXT    NOT NULL DEFAULT 'open',
    finding_id    BIGINT NOT NULL REFERENCES findings(id),
    opened_on     TEXT    NOT NULL,
    closed_on     TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX enforcement_inspection_hits_open ON enforcement_inspection_hits (inspection_id, rule) WHERE status = 'open';
CREATE INDEX enforcement_inspection_hits_rule ON enforcement_inspection_hits (rule, status, id);

-- The 司法局 acknowledges the reports: grant the new permission to the
-- built-in supervisor role of an existing installation (a new one gets it
-- from the built-in role table).
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'enforcement.supervise' FROM roles r
WHERE r.code = 'supervisor' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'enforcement.supervise');

-- +goose Down
DELETE FROM role_perms WHERE perm = 'enforcement.supervise';
DROP TABLE enforcement_inspection_hits;
DROP TABLE enforcement_inspection_officers;
DROP TABLE enforcement_inspections;
DROP TABLE enforcement_inspection_plans;
ALTER TABLE enforcement_cases DROP COLUMN reported_before;
ALTER TABLE enforcement_cases DROP COLUMN report_required;
DROP TABLE enforcement_penalty_reports;
DROP TABLE enforcement_case_leniency;
DROP TABLE enforcement_leniency_items;
DROP TABLE enforcement_leniency_lists;
