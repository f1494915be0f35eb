-- +goose Up
-- Shared Chinese full-text index (package platform/search). Tokens are CJK
-- bigrams and lowercase words made in Go, searched as tsvector('simple').
CREATE TABLE search_entries (
    id     BIGSERIAL PRIMARY KEY,
    kind   TEXT NOT NULL,
    ref_id BIGINT NOT NULL,
    tokens TEXT NOT NULL DEFAULT '',
    tsv    TSVECTOR NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv);

