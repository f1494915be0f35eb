-- +goose Up
-- 年度报告 (package report): the annual rule-of-law government report of a
-- government (district) or a department for one year. content holds the
-- sections and paragraphs (JSON: text with {{metric.code}} placeholders,
-- and whether a person edited it); figures holds the source of every figure
-- the text refers to (code, value, numerator, denominator, period, unit,
-- link) as computed when the report was last (re)generated. flow is the
-- review chain's instance (platform/workflow JSON, '' before submission).
-- Each submission freezes a row of report_versions; the published report is
-- the version named by published_no. note is an internal note, never shown
-- on the portal.
CREATE TABLE reports (
    id            INTEGER PRIMARY KEY,
    unit_id       INTEGER NOT NULL REFERENCES org_units(id),
    unit_name     TEXT    NOT NULL,
    year          INTEGER NOT NULL,
    kind          TEXT    NOT NULL,
    title         TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'draft',
    content       TEXT    NOT NULL,
    figures       TEXT    NOT NULL,
    generated_at  TIMESTAMP NOT NULL,
    flow          TEXT    NOT NULL DEFAULT '',
    note          TEXT    NOT NULL DEFAULT '',
    versions      INTEGER NOT NULL DEFAULT 0,
    published_no  INTEGER NOT NULL DEFAULT 0,
    published_at  TIMESTAMP,
    published_by  INTEGER NOT NULL DEFAULT 0,
    created_by    INTEGER NOT NULL DEFAULT 0,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX reports_unit_year ON reports (unit_id, year);
CREATE INDEX reports_year ON reports (year, id);
CREATE INDEX reports_status ON reports (status, id);
CREATE INDEX reports_published ON reports (published_no, id);

CREATE TABLE report_versions (
    id           INTEGER PRIMARY KEY,
    report_id    INTEGER NOT NULL REFERENCES reports(id),
    seq          INTEGER NOT NULL,
    title        TEXT    NOT NULL,
    content      TEXT    NOT NULL,
    figures      TEXT    NOT NULL,
    submitted_by INTEGER NOT NULL DEFAULT 0,
    submitter    TEXT    NOT NULL DEFAULT '',
    submitted_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX report_versions_seq ON report_versions (report_id, seq);

-- The report's permissions for the built-in roles of an existing
-- installation (a new one gets them from the built-in role table).
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.read' FROM roles r
WHERE r.code = 'supervisor' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.read');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.write' FROM roles r
WHERE r.code = 'supervisor' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.write');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.approve' FROM roles r
WHERE r.code = 'supervisor' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.approve');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.publish' FROM roles r
WHERE r.code = 'supervisor' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.publish');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.read' FROM roles r
WHERE r.code = 'clerk' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.read');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.write' FROM roles r
WHERE r.code = 'clerk' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.write');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.read' FROM roles r
WHERE r.code = 'head' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.read');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.write' FROM roles r
WHERE r.code = 'head' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.write');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.approve' FROM roles r
WHERE r.code = 'head' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.approve');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.read' FROM roles r
WHERE r.code = 'leader' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.read');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.read' FROM roles r
WHERE r.code = 'gov_office' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.read');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.approve' FROM roles r
WHERE r.code = 'gov_office' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.approve');
INSERT INTO role_perms (role_id, perm) SELECT r.id, 'report.publish' FROM roles r
WHERE r.code = 'gov_office' AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'report.publish');

-- +goose Down
DELETE FROM role_perms WHERE perm IN ('report.read', 'report.write', 'report.approve', 'report.publish');
DROP TABLE report_versions;
DROP TABLE reports;
