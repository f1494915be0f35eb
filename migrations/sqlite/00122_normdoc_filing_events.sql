-- +goose Up
-- 备案审查 history of a normative document, append-only: every
-- filing-review result (审查通过 / 责令纠正 / 予以撤销) and every correction
-- the issuing body recorded after 责令纠正. normdoc_documents.filing_result*
-- keep the latest result for lists and figures.
CREATE TABLE normdoc_filing_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id       INTEGER NOT NULL REFERENCES normdoc_documents(id),
    seq               INTEGER NOT NULL,
    kind              TEXT NOT NULL,             -- result | correction
    result            TEXT NOT NULL DEFAULT '',  -- passed | correction | revoked (kind = result)
    event_on          TEXT NOT NULL,             -- the result's date, or the correction's date
    corrected_version TEXT NOT NULL DEFAULT '',  -- kind = correction: the corrected text
    note              TEXT NOT NULL DEFAULT '',
    recorded_by       TEXT NOT NULL DEFAULT '',
    recorded_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (document_id, seq)
);

-- Results recorded before the history existed become its first entry.
INSERT INTO normdoc_filing_events (document_id, seq, kind, result, event_on, note, recorded_at)
SELECT id, 1, 'result', filing_result, filing_result_on, filing_result_note, updated_at
FROM normdoc_documents WHERE filing_result <> '';

-- +goose Down
DROP TABLE normdoc_filing_events;
