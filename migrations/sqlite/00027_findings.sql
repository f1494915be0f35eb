-- +goose Up
-- The findings ledger (问题台账): every problem from every source, its
-- rectification deadline (computed by the calendar, with the explanation
-- stored), the close-out chain instance (JSON from the workflow engine),
-- the re-check (回头看) and the link to an earlier finding that recurred.
-- Dates are YYYY-MM-DD (Asia/Shanghai).
CREATE TABLE findings (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL UNIQUE,
    title            TEXT    NOT NULL,
    description      TEXT    NOT NULL DEFAULT '',
    source           TEXT    NOT NULL,
    source_ref       TEXT    NOT NULL DEFAULT '',
    unit_id          INTEGER NOT NULL,
    severity         TEXT    NOT NULL,
    found_on         TEXT    NOT NULL,
    rectify_due      TEXT    NOT NULL,
    due_explain      TEXT    NOT NULL DEFAULT '',
    due_provisional  INTEGER NOT NULL DEFAULT 0,
    measures         TEXT    NOT NULL DEFAULT '',
    rectified_on     TEXT,
    status           TEXT    NOT NULL DEFAULT 'open',
    closeout         TEXT,
    closed_on        TEXT,
    escalated_at     TIMESTAMP,
    recheck_due      TEXT,
    rechecked_on     TEXT,
    recheck_result   TEXT,
    recheck_note     TEXT    NOT NULL DEFAULT '',
    previous_id      INTEGER REFERENCES findings(id),
    created_by       INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX findings_unit ON findings (unit_id);
CREATE INDEX findings_status_due ON findings (status, rectify_due);
CREATE INDEX findings_previous ON findings (previous_id);

-- The timeline of a finding as users see it (the audit log is the proof).
CREATE TABLE finding_events (
    id         INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT    NOT NULL DEFAULT '',
    action     TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX finding_events_finding ON finding_events (finding_id, id);
