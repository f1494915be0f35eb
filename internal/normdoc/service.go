package normdoc

import (
	"context"
	"time"

	"fazhi/internal/legalreview"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

// Permissions.
const (
	PermRead    = "normdoc.read"
	PermWrite   = "normdoc.write"
	PermApprove = "normdoc.approve"
	// PermCertify is held for an issuing body's unit by the accounts acting
	// for it: the collective deliberation is the issuing body's own act
	// (国办发〔2018〕37号), recorded only in its name (auth.Actor.ActsFor).
	PermCertify = "normdoc.certify"
)

// FilingRule is the calendar rule for filing with the level above.
const FilingRule = "normdoc.filing"

// SubjectType names documents in legality reviews.
const SubjectType = "normdoc"

func init() {
	auth.RegisterPerms("normdoc", map[string]string{
		PermRead: "查看规范性文件", PermWrite: "办理规范性文件", PermApprove: "审批规范性文件",
		PermCertify: "代表制定机关登记规范性文件集体审议",
	})
}

// LegalReviewer is what normdoc needs from the legality review module.
type LegalReviewer interface {
	Open(ctx context.Context, in legalreview.OpenInput) (*legalreview.Review, error)
	Outcome(ctx context.Context, subjectType string, subjectID int64) (legalreview.Outcome, error)
}

// Options are the configurable periods (they differ between provinces).
type Options struct {
	ValidYears            int   // 有效期, default 5
	ProvisionalValidYears int   // 暂行/试行, default 2
	EffectiveDelayDays    int   // 施行日期不早于公布后, default 30
	ExpiryReminderDays    []int // reminders before expiry, default 90 and 30
	FilingReminderDays    []int // reminders before the filing deadline (0 = on the day, -1 = overdue next day), default 5, 0, -1
	Now                   func() time.Time
}

func (o *Options) normalize() {
	if o.ValidYears <= 0 {
		o.ValidYears = 5
	}
	if o.ProvisionalValidYears <= 0 {
		o.ProvisionalValidYears = 2
	}
	if o.EffectiveDelayDays <= 0 {
		o.EffectiveDelayDays = 30
	}
	if len(o.ExpiryReminderDays) == 0 {
		o.ExpiryReminderDays = []int{90, 30}
	}
	if len(o.FilingReminderDays) == 0 {
		o.FilingReminderDays = []int{5, 0, -1}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Service holds every normative-document rule.
type Service struct {
	db      *db.DB
	store   Store
	cal     *calendar.Calendar
	rules   *calendar.Registry
	reviews LegalReviewer
	opt     Options
}

// NewService builds the service.
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, reviews LegalReviewer, opt Options) *Service {
	opt.normalize()
	return &Service{db: d, store: SQLStore{}, cal: cal, rules: rules, reviews: reviews, opt: opt}
}

// Options returns the effective configuration.
func (s *Service) Options() Options { return s.opt }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.now(ctx)) }

// now is the service's time: the simulated clock a demo seeder carries on
// ctx (platform/clock), else the configured clock.
func (s *Service) now(ctx context.Context) time.Time { return clock.Now(ctx, s.opt.Now) }

// conflict is the platform's one lost-update error.
func conflict() error { return update.Conflict() }
