-- +goose Up
-- People's mediation (人民调解, 人民调解法): committees attached to org units
-- (village, town, industry), their mediators, and the case register —
-- intake (type, source, parties), the mediation steps, the outcome
-- (agreement written or oral, or failure), the joint application for
-- judicial confirmation within 30 days of the agreement (rule
-- mediation.confirm, calendar days: 人民调解法 art. 33) and its result,
-- follow-up visits and fulfilment, and the hand-over to litigation
-- (诉调对接: cases the court delegated come in with source 'court'; a
-- failed case may be guided to litigation). Dates are YYYY-MM-DD
-- (Asia/Shanghai).
CREATE TABLE mediation_committees (
    id              INTEGER PRIMARY KEY,
    unit_id         INTEGER NOT NULL,
    name            TEXT    NOT NULL UNIQUE,
    kind            TEXT    NOT NULL,
    established_on  TEXT    NOT NULL DEFAULT '',
    note            TEXT    NOT NULL DEFAULT '',
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mediation_committees_unit ON mediation_committees (unit_id, id);

CREATE TABLE mediation_mediators (
    id              INTEGER PRIMARY KEY,
    committee_id    INTEGER NOT NULL REFERENCES mediation_committees(id),
    unit_id         INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    duty            TEXT    NOT NULL DEFAULT '',
    phone           TEXT    NOT NULL DEFAULT '',
    full_time       INTEGER NOT NULL DEFAULT 0,
    active          INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at      TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mediation_mediators_committee ON mediation_mediators (committee_id, id);

-- code is NULL only inside the transaction that inserts the row (the
-- register number carries the id, set right after).
CREATE TABLE mediation_cases (
    id                  INTEGER PRIMARY KEY,
    code                TEXT UNIQUE,
    case_no             TEXT    NOT NULL DEFAULT '',
    committee_id        INTEGER NOT NULL REFERENCES mediation_committees(id),
    unit_id             INTEGER NOT NULL,
    mediator_id         INTEGER REFERENCES mediation_mediators(id),
    dispute_type        TEXT    NOT NULL,
    source              TEXT    NOT NULL,
    source_ref          TEXT    NOT NULL DEFAULT '',
    received_on         TEXT    NOT NULL,
    parties             TEXT    NOT NULL,
    party_phone         TEXT    NOT NULL DEFAULT '',
    party_id_number     TEXT    NOT NULL DEFAULT '',
    party_address       TEXT    NOT NULL DEFAULT '',
    summary             TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL DEFAULT 'accepted',
    sessions            INTEGER NOT NULL DEFAULT 0,
    closed_on           TEXT,
    failed_reason       TEXT    NOT NULL DEFAULT '',
    agreement_form      TEXT    NOT NULL DEFAULT '',
    agreement_terms     TEXT    NOT NULL DEFAULT '',
    confirm_due         TEXT,
    confirm_applied_on  TEXT,
    confirm_court       TEXT    NOT NULL DEFAULT '',
    confirm_result      TEXT    NOT NULL DEFAULT '',
    confirm_result_on   TEXT,
    followups           INTEGER NOT NULL DEFAULT 0,
    fulfilment          TEXT    NOT NULL DEFAULT '',
    fulfilled_on        TEXT,
    litigation_on       TEXT,
    created_by          INTEGER NOT NULL DEFAULT 0,
    created_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX mediation_cases_unit ON mediation_cases (unit_id, id);
CREATE INDEX mediation_cases_status_unit ON mediation_cases (status, unit_id, id);
CREATE INDEX mediation_cases_committee ON mediation_cases (committee_id, id);
CREATE INDEX mediation_cases_received ON mediation_cases (received_on, id);
CREATE INDEX mediation_cases_confirm_due ON mediation_cases (confirm_due, unit_id);

-- The steps of a case as users see them (the audit log is the proof):
-- each mediation session, the outcome, the confirmation, each follow-up
-- visit, the fulfilment; day is the date the step took place.
CREATE TABLE mediation_steps (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES mediation_cases(id),
    kind        TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    actor_id    INTEGER NOT NULL DEFAULT 0,
    actor_name  TEXT    NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL
);
CREATE INDEX mediation_steps_case ON mediation_steps (case_id, id);

-- +goose Down
DROP TABLE mediation_steps;
DROP TABLE mediation_cases;
DROP TABLE mediation_mediators;
DROP TABLE mediation_committees;
