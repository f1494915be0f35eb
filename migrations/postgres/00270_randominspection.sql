-- +goose Up
-- 双随机、一公开 (package randominspection): the inspection matters list
-- per enforcement body, plans (one body or a joint plan of several) with
-- their entity pool (risk levels), inspector pool (certified officers) and
-- declared relations, the verifiable draw (docs/draw.md: the canonical
-- snapshot, the commitment published before drawing, the seed revealed
-- with the result) and the checks drawn, with their results and
-- publication. Dates are YYYY-MM-DD (Asia/Shanghai), '' when not (yet)
-- recorded. Body names are copied from enforcement's register when a
-- matter or plan is saved (this module never reads enforcement's tables).
CREATE TABLE random_matters (
    id BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES org_units(id),
    body_id     BIGINT NOT NULL REFERENCES enforcement_bodies(id),
    body_name   TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    legal_basis TEXT    NOT NULL,
    object_kind TEXT    NOT NULL,
    method      TEXT    NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX random_matters_name ON random_matters (body_id, name);
CREATE INDEX random_matters_unit ON random_matters (unit_id, id);

CREATE TABLE random_plans (
    id BIGSERIAL PRIMARY KEY,
    code            TEXT    NOT NULL UNIQUE,
    year            INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    unit_id         BIGINT NOT NULL REFERENCES org_units(id),
    joint           INTEGER NOT NULL DEFAULT 0,
    ratio_high      INTEGER NOT NULL,
    ratio_medium    INTEGER NOT NULL,
    ratio_low       INTEGER NOT NULL,
    per_check       INTEGER NOT NULL DEFAULT 2,
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
CREATE INDEX random_plans_unit ON random_plans (unit_id, id);
CREATE INDEX random_plans_year ON random_plans (year, id);
CREATE INDEX random_plans_status ON random_plans (status, id);

CREATE TABLE random_plan_bodies (
    plan_id BIGINT NOT NULL REFERENCES random_plans(id),
    body_id BIGINT NOT NULL REFERENCES enforcement_bodies(id),
    body_name TEXT NOT NULL,
    PRIMARY KEY (plan_id, body_id)
);

CREATE TABLE random_plan_matters (
    plan_id   BIGINT NOT NULL REFERENCES random_plans(id),
    matter_id BIGINT NOT NULL REFERENCES random_matters(id),
    PRIMARY KEY (plan_id, matter_id)
);

CREATE TABLE random_entities (
    id BIGSERIAL PRIMARY KEY,
    plan_id     BIGINT NOT NULL REFERENCES random_plans(id),
    name        TEXT    NOT NULL,
    credit_code TEXT    NOT NULL DEFAULT '',
    kind        TEXT    NOT NULL,
    risk        TEXT    NOT NULL,
    unit_id     BIGINT NOT NULL DEFAULT 0,
    unit_name   TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX random_entities_plan ON random_entities (plan_id, id);

CREATE TABLE random_inspectors (
    plan_id    BIGINT NOT NULL REFERENCES random_plans(id),
    officer_id BIGINT NOT NULL,
    name       TEXT    NOT NULL,
    unit_id    BIGINT NOT NULL,
    unit_name  TEXT    NOT NULL,
    PRIMARY KEY (plan_id, officer_id)
);

CREATE TABLE random_relations (
    plan_id    BIGINT NOT NULL REFERENCES random_plans(id),
    officer_id BIGINT NOT NULL,
    entity_id  BIGINT NOT NULL REFERENCES random_entities(id),
    note       TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (plan_id, officer_id, entity_id)
);

CREATE TABLE random_checks (
    id BIGSERIAL PRIMARY KEY,
    plan_id      BIGINT NOT NULL REFERENCES random_plans(id),
    seq          INTEGER NOT NULL,
    entity_id    BIGINT NOT NULL REFERENCES random_entities(id),
    unit_id      BIGINT NOT NULL,
    inspectors   TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending',
    checked_on   TEXT    NOT NULL DEFAULT '',
    result       TEXT    NOT NULL DEFAULT '',
    problems     TEXT    NOT NULL DEFAULT '',
    finding_id   BIGINT NOT NULL DEFAULT 0,
    publish_due  TEXT    NOT NULL DEFAULT '',
    published_on TEXT    NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (plan_id, seq)
);
CREATE INDEX random_checks_unit ON random_checks (unit_id, status, id);
CREATE INDEX random_checks_plan ON random_checks (plan_id, seq);
CREATE INDEX random_checks_status ON random_checks (status, id);

CREATE TABLE random_check_inspectors (
    check_id   BIGINT NOT NULL REFERENCES random_checks(id),
    officer_id BIGINT NOT NULL,
    PRIMARY KEY (check_id, officer_id)
);

-- +goose Down
DROP TABLE random_check_inspectors;
DROP TABLE random_checks;
DROP TABLE random_relations;
DROP TABLE random_inspectors;
DROP TABLE random_entities;
DROP TABLE random_plan_matters;
DROP TABLE random_plan_bodies;
DROP TABLE random_plans;
DROP TABLE random_matters;
