package org

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// ---- units ----

// UnitInput is what a user enters for a unit.
type UnitInput struct {
	Code     string   `json:"code" maxLength:"64" doc:"单位编码（唯一）"`
	Name     string   `json:"name" maxLength:"100" doc:"单位名称"`
	Type     UnitType `json:"type" doc:"district/department/town/office/village"`
	ParentID int64    `json:"parent_id" doc:"上级单位"`
	Sort     int      `json:"sort"`
	Status   string   `json:"status" doc:"active 或 disabled，默认 active"`
	Version  int      `json:"version" doc:"修改时必填：读取时的版本号"`
}

func (in *UnitInput) validate(root bool) error {
	var v apperr.Fields
	in.Code = strings.TrimSpace(in.Code)
	in.Name = strings.TrimSpace(in.Name)
	if in.Code == "" {
		v.Add("code", "单位编码不能为空")
	}
	if in.Name == "" {
		v.Add("name", "单位名称不能为空")
	}
	if !in.Type.Valid() {
		v.Add("type", "单位类型不正确（应为 区县、部门、镇街、科室、村居 之一）")
	}
	if in.ParentID == 0 && !root {
		v.Add("parent_id", "请选择上级单位")
	}
	if in.Status == "" {
		in.Status = "active"
	}
	if in.Status != "active" && in.Status != "disabled" {
		v.Add("status", "状态应为 active（启用）或 disabled（停用）")
	}
	return v.Err()
}

// ListUnits returns units in the actor's org.read scope.
func (s *Service) ListUnits(ctx context.Context, f UnitFilter, p db.Page) ([]Unit, int, error) {
	a, err := auth.Require(ctx, "org.read")
	if err != nil {
		return nil, 0, err
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	limit, offset := p.Limit()
	return s.store.units(ctx, s.db, cl, args, f, limit, offset)
}

// Tree returns every unit in scope, ordered by path (the client nests them).
func (s *Service) Tree(ctx context.Context, f UnitFilter) ([]Unit, error) {
	a, err := auth.Require(ctx, "org.read")
	if err != nil {
		return nil, err
	}
	cl, args := auth.ScopeClause(a, "org.read", "id")
	out, _, err := s.store.units(ctx, s.db, cl, args, f, 100000, 0)
	return out, err
}

// GetUnit returns one unit in scope.
func (s *Service) GetUnit(ctx context.Context, id int64) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.read"); err != nil {
		return nil, err
	}
	u, err := s.store.unit(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, "org.read", u.Path); err != nil {
		return nil, err
	}
	return &u, nil
}

// CreateUnit adds a unit under a parent in the actor's org.write scope.
func (s *Service) CreateUnit(ctx context.Context, in UnitInput) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	var out Unit
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		parent, err := s.store.unit(ctx, tx, in.ParentID)
		if err != nil {
			return apperr.Field("parent_id", "上级单位不存在")
		}
		if _, err := auth.RequireIn(ctx, "org.write", parent.Path); err != nil {
			return err
		}
		out = Unit{Code: in.Code, Name: in.Name, Type: in.Type, ParentID: in.ParentID, Sort: in.Sort, Status: in.Status}
		if err := s.store.insertUnit(ctx, tx, &out, parent.Path); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("code", "单位编码 %s 已存在", in.Code)
			}
			return err
		}
		out.TypeLabel = out.Type.Label()
		return audit.Record(ctx, tx, audit.Event{Action: "org.unit.create", ObjectType: "org_unit", ObjectID: fmt.Sprint(out.ID), UnitID: out.ID,
			Summary: "新增单位 " + out.Name, After: out})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateUnit changes a unit's code, name, type, order or status. The parent
// changes only through MoveUnit.
func (s *Service) UpdateUnit(ctx context.Context, id int64, in UnitInput) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	out, err := update.Run(ctx, s.db, int64(in.Version), update.Update[Unit]{
		Load:    s.unitForWrite(id),
		Version: unitVersion,
		Change: func(ctx context.Context, tx *db.Tx, u *Unit) (audit.Event, error) {
			in.ParentID = u.ParentID
			if err := in.validate(u.ParentID == 0); err != nil {
				return audit.Event{}, err
			}
			if in.Status == "disabled" && u.Status == "active" {
				n, err := s.store.countChildren(ctx, tx, id)
				if err != nil {
					return audit.Event{}, err
				}
				if n > 0 {
					return audit.Event{}, apperr.Field("status", "该单位还有 %d 个启用的下级单位，不能停用", n)
				}
			}
			u.Code, u.Name, u.Type, u.Sort, u.Status = in.Code, in.Name, in.Type, in.Sort, in.Status
			return audit.Event{Action: "org.unit.update", ObjectType: "org_unit", ObjectID: fmt.Sprint(id), UnitID: id,
				Summary: "修改单位 " + u.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, u Unit, loaded int64) (bool, error) {
			ok, err := s.store.updateUnit(ctx, tx, u, int(loaded))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("code", "单位编码 %s 已存在", in.Code)
			}
			return ok, err
		},
		Reload: s.reloadUnit,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MoveUnit puts a unit (with its whole subtree) under a new parent, rewriting
// the subtree's paths in one transaction.
func (s *Service) MoveUnit(ctx context.Context, id, newParentID int64, version int) (*Unit, error) {
	if _, err := auth.Require(ctx, "org.write"); err != nil {
		return nil, err
	}
	var oldPath string
	out, err := update.Run(ctx, s.db, int64(version), update.Update[Unit]{
		Load:    s.unitForWrite(id),
		Version: unitVersion,
		Change: func(ctx context.Context, tx *db.Tx, u *Unit) (audit.Event, error) {
			if u.ParentID == 0 {
				return audit.Event{}, apperr.Field("parent_id", "根单位不能移动")
			}
			np, err := s.store.unit(ctx, tx, newParentID)
			if err != nil {
				return audit.Event{}, apperr.Field("parent_id", "新的上级单位不存在")
			}
			if _, err := auth.RequireIn(ctx, "org.write", np.Path); err != nil {
				return audit.Event{}, err
			}
			if strings.HasPrefix(np.Path, u.Path) {
				return audit.Event{}, apperr.Field("parent_id", "不能把单位移动到它自己或它的下级单位之下")
			}
			oldPath = u.Path
			u.ParentID, u.Path = np.ID, np.Path+fmt.Sprint(u.ID)+"/"
			return audit.Event{Action: "org.unit.move", ObjectType: "org_unit", ObjectID: fmt.Sprint(id), UnitID: id,
				Summary: fmt.Sprintf("将 %s 移至 %s 之下", u.Name, np.Name)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, u Unit, loaded int64) (bool, error) {
			return s.store.moveSubtree(ctx, tx, id, u.ParentID, oldPath, u.Path, int(loaded))
		},
		Reload: s.reloadUnit,
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// unitForWrite loads unit id for an edit: a unit outside the actor's
// org.write scope is refused whatever the input.
func (s *Service) unitForWrite(id int64) func(ctx context.Context, tx *db.Tx) (Unit, error) {
	return func(ctx context.Context, tx *db.Tx) (Unit, error) {
		u, err := s.store.unit(ctx, tx, id)
		if err != nil {
			return Unit{}, err
		}
		if _, err := auth.RequireIn(ctx, "org.write", u.Path); err != nil {
			return Unit{}, err
		}
		return u, nil
	}
}

func unitVersion(u Unit) int64 { return int64(u.Version) }

func (s *Service) reloadUnit(ctx context.Context, tx *db.Tx, u Unit) (Unit, error) {
	return s.store.unit(ctx, tx, u.ID)
}
