-- +goose Up
-- Legal advisers (法律顾问): the three-level pool (district, town,
-- village/community) managed by a unit, their contracts with the units they
-- serve (period and fee; an active contract is what covers a unit), their
-- work records (consultations, meetings, written opinions, contracts
-- reviewed, cases represented) and the yearly evaluation under the "five
-- unified" management (统一选聘、统一管理、统一职责、统一报酬、统一考核).
-- Dates are YYYY-MM-DD (Asia/Shanghai); fees in yuan.
CREATE TABLE counsel_advisers (
    id             INTEGER PRIMARY KEY,
    unit_id        INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    level          TEXT    NOT NULL,
    kind           TEXT    NOT NULL,
    firm           TEXT    NOT NULL DEFAULT '',
    license_no     TEXT    NOT NULL DEFAULT '',
    qualification  TEXT    NOT NULL DEFAULT '',
    phone          TEXT    NOT NULL DEFAULT '',
    user_id        INTEGER,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at     TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version        INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX counsel_advisers_unit ON counsel_advisers (unit_id, id);

CREATE TABLE counsel_contracts (
    id          INTEGER PRIMARY KEY,
    adviser_id  INTEGER NOT NULL REFERENCES counsel_advisers(id),
    unit_id     INTEGER NOT NULL,
    starts_on   TEXT    NOT NULL,
    ends_on     TEXT    NOT NULL,
    fee         INTEGER NOT NULL DEFAULT 0,
    fee_basis   TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX counsel_contracts_adviser ON counsel_contracts (adviser_id, starts_on);
CREATE INDEX counsel_contracts_ends ON counsel_contracts (ends_on, unit_id);

CREATE TABLE counsel_works (
    id          INTEGER PRIMARY KEY,
    adviser_id  INTEGER NOT NULL REFERENCES counsel_advisers(id),
    unit_id     INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    day         TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    note        TEXT    NOT NULL DEFAULT '',
    created_by  INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX counsel_works_adviser ON counsel_works (adviser_id, day);
CREATE INDEX counsel_works_unit ON counsel_works (unit_id, id);

CREATE TABLE counsel_evaluations (
    id            INTEGER PRIMARY KEY,
    adviser_id    INTEGER NOT NULL REFERENCES counsel_advisers(id),
    year          INTEGER NOT NULL,
    selection_ok  INTEGER NOT NULL,
    management_ok INTEGER NOT NULL,
    duties_ok     INTEGER NOT NULL,
    pay_ok        INTEGER NOT NULL,
    score         INTEGER NOT NULL,
    grade         TEXT    NOT NULL,
    note          TEXT    NOT NULL DEFAULT '',
    evaluated_on  TEXT    NOT NULL,
    created_by    INTEGER NOT NULL DEFAULT 0,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (adviser_id, year)
);

-- +goose Down
DROP TABLE counsel_evaluations;
DROP TABLE counsel_works;
DROP TABLE counsel_contracts;
DROP TABLE counsel_advisers;
