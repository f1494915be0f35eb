package disclosure

import (
	"context"

	"fazhi/internal/platform/apperr"
)

// OrgLookups is what OrgDirectory needs from the org service: its unscoped
// engine lookups (*org.Service implements it).
type OrgLookups interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error)
}

// OrgDirectory answers the Directory lookups through the org service.
type OrgDirectory struct{ Org OrgLookups }

func (d OrgDirectory) Unit(ctx context.Context, id int64) (UnitInfo, error) {
	name, path, err := d.Org.UnitNamePath(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return UnitInfo{ID: id}, apperr.New(apperr.NotFound, "办理机关不存在")
	}
	return UnitInfo{ID: id, Name: name, Path: path}, err
}

func (d OrgDirectory) UnitByNameOrCode(ctx context.Context, s string) (UnitInfo, error) {
	id, name, path, err := d.Org.UnitByNameOrCode(ctx, s)
	if err != nil {
		return UnitInfo{}, err
	}
	return UnitInfo{ID: id, Name: name, Path: path}, nil
}
