package enforcement

import (
	"context"
	"fazhi/internal/platform/option"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// BodyInput creates or edits an enforcement body.
type BodyInput struct {
	UnitID     int64  `json:"unit_id" doc:"执法主体对应的单位"`
	Name       string `json:"name"`
	Kind       string `json:"kind" doc:"主体类别"`
	LegalBasis string `json:"legal_basis" doc:"主体资格依据"`
	Categories string `json:"categories" doc:"执法类别，用顿号分隔"`
	Version    int64  `json:"version,omitempty"`
}

func (in *BodyInput) check() error {
	var v apperr.Fields
	in.Name, in.LegalBasis, in.Categories = strings.TrimSpace(in.Name), strings.TrimSpace(in.LegalBasis), strings.TrimSpace(in.Categories)
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择执法主体对应的单位")
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		v.Add("name", "请填写执法主体名称")
	case n > 80:
		v.Add("name", "执法主体名称不能超过 80 个字")
	}
	if k, ok := option.Value(BodyKinds, strings.TrimSpace(in.Kind)); ok {
		in.Kind = k
	} else {
		v.Add("kind", "主体类别应为：%s", option.Joined(BodyKinds))
	}
	if in.LegalBasis == "" {
		v.Add("legal_basis", "请填写主体资格依据（法律、法规或“三定”规定）")
	}
	if in.Categories == "" {
		v.Add("categories", "请填写执法类别")
	}
	return v.Err()
}

// ListBodies lists the enforcement bodies in the actor's scope.
func (s *Service) ListBodies(ctx context.Context) ([]Body, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "b.unit_id")
	return s.st.bodies(ctx, s.db, scope, args)
}

// CreateBody adds an enforcement body (执法主体).
func (s *Service) CreateBody(ctx context.Context, in BodyInput) (*Body, error) {
	if _, err := auth.Require(ctx, PermConfig); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	var out *Body
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermConfig, in.UnitID, "unit_id"); err != nil {
			return err
		}
		id, err := s.st.insertBody(ctx, tx, in, s.clock(ctx))
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("name", "执法主体「%s」已登记", in.Name)
		}
		if err != nil {
			return err
		}
		if out, err = s.st.body(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.body.create", ObjectType: "enforcement_body", ObjectID: itoa(id),
			UnitID: in.UnitID, Summary: "登记执法主体：" + in.Name, After: out})
	})
	return out, err
}

// UpdateBody edits an enforcement body.
func (s *Service) UpdateBody(ctx context.Context, id int64, in BodyInput) (*Body, error) {
	if _, err := auth.Require(ctx, PermConfig); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Body]{
		Load: func(ctx context.Context, tx *db.Tx) (*Body, error) {
			b, err := s.st.body(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermConfig, b.unitPath)
			return b, err
		},
		Version: func(b *Body) int64 { return b.Version },
		Change: func(ctx context.Context, tx *db.Tx, b **Body) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermConfig, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "enforcement.body.update", ObjectType: "enforcement_body", ObjectID: itoa(id),
				UnitID: in.UnitID, Summary: "修改执法主体：" + in.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Body, loaded int64) (bool, error) {
			ok, err := s.st.updateBody(ctx, tx, id, loaded, in, s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("name", "执法主体「%s」已登记", in.Name)
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Body) (*Body, error) { return s.st.body(ctx, tx, id) },
	})
}

// GrantInput creates or edits one entrusted/empowered item of a town.
type GrantInput struct {
	UnitID      int64  `json:"unit_id" doc:"乡镇（街道）"`
	Mode        string `json:"mode" doc:"委托或赋权"`
	Item        string `json:"item" doc:"事项名称"`
	GrantingDoc string `json:"granting_doc" doc:"委托（赋权）文件文号"`
	GrantedOn   string `json:"granted_on" doc:"委托（赋权）日期 YYYY-MM-DD"`
	Version     int64  `json:"version,omitempty"`
}

func (s *Service) checkGrant(ctx context.Context, in *GrantInput) error {
	var v apperr.Fields
	in.Item, in.GrantingDoc = strings.TrimSpace(in.Item), strings.TrimSpace(in.GrantingDoc)
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择乡镇（街道）")
	}
	if m, ok := option.Value(GrantModes, strings.TrimSpace(in.Mode)); ok {
		in.Mode = m
	} else {
		v.Add("mode", "方式应为：%s", option.Joined(GrantModes))
	}
	switch n := utf8.RuneCountInString(in.Item); {
	case n == 0:
		v.Add("item", "请填写事项名称")
	case n > 200:
		v.Add("item", "事项名称不能超过 200 个字")
	}
	if in.GrantingDoc == "" {
		v.Add("granting_doc", "请填写委托（赋权）文件文号")
	}
	calendar.CheckDate(&v, "granted_on", "委托（赋权）日期", strings.TrimSpace(in.GrantedOn), true, calendar.Happened(calendar.NewDate(2000, 1, 1), s.today(ctx)))
	in.GrantedOn = strings.TrimSpace(in.GrantedOn)
	return v.Err()
}

// ListGrants lists the towns' entrusted/empowered items in scope.
func (s *Service) ListGrants(ctx context.Context, unitID int64) ([]Grant, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "g.unit_id")
	if unitID > 0 {
		scope += " AND g.unit_id = ?"
		args = append(args, unitID)
	}
	return s.st.grants(ctx, s.db, scope, args)
}

// CreateGrant adds an item to a town's list.
func (s *Service) CreateGrant(ctx context.Context, in GrantInput) (*Grant, error) {
	if _, err := auth.Require(ctx, PermConfig); err != nil {
		return nil, err
	}
	if err := s.checkGrant(ctx, &in); err != nil {
		return nil, err
	}
	var out *Grant
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermConfig, in.UnitID, "unit_id"); err != nil {
			return err
		}
		id, err := s.st.insertGrant(ctx, tx, in, s.clock(ctx))
		if err != nil {
			return err
		}
		if out, err = s.st.grant(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "enforcement.grant.create", ObjectType: "enforcement_grant", ObjectID: itoa(id),
			UnitID: in.UnitID, Summary: "登记" + option.Label(GrantModes, in.Mode) + "执法事项：" + in.Item, After: out})
	})
	return out, err
}

// UpdateGrant edits an item of a town's list.
func (s *Service) UpdateGrant(ctx context.Context, id int64, in GrantInput) (*Grant, error) {
	if _, err := auth.Require(ctx, PermConfig); err != nil {
		return nil, err
	}
	if err := s.checkGrant(ctx, &in); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Grant]{
		Load: func(ctx context.Context, tx *db.Tx) (*Grant, error) {
			g, err := s.st.grant(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermConfig, g.unitPath)
			return g, err
		},
		Version: func(g *Grant) int64 { return g.Version },
		Change: func(ctx context.Context, tx *db.Tx, g **Grant) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermConfig, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "enforcement.grant.update", ObjectType: "enforcement_grant", ObjectID: itoa(id),
				UnitID: in.UnitID, Summary: "修改执法事项：" + in.Item}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Grant, loaded int64) (bool, error) {
			return s.st.updateGrant(ctx, tx, id, loaded, in, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Grant) (*Grant, error) { return s.st.grant(ctx, tx, id) },
	})
}
