-- +goose Up
-- The audit chain is signed with a keyed MAC (HMAC-SM3 or HMAC-SHA-256)
-- whose key lives outside the database; key_id names the key that signed
-- the row (a fingerprint, so verification across a key rotation picks the
-- right one). Rows written before keys existed keep key_id '' and their
-- unkeyed hash: the legacy segment at the start of the chain.
ALTER TABLE audit_events ADD COLUMN key_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE audit_events DROP COLUMN key_id;
