package enforcement

import (
	"context"
	"strconv"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
)

// OwnerType is how evidence files (全过程记录) name a case.
const OwnerType = "enforcement_case"

// Problem is what a rule hit raises in the findings ledger.
type Problem struct {
	Title, Description, SourceRef string
	UnitID                        int64
	FoundOn                       string
}

// Ledger is what this module needs from the findings ledger: raise a
// problem and resolve it once the case is corrected, both in the case's
// transaction (adapted from finding.Service in internal/app).
type Ledger interface {
	Raise(ctx context.Context, tx *db.Tx, p Problem) (int64, error)
	Resolve(ctx context.Context, tx *db.Tx, findingID int64, note string) error
}

// LegalReviews is what this module needs from the legality review module:
// whether a case's major decision passed 法制审核 (subject enforcement_case),
// the latest review's outcome, and opening one (kind 重大执法决定).
type LegalReviews interface {
	Passed(ctx context.Context, caseID int64) (bool, error)
	Outcome(ctx context.Context, caseID int64) (ReviewOutcome, error)
	Open(ctx context.Context, r ReviewRequest) (reviewID int64, err error)
}

// Options are the configurable amounts (they differ between provinces).
type Options struct {
	// A general-procedure penalty at or above these amounts must be preceded
	// by a hearing notice (行政处罚法 art. 63 较大数额罚款; set by provinces).
	HearingPersonFen int64
	HearingOrgFen    int64
	// 涉企处罚报备: a penalty on an organisation above this amount is
	// reported to the 司法局 before the decision (a local rule).
	ReportFen int64
	// Inspections of one enterprise in a calendar year by all bodies
	// together above this number are flagged (0: the default 6, -1: not
	// checked; a local rule, not a national one). The limit
	// per body is each yearly inspection plan's own.
	InspectionsPerYear int
}

func (o *Options) normalize() {
	if o.HearingPersonFen <= 0 {
		o.HearingPersonFen = 10_000_00 // 1 万元
	}
	if o.HearingOrgFen <= 0 {
		o.HearingOrgFen = 100_000_00 // 10 万元
	}
	if o.ReportFen <= 0 {
		o.ReportFen = 10_000_00 // 1 万元
	}
	switch {
	case o.InspectionsPerYear == 0:
		o.InspectionsPerYear = 6
	case o.InspectionsPerYear < 0:
		o.InspectionsPerYear = 0 // not checked
	}
}

// Service is the enforcement register.
type Service struct {
	db      *db.DB
	st      Store
	cal     *calendar.Calendar
	rules   *calendar.Registry
	ledger  Ledger
	reviews LegalReviews
	train   training // exams and accounts (training.go), set at wiring
	files   *files.Service
	opt     Options
	now     func() time.Time
}

// NewService builds the service and registers the evidence owner type.
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, ledger Ledger, reviews LegalReviews, fs *files.Service, opt Options) *Service {
	opt.normalize()
	s := &Service{db: d, cal: cal, rules: rules, ledger: ledger, reviews: reviews, files: fs, opt: opt, now: time.Now}
	if fs != nil {
		fs.RegisterOwner(OwnerType, "行政执法案件", s.fileAccess)
	}
	return s
}

// SetNow replaces the clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

// unitIn checks that unitID exists and lies in the actor's scope for perm;
// a unit outside it is answered as not found.
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

// fileAccess lets the files engine check evidence of a case: read with the
// read permission in the case's unit, write with the write permission.
func (s *Service) fileAccess(ctx context.Context, id int64, write bool) (int64, error) {
	c, err := s.st.caseRow(ctx, s.db, id)
	if err != nil {
		return 0, err
	}
	perm := PermRead
	if write {
		perm = PermWrite
	}
	if _, err := auth.RequireIn(ctx, perm, c.unitPath); err != nil {
		return 0, err
	}
	return c.UnitID, nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
