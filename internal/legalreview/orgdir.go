package legalreview

import (
	"context"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// OrgDirectory answers the Directory lookups from the org tables, read
// only. The org service exposes scope-checked lookups for users; a review
// chain must resolve reviewers in units the requester cannot see, so these
// three plain reads live here until org offers unscoped lookups
// (UnitInfo, UsersInRole, UserNames) for engines.
type OrgDirectory struct{ DB *db.DB }

// Unit returns a unit's name and path.
func (d OrgDirectory) Unit(ctx context.Context, id int64) (UnitInfo, error) {
	var u UnitInfo
	err := d.DB.QueryRow(ctx, "SELECT id, name, path FROM org_units WHERE id = ?", id).Scan(&u.ID, &u.Name, &u.Path)
	if err != nil {
		return u, db.Classify(err)
	}
	return u, nil
}

// UsersInRole returns the active users of unitID holding role (any unit
// when unitID is 0), in ID order.
func (d OrgDirectory) UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error) {
	rows, err := d.DB.Query(ctx, `SELECT us.id FROM users us
 JOIN user_roles ur ON ur.user_id = us.id JOIN roles ro ON ro.id = ur.role_id
 WHERE ro.code = ? AND us.status = 'active' AND (us.unit_id = ? OR ? = 0) ORDER BY us.id`, role, unitID, unitID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// UserNames returns the names of the given users.
func (d OrgDirectory) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	var args []any
	seen := map[int64]bool{}
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			args = append(args, id)
		}
	}
	if len(args) == 0 {
		return out, nil
	}
	if len(args) > 1000 {
		return nil, apperr.New(apperr.Invalid, "一次查询的人员过多")
	}
	rows, err := d.DB.Query(ctx, "SELECT id, name FROM users WHERE id IN (?"+strings.Repeat(", ?", len(args)-1)+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}
