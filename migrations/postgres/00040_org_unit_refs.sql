-- +goose Up
-- The org module's published view of its units for other modules' lists
-- and subtree filters: id, name and materialized path only. Modules join
-- this view, never org_units (docs/dev-notes.md "One store shape").
CREATE VIEW org_unit_refs AS SELECT id, name, path FROM org_units;

-- +goose Down
DROP VIEW org_unit_refs;
