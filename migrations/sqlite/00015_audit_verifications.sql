-- +goose Up
-- Runs of the audit chain verification. Walking millions of events takes
-- minutes, so a request queues a run and a background worker in one of the
-- processes walks the chain, writing its progress (checked) and a heartbeat;
-- a run whose heartbeat stops (the process died) is shown as interrupted.
-- Times are UTC RFC 3339 text, result is the VerifyResult as JSON.
CREATE TABLE audit_verifications (
    id           INTEGER PRIMARY KEY,
    status       TEXT    NOT NULL DEFAULT 'queued',
    requested_by TEXT    NOT NULL,
    requested_at TEXT    NOT NULL,
    started_at   TEXT,
    finished_at  TEXT,
    heartbeat_at TEXT,
    worker       TEXT    NOT NULL DEFAULT '',
    checked      INTEGER NOT NULL DEFAULT 0,
    total        INTEGER NOT NULL DEFAULT 0,
    result       TEXT    NOT NULL DEFAULT '',
    error        TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_verifications_status ON audit_verifications(status);

-- +goose Down
DROP TABLE audit_verifications;
