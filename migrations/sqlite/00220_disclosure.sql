-- +goose Up
-- 依申请公开 (information disclosure requests): one row per request with its
-- receipt date (decided by the channel's named receipt rule), the reply
-- clock (calendar.Clock JSON: start, correction restart, consultation and
-- fee pauses, extension) and its computed due date, the correction,
-- consultation, extension, secrecy-review, fee and reply records, and the
-- statistics row of the annual report the reply counts in. Dates are
-- YYYY-MM-DD (Asia/Shanghai); money in fen.
CREATE TABLE disclosure_requests (
    id                   INTEGER PRIMARY KEY,
    code                 TEXT    NOT NULL UNIQUE,
    unit_id              INTEGER NOT NULL,
    channel              TEXT    NOT NULL,
    applicant_type       TEXT    NOT NULL,
    applicant_name       TEXT    NOT NULL,
    id_number            TEXT    NOT NULL DEFAULT '',
    phone                TEXT    NOT NULL DEFAULT '',
    address              TEXT    NOT NULL DEFAULT '',
    content              TEXT    NOT NULL,
    purpose              TEXT    NOT NULL DEFAULT '',
    submitted_on         TEXT    NOT NULL,
    signed_on            TEXT    NOT NULL DEFAULT '',
    confirmed_on         TEXT    NOT NULL DEFAULT '',
    received_on          TEXT    NOT NULL,
    receipt_rule         TEXT    NOT NULL,
    status               TEXT    NOT NULL DEFAULT 'processing',
    clock                TEXT    NOT NULL,
    reply_due            TEXT    NOT NULL,
    due_explain          TEXT    NOT NULL DEFAULT '',
    due_provisional      INTEGER NOT NULL DEFAULT 0,
    correction_due       TEXT    NOT NULL DEFAULT '',
    correction_on        TEXT,
    correction_items     TEXT    NOT NULL DEFAULT '',
    correction_until     TEXT    NOT NULL DEFAULT '',
    corrected_on         TEXT,
    consult_party        TEXT    NOT NULL DEFAULT '',
    consult_on           TEXT,
    consult_due          TEXT    NOT NULL DEFAULT '',
    consult_closed_on    TEXT,
    consult_result       TEXT    NOT NULL DEFAULT '',
    extended_on          TEXT,
    extension_days       INTEGER NOT NULL DEFAULT 0,
    extension_by         TEXT    NOT NULL DEFAULT '',
    extension_reason     TEXT    NOT NULL DEFAULT '',
    secrecy_on           TEXT,
    secrecy_by           TEXT    NOT NULL DEFAULT '',
    secrecy_result       TEXT    NOT NULL DEFAULT '',
    secrecy_note         TEXT    NOT NULL DEFAULT '',
    fee_method           TEXT    NOT NULL DEFAULT '',
    fee_quantity         INTEGER NOT NULL DEFAULT 0,
    fee_fen              INTEGER NOT NULL DEFAULT 0,
    fee_noticed_on       TEXT,
    fee_paid_on          TEXT,
    reply_type           TEXT    NOT NULL DEFAULT '',
    reply_reason         TEXT    NOT NULL DEFAULT '',
    stat_group           TEXT    NOT NULL DEFAULT '',
    stat_row             TEXT    NOT NULL DEFAULT '',
    reply_no             TEXT    NOT NULL DEFAULT '',
    reply_text           TEXT    NOT NULL DEFAULT '',
    done_on              TEXT,
    on_time              INTEGER NOT NULL DEFAULT 0,
    created_by           INTEGER NOT NULL DEFAULT 0,
    created_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at           TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX disclosure_requests_unit ON disclosure_requests (unit_id, id);
CREATE INDEX disclosure_requests_status_due ON disclosure_requests (status, reply_due);
CREATE INDEX disclosure_requests_received ON disclosure_requests (received_on);
CREATE INDEX disclosure_requests_done ON disclosure_requests (done_on);

-- The timeline of a request as users see it (the audit log is the proof).
CREATE TABLE disclosure_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES disclosure_requests(id),
    at         TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    actor_id   INTEGER NOT NULL DEFAULT 0,
    actor_name TEXT    NOT NULL DEFAULT '',
    action     TEXT    NOT NULL,
    note       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX disclosure_events_request ON disclosure_events (request_id, id);

-- Online intake from the public portal: one row per accepted submission,
-- keyed by a hash of the address (never the address), for the hourly limit.
CREATE TABLE disclosure_public_intake (
    id         INTEGER PRIMARY KEY,
    addr_hash  TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    request_id INTEGER NOT NULL REFERENCES disclosure_requests(id)
);
CREATE INDEX disclosure_public_intake_addr ON disclosure_public_intake (addr_hash, at);

-- +goose Down
DROP TABLE disclosure_public_intake;
DROP TABLE disclosure_events;
DROP TABLE disclosure_requests;
