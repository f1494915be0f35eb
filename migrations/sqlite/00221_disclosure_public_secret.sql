-- +goose Up
-- The portal's status lookup: each online submission keeps a hash of the
-- secret query code handed to the applicant once (never the code itself);
-- the lookup finds the submission by the request it registered.
ALTER TABLE disclosure_public_intake ADD COLUMN secret_hash TEXT NOT NULL DEFAULT '';
CREATE INDEX disclosure_public_intake_request ON disclosure_public_intake (request_id);

-- +goose Down
DROP INDEX disclosure_public_intake_request;
ALTER TABLE disclosure_public_intake DROP COLUMN secret_hash;
