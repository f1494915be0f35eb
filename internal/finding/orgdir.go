package finding

import (
	"context"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// OrgLookups is what OrgDirectory needs from the org service: its unscoped
// engine lookups (*org.Service implements it). Close-out chains and
// escalations resolve people outside the actor's scope.
type OrgLookups interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error)
	UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error)
	RoleExists(ctx context.Context, code string) (bool, error)
	UserActive(ctx context.Context, id int64) (bool, error)
}

func (d OrgDirectory) RoleExists(ctx context.Context, code string) (bool, error) {
	return d.Org.RoleExists(ctx, code)
}

func (d OrgDirectory) UserActive(ctx context.Context, id int64) (bool, error) {
	return d.Org.UserActive(ctx, id)
}

// OrgDirectory answers the Directory lookups through the org service. The
// org service reads on its own connection, so the Querier is not used.
type OrgDirectory struct{ Org OrgLookups }

func (d OrgDirectory) Unit(ctx context.Context, _ db.Querier, id int64) (UnitInfo, error) {
	name, path, err := d.Org.UnitNamePath(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return UnitInfo{ID: id}, apperr.New(apperr.NotFound, "责任单位不存在")
	}
	return UnitInfo{ID: id, Name: name, Path: path}, err
}

func (d OrgDirectory) UnitByNameOrCode(ctx context.Context, _ db.Querier, s string) (UnitInfo, error) {
	id, name, path, err := d.Org.UnitByNameOrCode(ctx, s)
	if err != nil {
		return UnitInfo{}, err
	}
	return UnitInfo{ID: id, Name: name, Path: path}, nil
}

// UsersInRole returns the active holders of role in the unit, or, when it
// has none, in the nearest ancestor unit that has some, or else anywhere in
// the district (the rule-of-law inspection office sits beside, not above,
// departments).
func (d OrgDirectory) UsersInRole(ctx context.Context, q db.Querier, role string, unitID int64) ([]int64, error) {
	u, err := d.Unit(ctx, q, unitID)
	if err != nil {
		return nil, err
	}
	ids := strings.Split(strings.Trim(u.Path, "/"), "/")
	for i := len(ids) - 1; i >= 0; i-- {
		id, err := strconv.ParseInt(ids[i], 10, 64)
		if err != nil {
			continue
		}
		out, err := d.Org.UsersInRole(ctx, role, id)
		if err != nil || len(out) > 0 {
			return out, err
		}
	}
	return d.Org.UsersInRole(ctx, role, 0)
}
