package normdoc

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// IssuerInput creates or edits an issuing-body list entry.
type IssuerInput struct {
	UnitID   int64  `json:"unit_id" doc:"制定主体对应的单位"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix" doc:"文号前缀（机关代字）"`
	Basis    string `json:"basis"`
	ListedOn string `json:"listed_on"`
	Active   *bool  `json:"active,omitempty"`
	Version  int64  `json:"version"`
}

func (in *IssuerInput) validate() error {
	var v apperr.Fields
	in.Name, in.Prefix, in.Basis = strings.TrimSpace(in.Name), strings.TrimSpace(in.Prefix), strings.TrimSpace(in.Basis)
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择制定主体对应的单位")
	}
	if in.Name == "" {
		v.Add("name", "请填写制定主体名称")
	} else if utf8.RuneCountInString(in.Name) > 60 {
		v.Add("name", "制定主体名称不能超过 60 个字")
	}
	if in.Prefix == "" {
		v.Add("prefix", "请填写文号前缀（机关代字），如“清河府规”")
	} else if strings.ContainsAny(in.Prefix, "〔〕[]0123456789号") {
		v.Add("prefix", "文号前缀只写机关代字，不含年份、序号和“号”字")
	}
	in.ListedOn = calendar.CheckDate(&v, "listed_on", "列入清单日期", in.ListedOn, true, calendar.Span{}).String()
	return v.Err()
}

// ListIssuers returns the issuing-body list (visible to every reader: the
// list itself is public information).
func (s *Service) ListIssuers(ctx context.Context, activeOnly bool) ([]Issuer, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.store.ListIssuers(ctx, s.db, "1=1", nil, activeOnly)
}

// CreateIssuer adds a unit to the issuing-body list.
func (s *Service) CreateIssuer(ctx context.Context, in IssuerInput) (*Issuer, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Issuer
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		path, _, err := s.store.UnitInfo(ctx, tx, in.UnitID)
		if err != nil {
			return apperr.Field("unit_id", "所选单位不存在")
		}
		if _, err := auth.RequireIn(ctx, PermApprove, path); err != nil {
			return err
		}
		is := &Issuer{UnitID: in.UnitID, Name: in.Name, Prefix: in.Prefix, Basis: in.Basis, ListedOn: in.ListedOn, Active: true}
		id, err := s.store.InsertIssuer(ctx, tx, is)
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("name", "制定主体名称或文号前缀已在清单中")
			}
			return err
		}
		if out, err = s.store.GetIssuer(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.issuer.create", ObjectType: "normdoc_issuer", ObjectID: strconv.FormatInt(id, 10),
			UnitID: in.UnitID, Summary: "列入制定主体清单：" + in.Name, After: out})
	})
	return out, err
}

// UpdateIssuer edits an entry; Active=false removes the unit from the list
// (its existing documents stay; it may not draft new ones).
func (s *Service) UpdateIssuer(ctx context.Context, id int64, in IssuerInput) (*Issuer, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Issuer]{
		Load: func(ctx context.Context, tx *db.Tx) (*Issuer, error) {
			old, err := s.store.GetIssuer(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			return old, s.issuerScope(ctx, tx, old.UnitID)
		},
		Version: func(is *Issuer) int64 { return is.Version },
		Change: func(ctx context.Context, tx *db.Tx, is **Issuer) (audit.Event, error) {
			if err := s.issuerScope(ctx, tx, in.UnitID); err != nil {
				return audit.Event{}, err
			}
			upd := **is
			upd.UnitID, upd.Name, upd.Prefix, upd.Basis, upd.ListedOn = in.UnitID, in.Name, in.Prefix, in.Basis, in.ListedOn
			if in.Active != nil {
				upd.Active = *in.Active
			}
			*is = &upd
			return audit.Event{Action: "normdoc.issuer.update", ObjectType: "normdoc_issuer", ObjectID: strconv.FormatInt(id, 10),
				UnitID: upd.UnitID, Summary: "修改制定主体清单：" + upd.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, is *Issuer, loaded int64) (bool, error) {
			is.Version = loaded
			ok, err := s.store.UpdateIssuer(ctx, tx, is)
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("name", "制定主体名称或文号前缀已在清单中")
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, is *Issuer) (*Issuer, error) {
			return s.store.GetIssuer(ctx, tx, id)
		},
	})
}

// issuerScope checks that the actor may manage the issuing-body list entry
// of unitID (an unknown unit is a field error).
func (s *Service) issuerScope(ctx context.Context, tx *db.Tx, unitID int64) error {
	path, _, err := s.store.UnitInfo(ctx, tx, unitID)
	if err != nil {
		return apperr.Field("unit_id", "所选单位不存在")
	}
	_, err = auth.RequireIn(ctx, PermApprove, path)
	return err
}
