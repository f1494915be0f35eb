-- +goose Up
-- Evidence files (佐证材料). A row is one version of one logical piece of
-- evidence (evidence_key); the bytes live in content-addressed storage under
-- storage_key, never at a path built from user input. name is a sanitised
-- display name only.
CREATE TABLE files (
    id           INTEGER PRIMARY KEY,
    evidence_key TEXT    NOT NULL,
    version      INTEGER NOT NULL,
    owner_type   TEXT    NOT NULL,
    owner_id     INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    kind         TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    sha256       TEXT    NOT NULL,
    sm3          TEXT    NOT NULL,
    storage_key  TEXT    NOT NULL,
    uploaded_by  INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (evidence_key, version)
);
CREATE INDEX files_owner ON files (owner_type, owner_id);
CREATE INDEX files_storage_key ON files (storage_key);
