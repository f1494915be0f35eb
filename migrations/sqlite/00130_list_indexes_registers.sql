-- +goose Up
-- The same for the registers created after block 00030 (decisions 00100,
-- legalreviews 00110, normdoc 00121): their indexes must run after them.
-- Indexes that serve each register list's default order and its common
-- filters, so that a page (first or deep, through the keyset cursor) reads
-- only the rows it shows (db.ListSQL; checked with EXPLAIN in each module's
-- list plan test). Each ends with the order's columns; a single-column
-- index that one of these starts with is dropped (the new one serves it).

-- decisions: ORDER BY id DESC.
CREATE INDEX IF NOT EXISTS decisions_unit_id ON decisions (unit_id, id);
CREATE INDEX IF NOT EXISTS decisions_status_id ON decisions (status, id);
CREATE INDEX IF NOT EXISTS decisions_stage_id ON decisions (stage, id);
DROP INDEX IF EXISTS decisions_unit;

-- legalreviews: ORDER BY submitted_on DESC, id DESC.
CREATE INDEX IF NOT EXISTS legalreviews_submitted_id ON legalreviews (submitted_on, id);
CREATE INDEX IF NOT EXISTS legalreviews_unit_submitted ON legalreviews (unit_id, submitted_on, id);
CREATE INDEX IF NOT EXISTS legalreviews_status_submitted ON legalreviews (status, submitted_on, id);
CREATE INDEX IF NOT EXISTS legalreviews_kind_submitted ON legalreviews (kind, submitted_on, id);
DROP INDEX IF EXISTS legalreviews_submitted;
DROP INDEX IF EXISTS legalreviews_unit;
DROP INDEX IF EXISTS legalreviews_status;

-- normdoc_documents: ORDER BY published_on DESC, id DESC.
CREATE INDEX IF NOT EXISTS normdoc_documents_published_id ON normdoc_documents (published_on, id);
CREATE INDEX IF NOT EXISTS normdoc_documents_unit_published ON normdoc_documents (unit_id, published_on, id);
CREATE INDEX IF NOT EXISTS normdoc_documents_status_published ON normdoc_documents (status, published_on, id);
CREATE INDEX IF NOT EXISTS normdoc_documents_issuer_published ON normdoc_documents (issuer_id, published_on, id);
DROP INDEX IF EXISTS normdoc_documents_published;
DROP INDEX IF EXISTS normdoc_documents_unit;
DROP INDEX IF EXISTS normdoc_documents_status;

-- +goose Down
CREATE INDEX IF NOT EXISTS decisions_unit ON decisions (unit_id);
DROP INDEX IF EXISTS decisions_unit_id;
DROP INDEX IF EXISTS decisions_status_id;
DROP INDEX IF EXISTS decisions_stage_id;
CREATE INDEX IF NOT EXISTS legalreviews_submitted ON legalreviews (submitted_on);
CREATE INDEX IF NOT EXISTS legalreviews_unit ON legalreviews (unit_id);
CREATE INDEX IF NOT EXISTS legalreviews_status ON legalreviews (status);
DROP INDEX IF EXISTS legalreviews_submitted_id;
DROP INDEX IF EXISTS legalreviews_unit_submitted;
DROP INDEX IF EXISTS legalreviews_status_submitted;
DROP INDEX IF EXISTS legalreviews_kind_submitted;
CREATE INDEX IF NOT EXISTS normdoc_documents_published ON normdoc_documents (published_on);
CREATE INDEX IF NOT EXISTS normdoc_documents_unit ON normdoc_documents (unit_id);
CREATE INDEX IF NOT EXISTS normdoc_documents_status ON normdoc_documents (status);
DROP INDEX IF EXISTS normdoc_documents_published_id;
DROP INDEX IF EXISTS normdoc_documents_unit_published;
DROP INDEX IF EXISTS normdoc_documents_status_published;
DROP INDEX IF EXISTS normdoc_documents_issuer_published;
