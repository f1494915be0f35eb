package randominspection

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
)

// BodyRef is an enforcement body as this module needs it.
type BodyRef struct {
	ID     int64
	Name   string
	UnitID int64
}

// OfficerRef is an enforcement officer as this module needs it; Certified
// is a valid, unexpired certificate today.
type OfficerRef struct {
	ID        int64
	Name      string
	UnitID    int64
	UnitName  string
	Certified bool
}

// Enforcement is what this module reads from the enforcement register
// (adapted from enforcement.Service in internal/app). Lookups run as the
// actor: a body or officer outside the actor's scope is not found.
type Enforcement interface {
	// Bodies lists the bodies in the actor's scope.
	Bodies(ctx context.Context) ([]BodyRef, error)
	Body(ctx context.Context, id int64) (BodyRef, error)
	Officer(ctx context.Context, id int64) (OfficerRef, error)
	// CertifiedOfficers lists the officers with a valid certificate in the
	// unit's subtree.
	CertifiedOfficers(ctx context.Context, unitID int64) ([]OfficerRef, error)
}

// Problem is what a check with problems raises in the findings ledger.
type Problem struct {
	Title, Description, SourceRef string
	UnitID                        int64
	FoundOn                       string
}

// Ledger raises a problem in the findings ledger in the check's transaction.
type Ledger interface {
	Raise(ctx context.Context, tx *db.Tx, p Problem) (int64, error)
}

// Service is the random-inspection module.
type Service struct {
	db     *db.DB
	st     Store
	cal    *calendar.Calendar
	rules  *calendar.Registry
	en     Enforcement
	ledger Ledger
	now    func() time.Time
}

// NewService builds the service.
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, en Enforcement, ledger Ledger) *Service {
	return &Service{db: d, cal: cal, rules: rules, en: en, ledger: ledger, now: time.Now}
}

// SetNow replaces the clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// unitIn checks that unitID exists and lies in the actor's scope for perm.
func (s *Service) unitIn(ctx context.Context, q db.Querier, perm string, unitID int64, field string) (path, name string, err error) {
	if unitID <= 0 {
		return "", "", apperr.Field(field, "请选择单位")
	}
	path, name, err = s.st.unit(ctx, q, unitID)
	if apperr.Is(err, apperr.NotFound) {
		return "", "", apperr.Field(field, "所选单位不存在")
	}
	if err != nil {
		return "", "", err
	}
	if _, err := auth.RequireIn(ctx, perm, path); err != nil {
		return "", "", err
	}
	return path, name, nil
}

func checkText(v *apperr.Fields, field, label string, value *string, required bool, max int) {
	*value = strings.TrimSpace(*value)
	if strings.ContainsRune(*value, 0) {
		v.Add(field, "%s含有无效字符", label)
		return
	}
	switch n := utf8.RuneCountInString(*value); {
	case n == 0 && required:
		v.Add(field, "请填写%s", label)
	case n > max:
		v.Add(field, "%s不能超过 %d 个字", label, max)
	}
}

// ---- matters ----

// MatterInput creates or edits one item of the matters list.
type MatterInput struct {
	BodyID     int64  `json:"body_id" doc:"执法主体"`
	Name       string `json:"name" doc:"抽查事项"`
	LegalBasis string `json:"legal_basis" doc:"抽查依据"`
	ObjectKind string `json:"object_kind" doc:"检查对象类别"`
	Method     string `json:"method" doc:"检查方式"`
	Version    int64  `json:"version,omitempty"`
}

func (s *Service) checkMatter(ctx context.Context, in *MatterInput) (BodyRef, error) {
	var v apperr.Fields
	checkText(&v, "name", "抽查事项名称", &in.Name, true, 100)
	checkText(&v, "legal_basis", "抽查依据", &in.LegalBasis, true, 500)
	checkText(&v, "object_kind", "检查对象类别", &in.ObjectKind, true, 100)
	if m, ok := option.Value(Methods, strings.TrimSpace(in.Method)); ok {
		in.Method = m
	} else {
		v.Add("method", "检查方式应为：%s", option.Joined(Methods))
	}
	var b BodyRef
	if in.BodyID <= 0 {
		v.Add("body_id", "请选择执法主体")
	} else {
		var err error
		b, err = s.en.Body(ctx, in.BodyID)
		if err != nil {
			// A body the actor may not see is not found, whatever the input.
			return b, err
		}
	}
	return b, v.Err()
}

// ListMatters lists the matters in the actor's scope (bodyID 0: all).
func (s *Service) ListMatters(ctx context.Context, bodyID int64) ([]Matter, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "m.unit_id")
	if bodyID > 0 {
		scope += " AND m.body_id = ?"
		args = append(args, bodyID)
	}
	return s.st.matters(ctx, s.db, scope, args)
}

// CreateMatter adds an item to a body's matters list.
func (s *Service) CreateMatter(ctx context.Context, in MatterInput) (*Matter, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	b, err := s.checkMatter(ctx, &in)
	if err != nil {
		return nil, err
	}
	var out *Matter
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermWrite, b.UnitID, "body_id"); err != nil {
			return err
		}
		id, err := s.st.insertMatter(ctx, tx, b, in, s.clock(ctx))
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("name", "该执法主体已有抽查事项「%s」", in.Name)
		}
		if err != nil {
			return err
		}
		if out, err = s.st.matter(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "randominspection.matter.create", ObjectType: "random_matter", ObjectID: itoa(id),
			UnitID: b.UnitID, Summary: "新增随机抽查事项：" + in.Name, After: out})
	})
	return out, err
}

// UpdateMatter edits an item of the matters list.
func (s *Service) UpdateMatter(ctx context.Context, id int64, in MatterInput) (*Matter, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	b, err := s.checkMatter(ctx, &in)
	if err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Matter]{
		Load: func(ctx context.Context, tx *db.Tx) (*Matter, error) {
			m, err := s.st.matter(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, m.unitPath)
			return m, err
		},
		Version: func(m *Matter) int64 { return m.Version },
		Change: func(ctx context.Context, tx *db.Tx, m **Matter) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermWrite, b.UnitID, "body_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "randominspection.matter.update", ObjectType: "random_matter", ObjectID: itoa(id),
				UnitID: b.UnitID, Summary: "修改随机抽查事项：" + in.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Matter, loaded int64) (bool, error) {
			ok, err := s.st.updateMatter(ctx, tx, id, loaded, b, in, s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("name", "该执法主体已有抽查事项「%s」", in.Name)
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Matter) (*Matter, error) { return s.st.matter(ctx, tx, id) },
	})
}

// creditCode is the shape of a 统一社会信用代码 (GB 32100-2015).
var creditCode = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
