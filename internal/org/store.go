package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// Store is the SQL side of the org module: plain queries, no rules.
type Store struct{}

const unitCols = "id, code, name, type, COALESCE(parent_id, 0), path, sort, status, version"

func scanUnit(sc interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	err := sc.Scan(&u.ID, &u.Code, &u.Name, &u.Type, &u.ParentID, &u.Path, &u.Sort, &u.Status, &u.Version)
	u.TypeLabel = u.Type.Label()
	return u, err
}

func (Store) unit(ctx context.Context, q db.Querier, id int64) (Unit, error) {
	u, err := scanUnit(q.QueryRow(ctx, "SELECT "+unitCols+" FROM org_units WHERE id = ?", id))
	return u, db.Classify(err)
}

func (Store) unitByCode(ctx context.Context, q db.Querier, code string) (Unit, error) {
	u, err := scanUnit(q.QueryRow(ctx, "SELECT "+unitCols+" FROM org_units WHERE code = ?", code))
	return u, db.Classify(err)
}

func (Store) rootUnit(ctx context.Context, q db.Querier) (Unit, error) {
	u, err := scanUnit(q.QueryRow(ctx, "SELECT "+unitCols+" FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1"))
	return u, err
}

// UnitFilter narrows a unit list.
type UnitFilter struct {
	Q        string
	Type     string
	ParentID int64
	Status   string
}

