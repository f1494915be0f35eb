-- +goose Up
-- Background jobs with leases. Times used for claiming (run_at, locked_until,
-- finished_at) are Unix milliseconds UTC so that both dialects compare them
-- as numbers. unique_key makes an enqueue idempotent (a reminder for one
-- record, deadline and offset exists once); group_key lets a module cancel
-- every pending job of one record.
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    kind         TEXT    NOT NULL,
    unique_key   TEXT    UNIQUE,
    group_key    TEXT,
    payload      TEXT    NOT NULL DEFAULT '{}',
    status       TEXT    NOT NULL DEFAULT 'pending',
    run_at       INTEGER NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL DEFAULT 5,
    locked_by    TEXT,
    locked_until INTEGER,
    last_error   TEXT,
    finished_at  INTEGER,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX jobs_ready ON jobs (status, run_at);
CREATE INDEX jobs_group ON jobs (group_key);

-- In-app notifications (the bell). source_key names what produced the
-- notification (a job's unique key) and keeps a retried delivery from
-- notifying a user twice.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL DEFAULT '',
    link       TEXT    NOT NULL DEFAULT '',
    source_key TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    read_at    TIMESTAMP,
    UNIQUE (user_id, source_key)
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
