-- +goose Up
-- 行政应诉 (litigation response): lawsuits against the government and its
-- units. unit_id is the defendant unit (the data scope). The plaintiff's
-- personal data is kept in full and masked on reading for roles that do not
-- handle the unit's lawsuits. Dates are YYYY-MM-DD (Asia/Shanghai).
-- risk_* hold the loss-risk rules that rest on other registers (evaluated
-- on every write and on 重新评估); the defence-late rule is read from the
-- dates themselves. One judicial suggestion (司法建议) per lawsuit.
CREATE TABLE litigation_cases (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    case_no              TEXT    NOT NULL DEFAULT '',
    court                TEXT    NOT NULL,
    cause                TEXT    NOT NULL DEFAULT '',
    instance             TEXT    NOT NULL,
    plaintiff_name       TEXT    NOT NULL,
    plaintiff_type       TEXT    NOT NULL DEFAULT 'person',
    plaintiff_id_number  TEXT    NOT NULL DEFAULT '',
    plaintiff_phone      TEXT    NOT NULL DEFAULT '',
    plaintiff_address    TEXT    NOT NULL DEFAULT '',
    unit_id              INTEGER NOT NULL,
    act                  TEXT    NOT NULL,
    act_ref              TEXT    NOT NULL DEFAULT '',
    recon_case_id        INTEGER,
    recon_code           TEXT    NOT NULL DEFAULT '',
    enforcement_case_id  INTEGER,
    enforcement_code     TEXT    NOT NULL DEFAULT '',
    received_on          TEXT    NOT NULL,
    received_year        INTEGER NOT NULL,
    defence_due          TEXT    NOT NULL,
    defence_on           TEXT,
    evidence_on          TEXT,
    defence_done_on      TEXT,
    status               TEXT    NOT NULL,
    hearings_held        INTEGER NOT NULL DEFAULT 0,
    outcome              TEXT    NOT NULL DEFAULT '',
    judged_on            TEXT,
    judgement_no         TEXT    NOT NULL DEFAULT '',
    judgement_note       TEXT    NOT NULL DEFAULT '',
    finding_id           INTEGER,
    review_due           TEXT    NOT NULL DEFAULT '',
    review_on            TEXT,
    review_by            TEXT    NOT NULL DEFAULT '',
    review_conclusion    TEXT    NOT NULL DEFAULT '',
    suggestion_on        TEXT,
    suggestion_text      TEXT    NOT NULL DEFAULT '',
    suggestion_due       TEXT    NOT NULL DEFAULT '',
    suggestion_reply_on  TEXT,
    suggestion_reply     TEXT    NOT NULL DEFAULT '',
    risk_recon           TEXT    NOT NULL DEFAULT '',
    risk_cert            TEXT    NOT NULL DEFAULT '',
    risk_hit             TEXT    NOT NULL DEFAULT '',
    risk_checked_on      TEXT    NOT NULL DEFAULT '',
    created_by           INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX litigation_cases_unit ON litigation_cases (unit_id, id);
CREATE INDEX litigation_cases_status ON litigation_cases (status, id);
CREATE INDEX litigation_cases_year ON litigation_cases (received_year, id);
CREATE INDEX litigation_cases_received ON litigation_cases (received_on, id);
CREATE INDEX litigation_cases_open_due ON litigation_cases (status, defence_due);
CREATE INDEX litigation_cases_recon ON litigation_cases (recon_case_id);

-- Hearings (庭审), several per lawsuit; unit_id is the lawsuit's defendant
-- unit (kept here for the counters and the scope). appearance '' is a
-- scheduled hearing not yet recorded.
CREATE TABLE litigation_hearings (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES litigation_cases(id),
    unit_id     INTEGER NOT NULL,
    held_on     TEXT    NOT NULL,
    appearance  TEXT    NOT NULL DEFAULT '',
    attendee    TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX litigation_hearings_case ON litigation_hearings (case_id, held_on);
CREATE INDEX litigation_hearings_day ON litigation_hearings (held_on, id);
CREATE INDEX litigation_hearings_unit ON litigation_hearings (unit_id, id);

-- The timeline of a lawsuit as users see it (the audit log is the proof).
CREATE TABLE litigation_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES litigation_cases(id),
    at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT    NOT NULL DEFAULT '',
    action     TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX litigation_events_case ON litigation_events (case_id, id);

-- +goose Down
DROP TABLE litigation_events;
DROP TABLE litigation_hearings;
DROP TABLE litigation_cases;
