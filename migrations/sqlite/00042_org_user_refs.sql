-- +goose Up
-- The org module's published view of its accounts for other modules that
-- link a record to an account and show whose it is (the enforcement
-- officer's 关联账号): id, username and name only — never the password,
-- status or roles. Modules join this view, never users.
CREATE VIEW org_user_refs AS SELECT id, username, name FROM users;

-- +goose Down
DROP VIEW org_user_refs;
