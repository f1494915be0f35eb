package finding

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
	"fazhi/internal/platform/workflow"

	"github.com/danielgtaylor/huma/v2"
)

// ChainCloseout is the code of the district's close-out chain row.
const ChainCloseout = "closeout"

// Chain is a close-out review chain stored as data (table finding_chains).
type Chain struct {
	ID         int64               `json:"id"`
	Code       string              `json:"code"`
	Name       string              `json:"name"`
	Definition workflow.Definition `json:"definition"`
	UpdatedBy  int64               `json:"updated_by"`
	UpdatedAt  time.Time           `json:"updated_at"`
	Version    int                 `json:"version"`
}

// ChainInput edits a chain.
type ChainInput struct {
	Name       string          `json:"name" doc:"流程名称"`
	Definition json.RawMessage `json:"definition" doc:"审批流程定义（JSON，见 workflow.Definition）"`
	Version    int             `json:"version"`
}

const chainCols = "id, code, name, definition, updated_by, updated_at, version"

func scanChain(sc interface{ Scan(...any) error }) (*Chain, error) {
	var c Chain
	var def string
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &def, &c.UpdatedBy, &c.UpdatedAt, &c.Version); err != nil {
		return nil, err
	}
	d, err := workflow.ParseDefinition([]byte(def))
	if err != nil {
		return nil, fmt.Errorf("finding chain %s: stored definition invalid: %w", c.Code, err)
	}
	c.Definition = d
	c.UpdatedAt = c.UpdatedAt.UTC()
	return &c, nil
}

func (s *Service) chainByID(ctx context.Context, q db.Querier, id int64) (*Chain, error) {
	c, err := s.st.chainByID(ctx, q, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "销号审核流程不存在")
	}
	return c, err
}

// closeoutChain is the chain a new close-out starts with: the stored
// 'closeout' row, or the shipped default when the row is missing.
func (s *Service) closeoutChain(ctx context.Context, q db.Querier) (workflow.Definition, error) {
	c, err := s.st.chainByCode(ctx, q, ChainCloseout)
	if errors.Is(err, sql.ErrNoRows) {
		return workflow.ParseDefinition([]byte(DefaultChain))
	}
	if err != nil {
		return workflow.Definition{}, err
	}
	return c.Definition, nil
}

// Chains lists the close-out chains.
func (s *Service) Chains(ctx context.Context) ([]Chain, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.chains(ctx, s.db)
}

// checkChain validates an edit: the name, the definition (parsed by the
// workflow engine, its field errors reported under "definition.") and the
// roles it names, which must exist. Nothing is written when it fails.
func (s *Service) checkChain(ctx context.Context, q db.Querier, in ChainInput) (string, workflow.Definition, error) {
	var v apperr.Fields
	name := strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		v.Add("name", "请填写流程名称")
	case n > workflow.MaxNameRunes:
		v.Add("name", "流程名称不能超过 %d 个字", workflow.MaxNameRunes)
	}
	var def workflow.Definition
	raw := strings.TrimSpace(string(in.Definition))
	if raw == "" || raw == "null" {
		v.Add("definition", "请填写审批流程定义")
	} else if d, err := workflow.ParseDefinition([]byte(raw)); err != nil {
		ae := apperr.As(err)
		if ae == nil {
			return "", def, err
		}
		if len(ae.Fields) == 0 {
			v.Add("definition", "%s", ae.Message)
		}
		for _, f := range ae.Fields {
			field := "definition." + f.Field
			if f.Field == "" || f.Field == "definition" { // the whole value has the wrong type
				field = "definition"
			}
			v.Add(field, "%s", f.Message)
		}
		// Report unknown roles and users in the same answer when the JSON
		// itself decodes.
		var loose workflow.Definition
		if json.Unmarshal([]byte(raw), &loose) == nil {
			if err := s.checkChainPeople(ctx, q, loose, &v); err != nil {
				return "", def, err
			}
		}
	} else {
		def = d
		if err := s.checkChainPeople(ctx, q, def, &v); err != nil {
			return "", def, err
		}
	}
	return name, def, v.Err()
}

