-- +goose Up
-- 规范性文件: issuing-body list, documents through their procedure and
-- clean-up campaigns (package normdoc). Expiry and filing reminders are
-- jobs (notification/reminders).
CREATE TABLE normdoc_issuers (
    id         BIGSERIAL PRIMARY KEY,
    unit_id    BIGINT NOT NULL REFERENCES org_units(id),
    name       TEXT NOT NULL UNIQUE,
    prefix     TEXT NOT NULL UNIQUE,
    basis      TEXT NOT NULL DEFAULT '',
    active     INTEGER NOT NULL DEFAULT 1,
    listed_on  TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE normdoc_documents (
    id                   BIGSERIAL PRIMARY KEY,
    issuer_id            BIGINT NOT NULL REFERENCES normdoc_issuers(id),
    unit_id              BIGINT NOT NULL REFERENCES org_units(id),
    title                TEXT NOT NULL,
    summary              TEXT NOT NULL DEFAULT '',
    body                 TEXT NOT NULL DEFAULT '',
    important            INTEGER NOT NULL DEFAULT 0,
    status               TEXT NOT NULL,
    source               TEXT NOT NULL DEFAULT 'system',
    drafted_on           TEXT NOT NULL DEFAULT '',
    evaluation_on        TEXT NOT NULL DEFAULT '',
    evaluation_note      TEXT NOT NULL DEFAULT '',
    comment_from         TEXT NOT NULL DEFAULT '',
    comment_to           TEXT NOT NULL DEFAULT '',
    comment_count        INTEGER NOT NULL DEFAULT 0,
    comment_summary      TEXT NOT NULL DEFAULT '',
    review_id            BIGINT,
    review_submitted_on  TEXT NOT NULL DEFAULT '',
    deliberation_meeting TEXT NOT NULL DEFAULT '',
    deliberation_on      TEXT NOT NULL DEFAULT '',
    deliberation_note    TEXT NOT NULL DEFAULT '',
    review_status        TEXT NOT NULL DEFAULT '',
    doc_no               TEXT UNIQUE,
    number_year          INTEGER,
    number_seq           INTEGER,
    registered_on        TEXT NOT NULL DEFAULT '',
    published_on         TEXT NOT NULL DEFAULT '',
    effective_on         TEXT NOT NULL DEFAULT '',
    urgent               INTEGER NOT NULL DEFAULT 0,
    urgent_reason        TEXT NOT NULL DEFAULT '',
    valid_years          INTEGER NOT NULL DEFAULT 0,
    expires_on           TEXT NOT NULL DEFAULT '',
    filing_clock         TEXT NOT NULL DEFAULT '',
    filing_due           TEXT NOT NULL DEFAULT '',
    filing_to            TEXT NOT NULL DEFAULT '',
    filed_on             TEXT NOT NULL DEFAULT '',
    filed_on_time        INTEGER,
    filing_result        TEXT NOT NULL DEFAULT '',
    filing_result_on     TEXT NOT NULL DEFAULT '',
    filing_result_note   TEXT NOT NULL DEFAULT '',
    ended_on             TEXT NOT NULL DEFAULT '',
    end_reason           TEXT NOT NULL DEFAULT '',
    internal_note        TEXT NOT NULL DEFAULT '',
    version              INTEGER NOT NULL DEFAULT 1,
    created_by           BIGINT,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (issuer_id, number_year, number_seq)
);
CREATE INDEX normdoc_documents_unit ON normdoc_documents(unit_id);
CREATE INDEX normdoc_documents_status ON normdoc_documents(status);
CREATE INDEX normdoc_documents_published ON normdoc_documents(published_on);
CREATE INDEX normdoc_documents_expires ON normdoc_documents(expires_on);

CREATE TABLE normdoc_cleanups (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    title        TEXT NOT NULL,
    basis        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL,
    started_on   TEXT NOT NULL,
    finished_on  TEXT NOT NULL DEFAULT '',
    published_on TEXT NOT NULL DEFAULT '',
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE normdoc_cleanup_items (
    id          BIGSERIAL PRIMARY KEY,
    cleanup_id  BIGINT NOT NULL REFERENCES normdoc_cleanups(id),
    document_id BIGINT NOT NULL REFERENCES normdoc_documents(id),
    outcome     TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL DEFAULT '',
    decided_on  TEXT NOT NULL DEFAULT '',
    UNIQUE (cleanup_id, document_id)
);
