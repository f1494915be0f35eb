-- +goose Up
-- 三员分立 (issue 10): the security administrator manages accounts
-- (user.write), the system administrator keeps the system's settings.
-- On a new database the roles do not exist yet and these statements change
-- nothing (the built-in table in internal/org/roles.go is inserted at start).
DELETE FROM role_perms WHERE perm = 'user.write'
    AND role_id IN (SELECT id FROM roles WHERE code = 'sysadmin');
INSERT INTO role_perms (role_id, perm)
    SELECT r.id, 'user.write' FROM roles r
    WHERE r.code = 'secadmin'
      AND NOT EXISTS (SELECT 1 FROM role_perms p WHERE p.role_id = r.id AND p.perm = 'user.write');
UPDATE roles SET description = '管理组织机构、工作日历等系统设置；不管理账号，不接触业务数据与审计日志', version = version + 1
    WHERE code = 'sysadmin' AND builtin = 1;
UPDATE roles SET description = '管理业务账号、角色授权与安全策略（三员账号只能由服务器命令行管理）', version = version + 1
    WHERE code = 'secadmin' AND builtin = 1;
