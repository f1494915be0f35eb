-- +goose Up
-- Org tree (area × department). path is the materialized "/id/…/" path
-- auth.ScopeClause filters by; moving a unit rewrites its subtree's paths.
CREATE TABLE org_units (
    id         BIGSERIAL PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    type       TEXT NOT NULL,
    parent_id  BIGINT REFERENCES org_units(id),
    path       TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'active',
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE INDEX org_units_path ON org_units(path);

CREATE TABLE users (
    id                   BIGSERIAL PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    name                 TEXT NOT NULL,
    phone                TEXT NOT NULL DEFAULT '',
    unit_id              BIGINT NOT NULL REFERENCES org_units(id),
    status               TEXT NOT NULL DEFAULT 'active',
    password_hash        TEXT NOT NULL DEFAULT '',
    password_changed_at  TIMESTAMPTZ,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    failed_count         INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMPTZ,
    last_login_at        TIMESTAMPTZ,
    oidc_subject         TEXT UNIQUE,
    version              INTEGER NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE password_history (
    id         BIGSERIAL PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    hash       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX password_history_user ON password_history(user_id, id);

-- Roles and the role → permission table (built-in rows are inserted at start
-- from org.BuiltinRoles; the security administrator edits them).
CREATE TABLE roles (
    id            BIGSERIAL PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    admin         INTEGER NOT NULL DEFAULT 0,
    builtin       INTEGER NOT NULL DEFAULT 0,
    default_scope TEXT NOT NULL DEFAULT 'own',
    sort          INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE role_perms (
    role_id BIGINT NOT NULL REFERENCES roles(id),
    perm    TEXT NOT NULL,
    PRIMARY KEY (role_id, perm)
);

-- A role held by a user, with the data scope of this assignment.
-- scope_units lists the chosen subtrees' unit ids ("4,17") for scope 'chosen'.
CREATE TABLE user_roles (
    user_id     BIGINT NOT NULL REFERENCES users(id),
    role_id     BIGINT NOT NULL REFERENCES roles(id),
    scope       TEXT NOT NULL,
    scope_units TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, role_id)
);

-- Sessions live in the database so that several processes share them. id is
-- the SHA-256 of the cookie token; the token itself is never stored.
CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    ip           TEXT NOT NULL DEFAULT '',
    user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Per-address login throttling: attempts within the current window.
CREATE TABLE login_throttle (
    address      TEXT PRIMARY KEY,
    window_start TIMESTAMPTZ NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0
);

-- Security settings edited by the security administrator.
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
