-- +goose Up
-- Append-only, hash-chained audit log. Each event's hash covers its content
-- and the previous event's hash; audit_chain_head holds the last sequence
-- number and hash, updated in the same transaction as the insert, so that
-- appends serialize and deleting the newest event is detected too.
CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    actor_name  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    object_type TEXT NOT NULL DEFAULT '',
    object_id   TEXT NOT NULL DEFAULT '',
    unit_id     INTEGER,
    summary     TEXT NOT NULL DEFAULT '',
    before_data TEXT NOT NULL DEFAULT '',
    after_data  TEXT NOT NULL DEFAULT '',
    result      TEXT NOT NULL DEFAULT 'ok',
    alg         TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_events_at ON audit_events(at);
CREATE INDEX audit_events_actor ON audit_events(actor_id);
CREATE INDEX audit_events_action ON audit_events(action);

CREATE TABLE audit_chain_head (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq INTEGER NOT NULL,
    hash     TEXT NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, hash) VALUES (1, 0, '');
