-- +goose Up
-- 行政复议 (reconsideration) cases: the application (applicant's personal
-- data kept in full, masked on reading for roles that do not handle cases),
-- the respondent unit (unit_id, the data scope), the procedure's state and
-- its statutory clocks. Each clock is a calendar.Clock history as JSON
-- (accept, correction, reply, decide); the *_due columns hold the due date
-- the history gives, for lists, the to-do centre and the figures' counters.
-- Dates are YYYY-MM-DD (Asia/Shanghai); money in fen.
CREATE TABLE reconsideration_cases (
    id                  INTEGER PRIMARY KEY,
    code                TEXT    NOT NULL UNIQUE,
    applicant_name      TEXT    NOT NULL,
    applicant_type      TEXT    NOT NULL DEFAULT 'person',
    applicant_id_number TEXT    NOT NULL DEFAULT '',
    applicant_phone     TEXT    NOT NULL DEFAULT '',
    applicant_address   TEXT    NOT NULL DEFAULT '',
    unit_id             INTEGER NOT NULL,
    act                 TEXT    NOT NULL,
    act_ref             TEXT    NOT NULL DEFAULT '',
    category            TEXT    NOT NULL,
    amount_fen          INTEGER NOT NULL DEFAULT 0,
    on_the_spot         INTEGER NOT NULL DEFAULT 0,
    consent             INTEGER NOT NULL DEFAULT 0,
    channel             TEXT    NOT NULL,
    received_on         TEXT    NOT NULL,
    request             TEXT    NOT NULL DEFAULT '',
    status              TEXT    NOT NULL,
    simple              INTEGER NOT NULL DEFAULT 0,
    accept_clock        TEXT    NOT NULL DEFAULT '',
    accept_due          TEXT    NOT NULL DEFAULT '',
    accept_kind         TEXT    NOT NULL DEFAULT '',
    accepted_on         TEXT,
    correction_on       TEXT,
    correction_items    TEXT    NOT NULL DEFAULT '',
    correction_clock    TEXT    NOT NULL DEFAULT '',
    correction_due      TEXT    NOT NULL DEFAULT '',
    corrected_on        TEXT,
    closed_reason       TEXT    NOT NULL DEFAULT '',
    copy_sent_on        TEXT,
    reply_clock         TEXT    NOT NULL DEFAULT '',
    reply_due           TEXT    NOT NULL DEFAULT '',
    replied_on          TEXT,
    reply_late          INTEGER NOT NULL DEFAULT 0,
    hearing_on          TEXT,
    hearing_note        TEXT    NOT NULL DEFAULT '',
    decide_clock        TEXT    NOT NULL DEFAULT '',
    decide_due          TEXT    NOT NULL DEFAULT '',
    extended            INTEGER NOT NULL DEFAULT 0,
    resume_status       TEXT    NOT NULL DEFAULT '',
    due_on              TEXT    NOT NULL DEFAULT '',
    due_step            TEXT    NOT NULL DEFAULT '',
    concluded_on        TEXT,
    termination         TEXT    NOT NULL DEFAULT '',
    outcome             TEXT    NOT NULL DEFAULT '',
    decision_no         TEXT    NOT NULL DEFAULT '',
    decision_reason     TEXT    NOT NULL DEFAULT '',
    finding_id          INTEGER,
    published_on        TEXT,
    opinion_kind        TEXT    NOT NULL DEFAULT '',
    opinion_on          TEXT,
    opinion_text        TEXT    NOT NULL DEFAULT '',
    followup_due        TEXT    NOT NULL DEFAULT '',
    followup_on         TEXT,
    followup_note       TEXT    NOT NULL DEFAULT '',
    sued                INTEGER NOT NULL DEFAULT 0,
    created_by          INTEGER NOT NULL DEFAULT 0,
    created_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at          TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX reconsideration_cases_unit ON reconsideration_cases (unit_id, id);
CREATE INDEX reconsideration_cases_status_due ON reconsideration_cases (status, due_on);
CREATE INDEX reconsideration_cases_received ON reconsideration_cases (received_on, id);
CREATE INDEX reconsideration_cases_concluded ON reconsideration_cases (concluded_on);

-- The timeline of a case as users see it (the audit log is the proof).
CREATE TABLE reconsideration_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES reconsideration_cases(id),
    at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT    NOT NULL DEFAULT '',
    action     TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX reconsideration_events_case ON reconsideration_events (case_id, id);

-- +goose Down
DROP TABLE reconsideration_events;
DROP TABLE reconsideration_cases;
