-- +goose Up
-- Holiday schedules entered by administrators (each autumn's State Council
-- notice); they extend or replace the years shipped inside the binary.
CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY,
    source     TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    version    INTEGER NOT NULL DEFAULT 1
);

-- Province-specific deadline periods overriding the shipped rule defaults
-- (e.g. normdoc.filing differs between provinces).
CREATE TABLE calendar_rule_overrides (
    rule       TEXT PRIMARY KEY,
    period     INTEGER NOT NULL,
    unit       TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL DEFAULT '',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
