-- +goose Up
-- The decision body (决策机关) as an org unit: the steps it takes in its own
-- name (collective decision, party-committee report, publication) may be
-- recorded only by accounts acting for that unit (decision.certify).
-- Existing decisions take the unit of the catalogue they were started
-- from; the rest keep 0 and are resolved by the body's name when needed.
ALTER TABLE decisions ADD COLUMN body_unit_id BIGINT NOT NULL DEFAULT 0;
UPDATE decisions SET body_unit_id = COALESCE((SELECT c.unit_id FROM decision_catalogue_items i
    JOIN decision_catalogues c ON c.id = i.catalogue_id WHERE i.id = decisions.catalogue_item_id), 0);

-- +goose Down
ALTER TABLE decisions DROP COLUMN body_unit_id;
