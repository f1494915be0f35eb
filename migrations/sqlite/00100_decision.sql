-- +goose Up
-- 重大行政决策 (《重大行政决策程序暂行条例》). Dates are 'YYYY-MM-DD' text,
-- timestamps RFC 3339 UTC text, flags 0/1 integers, lists JSON text.

-- Catalogue categories (e.g. 渝北: 公共服务, 市场监管, 社会管理, 环境保护,
-- 其他重大事项), each with its kinds of matters, edited as data.
CREATE TABLE decision_categories (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    name    TEXT NOT NULL UNIQUE,
    kinds   TEXT NOT NULL DEFAULT '[]',
    sort    INTEGER NOT NULL DEFAULT 0,
    active  INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1
);

-- The yearly decision catalogue (决策事项目录) of one government.
CREATE TABLE decision_catalogues (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    year            INTEGER NOT NULL,
    unit_id         INTEGER NOT NULL REFERENCES org_units(id),
    title           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'draft',
    party_agreed_on TEXT NOT NULL DEFAULT '',
    party_note      TEXT NOT NULL DEFAULT '',
    approved_by     TEXT NOT NULL DEFAULT '',
    approved_at     TEXT NOT NULL DEFAULT '',
    published_on    TEXT NOT NULL DEFAULT '',
    published_by    TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (year, unit_id)
);

CREATE TABLE decision_catalogue_items (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    catalogue_id INTEGER NOT NULL REFERENCES decision_catalogues(id),
    category_id  INTEGER NOT NULL REFERENCES decision_categories(id),
    kind         TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL,
    unit_id      INTEGER NOT NULL REFERENCES org_units(id),
    basis        TEXT NOT NULL DEFAULT '',
    planned      TEXT NOT NULL DEFAULT '',
    sort         INTEGER NOT NULL DEFAULT 0,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX decision_catalogue_items_catalogue ON decision_catalogue_items(catalogue_id, sort);

-- One decision walking the regulation's steps. The summary columns (stage,
-- consultation window, legality-review outcome, collective and publication
-- dates) are kept in step with decision_steps by the service for lists,
-- figures and the public portal.
CREATE TABLE decisions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    code                TEXT NOT NULL UNIQUE,
    title               TEXT NOT NULL,
    catalogue_item_id   INTEGER REFERENCES decision_catalogue_items(id),
    unit_id             INTEGER NOT NULL REFERENCES org_units(id),
    decision_body       TEXT NOT NULL DEFAULT '',
    stage               TEXT NOT NULL,
    status              TEXT NOT NULL DEFAULT 'active',
    started_on          TEXT NOT NULL,
    consultation        TEXT NOT NULL DEFAULT 'none',
    comment_start       TEXT NOT NULL DEFAULT '',
    comment_end         TEXT NOT NULL DEFAULT '',
    public_summary      TEXT NOT NULL DEFAULT '',
    public_feedback     TEXT NOT NULL DEFAULT '',
    legal_review_id     INTEGER NOT NULL DEFAULT 0,
    legal_review_status TEXT NOT NULL DEFAULT 'none',
    collective_on       TEXT NOT NULL DEFAULT '',
    collective_review   TEXT NOT NULL DEFAULT '',
    published_on        TEXT NOT NULL DEFAULT '',
    public_text         TEXT NOT NULL DEFAULT '',
    archived_on         TEXT NOT NULL DEFAULT '',
    created_by          TEXT NOT NULL DEFAULT '',
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX decisions_unit ON decisions(unit_id);
CREATE INDEX decisions_item ON decisions(catalogue_item_id);
CREATE INDEX decisions_consultation ON decisions(consultation);

-- Each step's record: its fields (JSON, by step), its evidence file ids, and
-- who recorded it when.
CREATE TABLE decision_steps (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id    INTEGER NOT NULL REFERENCES decisions(id),
    step           TEXT NOT NULL,
    state          TEXT NOT NULL,
    data           TEXT NOT NULL DEFAULT '{}',
    file_ids       TEXT NOT NULL DEFAULT '[]',
    done_on        TEXT NOT NULL DEFAULT '',
    recorded_by    TEXT NOT NULL DEFAULT '',
    recorded_by_id INTEGER NOT NULL DEFAULT 0,
    recorded_at    TEXT NOT NULL,
    UNIQUE (decision_id, step)
);

-- Public comments received through the portal. ip_hash is a keyed hash of
-- the address (for the rate limit), never the address itself.
CREATE TABLE decision_comments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    author      TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    content     TEXT NOT NULL,
    ip_hash     TEXT NOT NULL DEFAULT '',
    adopted     TEXT NOT NULL DEFAULT '',
    reply       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX decision_comments_decision ON decision_comments(decision_id, id);
CREATE INDEX decision_comments_ip ON decision_comments(ip_hash, created_at);

-- Expert pool (专家库).
CREATE TABLE decision_experts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    name     TEXT NOT NULL,
    title    TEXT NOT NULL DEFAULT '',
    field    TEXT NOT NULL DEFAULT '',
    employer TEXT NOT NULL DEFAULT '',
    unit_id  INTEGER REFERENCES org_units(id),
    phone    TEXT NOT NULL DEFAULT '',
    active   INTEGER NOT NULL DEFAULT 1,
    version  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE decision_expert_opinions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id       INTEGER NOT NULL REFERENCES decisions(id),
    expert_id         INTEGER NOT NULL REFERENCES decision_experts(id),
    conflict_declared INTEGER NOT NULL DEFAULT 0,
    conflict_note     TEXT NOT NULL DEFAULT '',
    opinion           TEXT NOT NULL,
    signed_on         TEXT NOT NULL,
    file_ids          TEXT NOT NULL DEFAULT '[]',
    recorded_by       TEXT NOT NULL DEFAULT '',
    recorded_at       TEXT NOT NULL,
    UNIQUE (decision_id, expert_id)
);

-- Implementation progress reports (执行情况).
CREATE TABLE decision_progress (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id INTEGER NOT NULL REFERENCES decisions(id),
    reported_on TEXT NOT NULL,
    content     TEXT NOT NULL,
    percent     INTEGER NOT NULL DEFAULT 0,
    file_ids    TEXT NOT NULL DEFAULT '[]',
    recorded_by TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX decision_progress_decision ON decision_progress(decision_id, reported_on);

-- Corrections by a higher authority (上级机关纠错): the records behind
-- decision.corrected_count.
CREATE TABLE decision_corrections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    decision_id  INTEGER NOT NULL REFERENCES decisions(id),
    authority    TEXT NOT NULL,
    corrected_on TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL
);
CREATE INDEX decision_corrections_decision ON decision_corrections(decision_id);
