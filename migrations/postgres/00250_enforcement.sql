-- +goose Up
-- 行政执法监督 (package enforcement): enforcement bodies and towns'
-- entrusted/empowered item lists, officers with their certificates and
-- training hours, the case register with its parties and officers, the
-- automatic rules' hits (each open hit is one finding in the ledger) and
-- the provincial platform's machine credentials (only a hash is stored).
-- Dates are YYYY-MM-DD (Asia/Shanghai), '' when not (yet) recorded.
CREATE TABLE enforcement_bodies (
    id BIGSERIAL PRIMARY KEY,
    unit_id     BIGINT NOT NULL REFERENCES org_units(id),
    name        TEXT    NOT NULL UNIQUE,
    kind        TEXT    NOT NULL,
    legal_basis TEXT    NOT NULL DEFAULT '',
    categories  TEXT    NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_bodies_unit ON enforcement_bodies (unit_id, id);

CREATE TABLE enforcement_grants (
    id BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    mode         TEXT    NOT NULL,
    item         TEXT    NOT NULL,
    granting_doc TEXT    NOT NULL,
    granted_on   TEXT    NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_grants_unit ON enforcement_grants (unit_id, id);

CREATE TABLE enforcement_officers (
    id BIGSERIAL PRIMARY KEY,
    unit_id          BIGINT NOT NULL REFERENCES org_units(id),
    name             TEXT    NOT NULL,
    phone            TEXT    NOT NULL DEFAULT '',
    cert_no          TEXT    NOT NULL UNIQUE,
    cert_kind        TEXT    NOT NULL,
    cert_authority   TEXT    NOT NULL,
    cert_issued_on   TEXT    NOT NULL,
    cert_expires_on  TEXT    NOT NULL,
    cert_status      TEXT    NOT NULL DEFAULT 'valid',
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at       TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_officers_unit ON enforcement_officers (unit_id, id);
CREATE INDEX enforcement_officers_expiry ON enforcement_officers (cert_expires_on);

CREATE TABLE enforcement_training (
    officer_id BIGINT NOT NULL REFERENCES enforcement_officers(id),
    year       INTEGER NOT NULL,
    hours      INTEGER NOT NULL,
    PRIMARY KEY (officer_id, year)
);

CREATE TABLE enforcement_cases (
    id BIGSERIAL PRIMARY KEY,
    code              TEXT    NOT NULL UNIQUE,
    platform_no       TEXT    UNIQUE,
    source            TEXT    NOT NULL DEFAULT 'form',
    unit_id           BIGINT NOT NULL REFERENCES org_units(id),
    body_id           BIGINT NOT NULL REFERENCES enforcement_bodies(id),
    kind              TEXT    NOT NULL,
    title             TEXT    NOT NULL,
    party_type        TEXT    NOT NULL,
    party_name        TEXT    NOT NULL,
    party_id_no       TEXT    NOT NULL DEFAULT '',
    party_phone       TEXT    NOT NULL DEFAULT '',
    party_address     TEXT    NOT NULL DEFAULT '',
    procedure         TEXT    NOT NULL,
    amount_fen        BIGINT  NOT NULL DEFAULT 0,
    legal_basis       TEXT    NOT NULL DEFAULT '',
    discretion_band   TEXT    NOT NULL DEFAULT '',
    major             INTEGER NOT NULL DEFAULT 0,
    hearing_measure   INTEGER NOT NULL DEFAULT 0,
    extended          INTEGER NOT NULL DEFAULT 0,
    extension_note    TEXT    NOT NULL DEFAULT '',
    filed_on          TEXT    NOT NULL,
    prior_notice_on   TEXT    NOT NULL DEFAULT '',
    hearing_notice_on TEXT    NOT NULL DEFAULT '',
    hearing_on        TEXT    NOT NULL DEFAULT '',
    decided_on        TEXT    NOT NULL DEFAULT '',
    served_on         TEXT    NOT NULL DEFAULT '',
    closed_on         TEXT    NOT NULL DEFAULT '',
    disclosed_on      TEXT    NOT NULL DEFAULT '',
    created_by        INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at        TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX enforcement_cases_unit ON enforcement_cases (unit_id, id);
CREATE INDEX enforcement_cases_kind ON enforcement_cases (kind, id);
CREATE INDEX enforcement_cases_filed ON enforcement_cases (filed_on, id);

CREATE TABLE enforcement_case_officers (
    case_id    BIGINT NOT NULL REFERENCES enforcement_cases(id),
    officer_id BIGINT NOT NULL REFERENCES enforcement_officers(id),
    PRIMARY KEY (case_id, officer_id)
);
CREATE INDEX enforcement_case_officers_officer ON enforcement_case_officers (officer_id);

-- One row per (case, rule) hit; at most one open per pair (the partial
-- unique index), each open one linked to its finding in the ledger.
CREATE TABLE enforcement_rule_hits (
    id BIGSERIAL PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES enforcement_cases(id),
    rule         TEXT    NOT NULL,
    rule_version INTEGER NOT NULL,
    unit_id      INTEGER NOT NULL,
    detail       TEXT    NOT NULL DEFAULT '',
    status       TEXT    NOT NULL DEFAULT 'open',
    finding_id   BIGINT NOT NULL REFERENCES findings(id),
    opened_on    TEXT    NOT NULL,
    closed_on    TEXT    NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX enforcement_rule_hits_open ON enforcement_rule_hits (case_id, rule) WHERE status = 'open';
CREATE INDEX enforcement_rule_hits_rule ON enforcement_rule_hits (rule, status, id);
CREATE INDEX enforcement_rule_hits_case ON enforcement_rule_hits (case_id);

-- The provincial enforcement platform's credentials: a random token is
-- shown once; only its SHA-256 is kept.
CREATE TABLE enforcement_platform_tokens (
    id BIGSERIAL PRIMARY KEY,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    active       INTEGER NOT NULL DEFAULT 1,
    created_by   INTEGER NOT NULL DEFAULT 0,
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_used_at TIMESTAMP
);

-- +goose Down
DROP TABLE enforcement_platform_tokens;
DROP TABLE enforcement_rule_hits;
DROP TABLE enforcement_case_officers;
DROP TABLE enforcement_cases;
DROP TABLE enforcement_training;
DROP TABLE enforcement_officers;
DROP TABLE enforcement_grants;
DROP TABLE enforcement_bodies;