func (Store) units(ctx context.Context, q db.Querier, scope string, scopeArgs []any, f UnitFilter, limit, offset int) ([]Unit, int, error) {
	where := []string{scope}
	args := append([]any(nil), scopeArgs...)
	if f.Q != "" {
		where = append(where, "(name LIKE ? ESCAPE '\\' OR code LIKE ? ESCAPE '\\')")
		args = append(args, db.Like(f.Q), db.Like(f.Q))
	}
	if f.Type != "" {
		where = append(where, "type = ?")
		args = append(args, f.Type)
	}
	if f.ParentID != 0 {
		where = append(where, "parent_id = ?")
		args = append(args, f.ParentID)
	}
	if f.Status != "" {
		where = append(where, "status = ?")
		args = append(args, f.Status)
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM org_units WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, q, scanUnit, "SELECT "+unitCols+" FROM org_units WHERE "+w+" ORDER BY path, sort, id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

func (Store) insertUnit(ctx context.Context, q db.Querier, u *Unit, parentPath string) error {
	var parent any
	if u.ParentID != 0 {
		parent = u.ParentID
	}
	now := time.Now().UTC()
	if err := q.QueryRow(ctx, "INSERT INTO org_units (code, name, type, parent_id, path, sort, status, created_at, updated_at) VALUES (?, ?, ?, ?, '', ?, ?, ?, ?) RETURNING id",
		u.Code, u.Name, u.Type, parent, u.Sort, u.Status, now, now).Scan(&u.ID); err != nil {
		return db.Classify(err)
	}
	u.Path = parentPath + strconv.FormatInt(u.ID, 10) + "/"
	u.Version = 1
	_, err := q.Exec(ctx, "UPDATE org_units SET path = ? WHERE id = ?", u.Path, u.ID)
	return err
}

func (Store) updateUnit(ctx context.Context, q db.Querier, u Unit, version int) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE org_units SET code = ?, name = ?, type = ?, sort = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
		u.Code, u.Name, u.Type, u.Sort, u.Status, time.Now().UTC(), u.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// moveSubtree re-parents id and rewrites the path prefix of it and every
// unit below it.
func (Store) moveSubtree(ctx context.Context, q db.Querier, id, newParent int64, oldPath, newPath string, version int) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE org_units SET parent_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", newParent, time.Now().UTC(), id, version)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	_, err = q.Exec(ctx, "UPDATE org_units SET path = ? || SUBSTR(path, ?) WHERE path LIKE ?", newPath, len(oldPath)+1, oldPath+"%")
	return true, err
}

func (Store) countChildren(ctx context.Context, q db.Querier, id int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM org_units WHERE parent_id = ? AND status = 'active'", id).Scan(&n)
	return n, err
}

const userCols = `us.id, us.username, us.name, us.phone, us.status, us.must_change_password, us.last_login_at, us.version,
	us.locked_until, us.password_hash, us.password_changed_at, us.failed_count, ou.id, ou.code, ou.name, ou.path`

func scanUser(sc interface{ Scan(...any) error }) (User, error) {
	var u User
	var must int
	var last, locked, changed sql.NullTime
	err := sc.Scan(&u.ID, &u.Username, &u.Name, &u.Phone, &u.Status, &must, &last, &u.Version,
		&locked, &u.passwordHash, &changed, &u.failedCount, &u.Unit.ID, &u.Unit.Code, &u.Unit.Name, &u.unitPath)
	u.MustChangePassword = must != 0
	if last.Valid {
		t := last.Time.UTC()
		u.LastLoginAt = &t
	}
	if locked.Valid {
		t := locked.Time.UTC()
		u.lockedUntil = &t
		u.Locked = t.After(auth.Now())
	}
	if changed.Valid {
		t := changed.Time.UTC()
		u.passwordChangedAt = &t
	}
	u.Roles = []Assignment{}
	return u, err
}

const userFrom = " FROM users us JOIN org_units ou ON ou.id = us.unit_id"

func (Store) user(ctx context.Context, q db.Querier, id int64) (User, error) {
	u, err := scanUser(q.QueryRow(ctx, "SELECT "+userCols+userFrom+" WHERE us.id = ?", id))
	return u, db.Classify(err)
}

func (Store) userByUsername(ctx context.Context, q db.Querier, username string) (User, error) {
	u, err := scanUser(q.QueryRow(ctx, "SELECT "+userCols+userFrom+" WHERE us.username = ?", username))
	return u, db.Classify(err)
}

// UserFilter narrows a user list.
type UserFilter struct {
	Q      string
	UnitID int64
	Role   string
	Status string
}

func (Store) users(ctx context.Context, q db.Querier, scope string, scopeArgs []any, f UserFilter, limit, offset int) ([]User, int, error) {
	where := []string{scope}
	args := append([]any(nil), scopeArgs...)
	if f.Q != "" {
		where = append(where, "(us.username LIKE ? ESCAPE '\\' OR us.name LIKE ? ESCAPE '\\')")
		args = append(args, db.Like(f.Q), db.Like(f.Q))
	}
	if f.UnitID != 0 {
		where = append(where, "us.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.Status != "" {
		where = append(where, "us.status = ?")
		args = append(args, f.Status)
	}
	if f.Role != "" {
		where = append(where, "us.id IN (SELECT ur.user_id FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.code = ?)")
		args = append(args, f.Role)
	}
	w := strings.Join(where, " AND ")
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*)"+userFrom+" WHERE "+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	out, err := db.All(ctx, q, scanUser, "SELECT "+userCols+userFrom+" WHERE "+w+" ORDER BY ou.path, us.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

func (Store) insertUser(ctx context.Context, q db.Querier, u *User, hash string, mustChange bool) error {
	now := time.Now().UTC()
	must := 0
	if mustChange {
		must = 1
	}
	err := q.QueryRow(ctx, `INSERT INTO users (username, name, phone, unit_id, status, password_hash, password_changed_at, must_change_password, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, u.Username, u.Name, u.Phone, u.Unit.ID, u.Status, hash, now, must, now, now).Scan(&u.ID)
	if err != nil {
		return db.Classify(err)
	}
	if hash != "" {
		_, err = q.Exec(ctx, "INSERT INTO password_history (user_id, hash, created_at) VALUES (?, ?, ?)", u.ID, hash, now)
	}
	return err
}

func (Store) updateUser(ctx context.Context, q db.Querier, u User, version int) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE users SET name = ?, phone = ?, unit_id = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
		u.Name, u.Phone, u.Unit.ID, u.Status, time.Now().UTC(), u.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func (Store) recentHashes(ctx context.Context, q db.Querier, userID int64, n int) ([]string, error) {
	rows, err := q.Query(ctx, "SELECT hash FROM password_history WHERE user_id = ? ORDER BY id DESC LIMIT ?", userID, n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

func (Store) setPassword(ctx context.Context, q db.Querier, userID int64, hash string, mustChange bool) error {
	now := time.Now().UTC()
	must := 0
	if mustChange {
		must = 1
	}
	if _, err := q.Exec(ctx, "UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ?, failed_count = 0, locked_until = NULL, version = version + 1, updated_at = ? WHERE id = ?",
		hash, now, must, now, userID); err != nil {
		return err
	}
	_, err := q.Exec(ctx, "INSERT INTO password_history (user_id, hash, created_at) VALUES (?, ?, ?)", userID, hash, now)
	return err
}

func (Store) recordFailure(ctx context.Context, q db.Querier, userID int64, failed int, lockedUntil *time.Time) error {
	var lu any
	if lockedUntil != nil {
		lu = *lockedUntil
	}
	_, err := q.Exec(ctx, "UPDATE users SET failed_count = ?, locked_until = ? WHERE id = ?", failed, lu, userID)
	return err
}

func (Store) recordSuccess(ctx context.Context, q db.Querier, userID int64) error {
	_, err := q.Exec(ctx, "UPDATE users SET failed_count = 0, locked_until = NULL, last_login_at = ? WHERE id = ?", auth.Now(), userID)
	return err
}

func (Store) unlock(ctx context.Context, q db.Querier, userID int64) error {
	_, err := q.Exec(ctx, "UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = ?", userID)
	return err
}

// assignments returns the roles of each user in ids.
func (Store) assignments(ctx context.Context, q db.Querier, ids []int64) (map[int64][]Assignment, error) {
	out := map[int64][]Assignment{}
	if len(ids) == 0 {
		return out, nil
	}
	ph, args := inIDs(ids)
	rows, err := q.Query(ctx, "SELECT ur.user_id, r.code, r.name, ur.scope, ur.scope_units FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id IN ("+ph+") ORDER BY r.sort, r.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		var a Assignment
		var units string
		if err := rows.Scan(&uid, &a.Role, &a.RoleName, &a.Scope, &units); err != nil {
			return nil, err
		}
		a.ScopeUnits = parseIDs(units)
		out[uid] = append(out[uid], a)
	}
	return out, rows.Err()
}

// inIDs returns the placeholders ("?, ?, ?") and arguments of an IN list
// of ids (ids must not be empty).
func inIDs(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return "?" + strings.Repeat(", ?", len(ids)-1), args
}

func parseIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func formatIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func (Store) replaceAssignments(ctx context.Context, q db.Querier, userID int64, as []Assignment, roleIDs map[string]int64) error {
	if _, err := q.Exec(ctx, "DELETE FROM user_roles WHERE user_id = ?", userID); err != nil {
		return err
	}
	for _, a := range as {
		if _, err := q.Exec(ctx, "INSERT INTO user_roles (user_id, role_id, scope, scope_units) VALUES (?, ?, ?, ?)", userID, roleIDs[a.Role], a.Scope, formatIDs(a.ScopeUnits)); err != nil {
			return err
		}
	}
	return nil
}

func (Store) roles(ctx context.Context, q db.Querier) ([]Role, error) {
	rows, err := q.Query(ctx, "SELECT id, code, name, description, admin, builtin, default_scope, version FROM roles ORDER BY sort, id")
	if err != nil {
		return nil, err
	}
	var out []Role
	byID := map[int64]int{}
	for rows.Next() {
		var r Role
		var admin, builtin int
		if err := rows.Scan(&r.ID, &r.Code, &r.Name, &r.Description, &admin, &builtin, &r.DefaultScope, &r.Version); err != nil {
			rows.Close()
			return nil, err
		}
		r.Admin, r.Builtin, r.Perms = admin != 0, builtin != 0, []string{}
		byID[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	prow, err := q.Query(ctx, "SELECT role_id, perm FROM role_perms ORDER BY perm")
	if err != nil {
		return nil, err
	}
	defer prow.Close()
	for prow.Next() {
		var id int64
		var p string
		if err := prow.Scan(&id, &p); err != nil {
			return nil, err
		}
		if i, ok := byID[id]; ok {
			out[i].Perms = append(out[i].Perms, p)
		}
	}
	return out, prow.Err()
}

func (Store) insertRole(ctx context.Context, q db.Querier, r BuiltinRole, sort int) error {
	admin := 0
	if r.Admin {
		admin = 1
	}
	var id int64
	if err := q.QueryRow(ctx, "INSERT INTO roles (code, name, description, admin, builtin, default_scope, sort) VALUES (?, ?, ?, ?, 1, ?, ?) RETURNING id",
		r.Code, r.Name, r.Description, admin, r.Scope, sort).Scan(&id); err != nil {
		return db.Classify(err)
	}
	for _, p := range r.Perms {
		if _, err := q.Exec(ctx, "INSERT INTO role_perms (role_id, perm) VALUES (?, ?)", id, p); err != nil {
			return err
		}
	}
	return nil
}

func (Store) updateRole(ctx context.Context, q db.Querier, r Role, version int) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE roles SET name = ?, description = ?, default_scope = ?, version = version + 1 WHERE id = ? AND version = ?", r.Name, r.Description, r.DefaultScope, r.ID, version)
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	if _, err := q.Exec(ctx, "DELETE FROM role_perms WHERE role_id = ?", r.ID); err != nil {
		return false, err
	}
	for _, p := range r.Perms {
		if _, err := q.Exec(ctx, "INSERT INTO role_perms (role_id, perm) VALUES (?, ?)", r.ID, p); err != nil {
			return false, err
		}
	}
	return true, nil
}

// grant is one permission a user holds through one role assignment, with
// the assignment's scope; perm is "" for a role that grants none.
type grant struct {
	role       string
	perm       string
	scope      auth.ScopeKind
	scopeUnits string
}

// grants returns the role assignments of userID with their permissions in
// one query: one row per (role, permission), roles in display order.
func (Store) grants(ctx context.Context, q db.Querier, userID int64) ([]grant, error) {
	return db.All(ctx, q, func(sc db.Scanner) (grant, error) {
		var g grant
		var perm sql.NullString
		err := sc.Scan(&g.role, &g.scope, &g.scopeUnits, &perm)
		g.perm = perm.String
		return g, err
	}, `SELECT r.code, ur.scope, ur.scope_units, rp.perm FROM user_roles ur JOIN roles r ON r.id = ur.role_id
		LEFT JOIN role_perms rp ON rp.role_id = ur.role_id WHERE ur.user_id = ? ORDER BY r.sort, r.id, rp.perm`, userID)
}

// unitPaths returns the paths of the units in ids that exist, in one query.
func (Store) unitPaths(ctx context.Context, q db.Querier, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	ph, args := inIDs(ids)
	type idPath struct {
		id   int64
		path string
	}
	rows, err := db.All(ctx, q, func(sc db.Scanner) (idPath, error) {
		var r idPath
		err := sc.Scan(&r.id, &r.path)
		return r, err
	}, "SELECT id, path FROM org_units WHERE id IN ("+ph+")", args...)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.id] = r.path
	}
	return out, nil
}

func (Store) countUsers(ctx context.Context, q db.Querier) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// ---- engine lookups (see directory.go) ----

func (Store) unitNamePath(ctx context.Context, q db.Querier, id int64) (name, path string, err error) {
	err = q.QueryRow(ctx, "SELECT name, path FROM org_units WHERE id = ?", id).Scan(&name, &path)
	return name, path, db.Classify(err)
}

// activeUnitsNamed returns up to two active units whose name or code is s.
func (Store) activeUnitsNamed(ctx context.Context, q db.Querier, s string) ([]Unit, error) {
	return db.All(ctx, q, scanUnit, "SELECT "+unitCols+" FROM org_units WHERE (name = ? OR code = ?) AND status = 'active' ORDER BY id LIMIT 2", s, s)
}

// activeUnitIDs returns the ids of every active unit in id order.
func (Store) activeUnitIDs(ctx context.Context, q db.Querier) ([]int64, error) {
	return db.All(ctx, q, scanID, "SELECT id FROM org_units WHERE status = 'active' ORDER BY id")
}

func scanID(sc db.Scanner) (int64, error) {
	var id int64
	err := sc.Scan(&id)
	return id, err
}

// usersInRole returns the active users of unitID holding role; unitID 0
// means any unit.
func (Store) usersInRole(ctx context.Context, q db.Querier, role string, unitID int64) ([]int64, error) {
	return db.All(ctx, q, scanID, `SELECT DISTINCT us.id FROM users us JOIN user_roles ur ON ur.user_id = us.id JOIN roles ro ON ro.id = ur.role_id
 WHERE ro.code = ? AND us.status = 'active' AND (us.unit_id = ? OR ? = 0) ORDER BY us.id`, role, unitID, unitID)
}

// roleCodeExists and userActive ask whether a row exists (EXISTS stops at
// the first match; there is nothing to count).
func (Store) roleCodeExists(ctx context.Context, q db.Querier, code string) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM roles WHERE code = ?)", code).Scan(&ok)
	return ok, err
}

func (Store) userActive(ctx context.Context, q db.Querier, id int64) (bool, error) {
	var ok bool
	err := q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE id = ? AND status = 'active')", id).Scan(&ok)
	return ok, err
}

// activeUserIDs lists the active users of a unit, in id order.
func (Store) activeUserIDs(ctx context.Context, q db.Querier, unitID int64) ([]int64, error) {
	return db.All(ctx, q, scanID, "SELECT id FROM users WHERE unit_id = ? AND status = 'active' ORDER BY id", unitID)
}

type idName struct {
	id   int64
	name string
}

func (Store) userNames(ctx context.Context, q db.Querier, ids []int64) ([]idName, error) {
	ph, args := inIDs(ids)
	return db.All(ctx, q, func(sc db.Scanner) (idName, error) {
		var r idName
		err := sc.Scan(&r.id, &r.name)
		return r, err
	}, "SELECT id, name FROM users WHERE id IN ("+ph+")", args...)
}

// unknownLogin returns the failure count and lock of a username that has
// no account (zero when it has never failed).
func (Store) unknownLogin(ctx context.Context, q db.Querier, username string) (int, *time.Time, error) {
	var n int
	var until sql.NullTime
	err := q.QueryRow(ctx, "SELECT failed_count, locked_until FROM login_unknown WHERE username = ?", username).Scan(&n, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, nil
	}
	if err != nil || !until.Valid {
		return n, nil, err
	}
	t := until.Time.UTC()
	return n, &t, nil
}

// recordUnknown stores a failure under a username without an account, and
// prunes names not tried for a day.
func (Store) recordUnknown(ctx context.Context, q db.Querier, username string, failed int, lockedUntil *time.Time, now time.Time) error {
	var lu any
	if lockedUntil != nil {
		lu = *lockedUntil
	}
	if _, err := q.Exec(ctx, "DELETE FROM login_unknown WHERE updated_at < ?", now.Add(-24*time.Hour)); err != nil {
		return err
	}
	_, err := q.Exec(ctx, `INSERT INTO login_unknown (username, failed_count, locked_until, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (username) DO UPDATE SET failed_count = excluded.failed_count, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
		username, failed, lu, now)
	return err
}

func (Store) activeUserByUsername(ctx context.Context, q db.Querier, username string) (id int64, name string, unitID int64, err error) {
	err = q.QueryRow(ctx, "SELECT id, name, unit_id FROM users WHERE username = ? AND status = 'active'", username).Scan(&id, &name, &unitID)
	return id, name, unitID, db.Classify(err)
}
