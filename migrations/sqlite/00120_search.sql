-- +goose Up
-- Shared Chinese full-text index (package platform/search). Tokens are CJK
-- bigrams and lowercase words made in Go; search_fts.rowid = search_entries.id.
CREATE TABLE search_entries (
    id     INTEGER PRIMARY KEY AUTOINCREMENT,
    kind   TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    UNIQUE (kind, ref_id)
);
CREATE VIRTUAL TABLE search_fts USING fts5(tokens, tokenize = 'unicode61');