// checkChainPeople refuses roles and users that do not exist: a misspelt
// role would only show when a unit applies for close-out.
func (s *Service) checkChainPeople(ctx context.Context, q db.Querier, def workflow.Definition, v *apperr.Fields) error {
	check := func(field string, a workflow.Assignee) error {
		if a.Role != "" {
			ok, err := s.dir.RoleExists(ctx, a.Role)
			if err != nil {
				return err
			}
			if !ok {
				v.Add(field, "角色 %s 不存在", a.Role)
			}
		}
		if a.UserID > 0 {
			ok, err := s.dir.UserActive(ctx, a.UserID)
			if err != nil {
				return err
			}
			if !ok {
				v.Add(field, "用户 %d 不存在或已停用", a.UserID)
			}
		}
		if a.UnitID > 0 {
			if _, err := s.dir.Unit(ctx, q, a.UnitID); err != nil {
				if !apperr.Is(err, apperr.NotFound) {
					return err
				}
				v.Add(field, "单位 %d 不存在", a.UnitID)
			}
		}
		return nil
	}
	for i, st := range def.Steps {
		p := fmt.Sprintf("definition.steps[%d]", i)
		for j, a := range st.Assignees {
			if err := check(fmt.Sprintf("%s.assignees[%d]", p, j), a); err != nil {
				return err
			}
		}
		for j, a := range st.CC {
			if err := check(fmt.Sprintf("%s.cc[%d]", p, j), a); err != nil {
				return err
			}
		}
		if st.EscalateTo != nil {
			if err := check(p+".escalate_to", *st.EscalateTo); err != nil {
				return err
			}
		}
	}
	return nil
}

// UpdateChain replaces a chain's name and definition (finding.config).
// Findings already under close-out keep the snapshot they started with.
func (s *Service) UpdateChain(ctx context.Context, id int64, in ChainInput) (*Chain, error) {
	actor, err := auth.Require(ctx, PermConfig)
	if err != nil {
		return nil, err
	}
	var name string
	var js []byte
	out, err := update.Run(ctx, s.db, int64(in.Version), update.Update[*Chain]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Chain, error) { return s.chainByID(ctx, tx, id) },
		Version: func(c *Chain) int64 { return int64(c.Version) },
		Change: func(ctx context.Context, tx *db.Tx, c **Chain) (audit.Event, error) {
			var def workflow.Definition
			var err error
			if name, def, err = s.checkChain(ctx, tx, in); err != nil {
				return audit.Event{}, err
			}
			if js, err = json.Marshal(def); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "finding.chain.update", ObjectType: "finding_chain", ObjectID: strconv.FormatInt(id, 10),
				Summary: fmt.Sprintf("修改问题销号审核流程「%s」（%d 个审核环节）", name, len(def.Steps))}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Chain, loaded int64) (bool, error) {
			return s.st.updateChain(ctx, tx, id, int(loaded), name, string(js), actor.UserID, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Chain) (*Chain, error) { return s.chainByID(ctx, tx, id) },
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (s *Service) registerChains(api huma.API) {
	tags := []string{"问题台账"}
	huma.Register(api, huma.Operation{OperationID: "listFindingChains", Method: http.MethodGet, Path: "/api/finding-chains", Summary: "问题销号审核流程", Tags: tags},
		func(ctx context.Context, _ *struct{}) (*struct{ Body []Chain }, error) {
			cs, err := s.Chains(ctx)
			if err != nil {
				return nil, err
			}
			return &struct{ Body []Chain }{Body: cs}, nil
		})
	huma.Register(api, huma.Operation{OperationID: "updateFindingChain", Method: http.MethodPut, Path: "/api/finding-chains/{id}", Summary: "修改问题销号审核流程", Tags: tags},
		func(ctx context.Context, in *struct {
			ID   int64 `path:"id"`
			Body ChainInput
		}) (*struct{ Body *Chain }, error) {
			c, err := s.UpdateChain(ctx, in.ID, in.Body)
			if err != nil {
				return nil, err
			}
			return &struct{ Body *Chain }{Body: c}, nil
		})
}
