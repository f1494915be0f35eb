package legalreview

import (
	"context"
)

// OrgLookups is what OrgDirectory needs from the org service: its unscoped
// engine lookups (*org.Service implements it). A review chain must resolve
// reviewers in units the requester cannot see, hence no actor scoping.
type OrgLookups interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error)
	UserNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// OrgDirectory answers the Directory lookups through the org service.
type OrgDirectory struct{ Org OrgLookups }

// Unit returns a unit's name and path.
func (d OrgDirectory) Unit(ctx context.Context, id int64) (UnitInfo, error) {
	name, path, err := d.Org.UnitNamePath(ctx, id)
	if err != nil {
		return UnitInfo{}, err
	}
	return UnitInfo{ID: id, Name: name, Path: path}, nil
}

// UsersInRole returns the active users of unitID holding role (any unit
// when unitID is 0), in ID order.
func (d OrgDirectory) UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error) {
	return d.Org.UsersInRole(ctx, role, unitID)
}

// UserNames returns the names of the given users.
func (d OrgDirectory) UserNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return d.Org.UserNames(ctx, ids)
}
