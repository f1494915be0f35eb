package casereview

import (
	"context"
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
	"fazhi/internal/platform/update"
)

// CaseRef is a closed enforcement case as this module needs it.
type CaseRef struct {
	ID       int64
	Code     string
	Title    string
	BodyName string
	UnitID   int64
	ClosedOn string
}

// OfficerRef is an enforcement officer (a reviewer).
type OfficerRef struct {
	ID       int64
	Name     string
	UnitID   int64
	UnitName string
}

// BodyRef is an enforcement body (a notice's addressee).
type BodyRef struct {
	ID     int64
	Name   string
	UnitID int64
}

// Enforcement is what this module reads from the enforcement register
// (adapted from enforcement.Service in internal/app). Lookups run as the
// actor: what lies outside the actor's scope is not found.
type Enforcement interface {
	// ClosedCases lists the cases of the unit's subtree closed in the year.
	ClosedCases(ctx context.Context, unitID int64, year int) ([]CaseRef, error)
	Officer(ctx context.Context, id int64) (OfficerRef, error)
	Body(ctx context.Context, id int64) (BodyRef, error)
	// Bodies lists the bodies in the actor's scope; Officers the officers
	// of a unit's subtree (the demo's reviewers).
	Bodies(ctx context.Context) ([]BodyRef, error)
	Officers(ctx context.Context, unitID int64) ([]OfficerRef, error)
}

// Raise is a problem this module puts in the findings ledger.
type Raise struct {
	Title, Description, SourceRef string
	// Source is finding's case_review or supervision_notice.
	Source  string
	UnitID  int64
	FoundOn string
	Serious bool
}

// FindingState is a finding's state in the ledger.
type FindingState struct {
	Code, Status, StatusLabel string
	Closed                    bool
}

// Ledger is the findings ledger: problems are raised in the caller's
// transaction; their rectification is read back from it.
type Ledger interface {
	Raise(ctx context.Context, tx *db.Tx, p Raise) (int64, error)
	States(ctx context.Context, ids []int64) (map[int64]FindingState, error)
}

// Service is the case-review and supervision module.
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

// checkDay checks a YYYY-MM-DD within 2000 and a year past today.
func (s *Service) checkDay(ctx context.Context, v *apperr.Fields, field, label, value string, required bool) calendar.Date {
	today := s.today(ctx)
	return calendar.CheckDate(v, field, label, strings.TrimSpace(value), required, calendar.Happened(calendar.NewDate(2000, 1, 1), today))
}

// ---- rubrics ----

// RubricInput creates or edits a rubric.
type RubricInput struct {
	Name         string     `json:"name" doc:"评查标准名称"`
	Definition   Definition `json:"definition"`
	ExcellentMin int        `json:"excellent_min" doc:"优秀分数线"`
	PassMin      int        `json:"pass_min" doc:"合格分数线"`
	Version      int64      `json:"version,omitempty"`
}

func (in RubricInput) rubric() Rubric {
	return Rubric{Name: in.Name, Definition: in.Definition, ExcellentMin: in.ExcellentMin, PassMin: in.PassMin}
}

// ListRubrics lists the rubrics.
func (s *Service) ListRubrics(ctx context.Context) ([]Rubric, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.rubrics(ctx, s.db)
}

// GetRubric returns a rubric.
func (s *Service) GetRubric(ctx context.Context, id int64) (*Rubric, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.rubric(ctx, s.db, id)
}

// CreateRubric adds a rubric (司法局: casereview.manage).
func (s *Service) CreateRubric(ctx context.Context, in RubricInput) (*Rubric, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	r := in.rubric()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	var out *Rubric
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		id, err := s.st.insertRubric(ctx, tx, &r, s.clock(ctx))
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("name", "已有名为「%s」的评查标准", r.Name)
		}
		if err != nil {
			return err
		}
		if out, err = s.st.rubric(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.rubric.create", ObjectType: "review_rubric", ObjectID: itoa(id),
			UnitID: a.UnitID, Summary: "新增案卷评查标准：" + r.Name, After: out})
	})
	return out, err
}

// UpdateRubric edits a rubric. Files already scored keep the score they
// were given (their deductions are stored with them).
func (s *Service) UpdateRubric(ctx context.Context, id int64, in RubricInput) (*Rubric, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	r := in.rubric()
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Rubric]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Rubric, error) { return s.st.rubric(ctx, tx, id) },
		Version: func(r *Rubric) int64 { return r.Version },
		Change: func(ctx context.Context, tx *db.Tx, _ **Rubric) (audit.Event, error) {
			return audit.Event{Action: "casereview.rubric.update", ObjectType: "review_rubric", ObjectID: itoa(id), UnitID: a.UnitID,
				Summary: "修改案卷评查标准：" + r.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Rubric, loaded int64) (bool, error) {
			ok, err := s.st.updateRubric(ctx, tx, id, loaded, &r, s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("name", "已有名为「%s」的评查标准", r.Name)
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Rubric) (*Rubric, error) { return s.st.rubric(ctx, tx, id) },
	})
}
