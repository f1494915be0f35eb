package legalreview

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

func auditRecord(ctx context.Context, tx *db.Tx, action, objType string, id int64, before, after any, summary string) error {
	return audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: objType, ObjectID: fmt.Sprint(id),
		Before: before, After: after, Summary: summary})
}

// Chains lists the configured review chains.
func (s *Service) Chains(ctx context.Context) ([]Chain, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.chains(ctx, s.db)
}

// ChainInput creates or edits a chain.
type ChainInput struct {
	Code           string          `json:"code,omitempty" doc:"流程标识（新建时填写）"`
	Name           string          `json:"name"`
	UnitID         int64           `json:"unit_id" doc:"适用单位，0 为所有单位"`
	Kind           string          `json:"kind" doc:"适用审查类型，空为所有类型"`
	ReviewerUnitID int64           `json:"reviewer_unit_id" doc:"审查机构"`
	NumberPrefix   string          `json:"number_prefix" doc:"意见书文号前缀"`
	Definition     json.RawMessage `json:"definition" doc:"审批流程定义（JSON，见 workflow.Definition）"`
	Version        int64           `json:"version"`

	def workflow.Definition
}

func (s *Service) validateChain(ctx context.Context, in *ChainInput, creating bool) error {
	var v apperr.Fields
	in.Code, in.Name, in.NumberPrefix = strings.TrimSpace(in.Code), strings.TrimSpace(in.Name), strings.TrimSpace(in.NumberPrefix)
	if creating && in.Code == "" {
		v.Add("code", "请填写流程标识")
	}
	if in.Name == "" {
		v.Add("name", "请填写流程名称")
	}
	if in.Kind != "" && !Kind(in.Kind).Valid() {
		v.Add("kind", "审查类型无效")
	}
	if in.NumberPrefix == "" {
		v.Add("number_prefix", "请填写意见书文号前缀，如“清河司审”")
	} else if strings.ContainsAny(in.NumberPrefix, "〔〕[]0123456789") {
		v.Add("number_prefix", "文号前缀只填机关代字，不含年份和序号")
	}
	for field, id := range map[string]int64{"unit_id": in.UnitID, "reviewer_unit_id": in.ReviewerUnitID} {
		if id < 0 {
			v.Add(field, "单位无效")
		} else if id > 0 {
			if _, err := s.dir.Unit(ctx, id); err != nil {
				if !apperr.Is(err, apperr.NotFound) {
					return err
				}
				v.Add(field, "单位不存在")
			}
		}
	}
	if len(in.Definition) == 0 {
		v.Add("definition", "请填写审批流程定义")
	} else if def, err := workflow.ParseDefinition(in.Definition); err != nil {
		ae := apperr.As(err)
		if ae == nil {
			return err
		}
		if len(ae.Fields) == 0 {
			v.Add("definition", "%s", ae.Message)
		}
		for _, f := range ae.Fields {
			v.Add("definition."+f.Field, "%s", f.Message)
		}
	} else {
		in.def = def
	}
	return v.Err()
}

// CreateChain adds a chain for a unit and kind.
func (s *Service) CreateChain(ctx context.Context, in ChainInput) (*Chain, error) {
	if _, err := requireConfig(ctx); err != nil {
		return nil, err
	}
	if err := s.validateChain(ctx, &in, true); err != nil {
		return nil, err
	}
	c := Chain{Code: in.Code, Name: in.Name, UnitID: in.UnitID, Kind: in.Kind, ReviewerUnitID: in.ReviewerUnitID,
		NumberPrefix: in.NumberPrefix, Definition: in.def, Version: 1}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.st.insertChain(ctx, tx, &c, s.clock(ctx)); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("code", "流程标识已存在，或该单位该类型已配置审查流程")
			}
			return err
		}
		return auditConfig(ctx, tx, "legalreview.chain.create", c.ID, nil, c, "新增合法性审查流程："+c.Name)
	})
	return &c, err
}

// UpdateChain edits a chain; reviews under way keep the snapshot they
// started with.
func (s *Service) UpdateChain(ctx context.Context, id int64, in ChainInput) (*Chain, error) {
	if _, err := requireConfig(ctx); err != nil {
		return nil, err
	}
	if err := s.validateChain(ctx, &in, false); err != nil {
		return nil, err
	}
	var out Chain
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := s.st.chain(ctx, tx, id)
		if err != nil {
			return err
		}
		n := old
		n.Name, n.UnitID, n.Kind, n.ReviewerUnitID, n.NumberPrefix, n.Definition = in.Name, in.UnitID, in.Kind, in.ReviewerUnitID, in.NumberPrefix, in.def
		ok, err := s.st.updateChain(ctx, tx, n, in.Version, s.clock(ctx))
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("unit_id", "该单位该类型已配置其他审查流程")
			}
			return err
		}
		if !ok {
			return staleErr()
		}
		n.Version = in.Version + 1
		out = n
		return auditConfig(ctx, tx, "legalreview.chain.update", id, old, n, "修改合法性审查流程："+n.Name)
	})
	return &out, err
}
