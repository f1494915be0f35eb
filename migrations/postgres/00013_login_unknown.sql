-- +goose Up
-- Failed sign-ins under usernames that do not exist (issue 10): they count
-- and lock exactly like a real account's, so that the answers do not tell
-- an attacker which accounts exist. Rows older than a day are pruned.
CREATE TABLE login_unknown (
    username     TEXT PRIMARY KEY,
    failed_count INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_unknown_updated ON login_unknown(updated_at);
