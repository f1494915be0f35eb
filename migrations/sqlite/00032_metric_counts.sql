-- +goose Up
-- Incremental aggregates (issue 11, internal/metric/counts.go): per-unit
-- counters of each figure's series by day ("D2026-03-05"), month
-- ("M2026-03") and year ("Y2026"), written in the transaction of the record
-- they count, so a figure for any unit subtree and period is a small range
-- sum. metric_tallies records the definition each module's counters were
-- built with; start-up rebuilds a tally whose definition changed.
CREATE TABLE metric_counts (
    series  TEXT    NOT NULL,
    bucket  TEXT    NOT NULL,
    unit_id INTEGER NOT NULL,
    n       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (series, bucket, unit_id)
) WITHOUT ROWID;

CREATE TABLE metric_tallies (
    name       TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    built_at   TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE metric_tallies;
DROP TABLE metric_counts;
