// Package legalreview runs 合法性审查: review requests for decision drafts,
// normative document drafts, contracts and policy measures (with a
// fair-competition checklist), worked through configured review chains,
// concluded with opinion items and a numbered opinion letter, and answered
// by the requester's adoption record. It is the hub decision and normdoc
// call (Open, Outcome) at their gates.
package legalreview

import (
	"context"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// Permissions.
const (
	PermRead    = "legalreview.read"
	PermWrite   = "legalreview.write"
	PermApprove = "legalreview.approve"
	// PermConfig edits review chains and the fair-competition standards
	// (司法局 administrators).
	PermConfig = "legalreview.config"
)

func init() {
	auth.RegisterPerms("legalreview", map[string]string{
		PermRead: "查看合法性审查", PermWrite: "办理合法性审查", PermApprove: "审批合法性审查",
		PermConfig: "配置合法性审查流程与公平竞争审查标准",
	})
}

// Named calendar rules. legalreview.min ships with the calendar; the review
// time limit is registered here unless configuration already provides it.
const (
	RuleMin    = "legalreview.min"
	RuleReview = "legalreview.review"
)

// ReviewRule is the default review time limit (德州 and many local rules:
// 15 working days); provinces override it like any other rule.
var ReviewRule = calendar.Rule{
	Name: RuleReview, Label: "合法性审查办理时限",
	Basis:  "地方合法性审查规定（默认自收到送审材料之日起 15 个工作日，可按省配置）",
	Period: calendar.Period{N: 15, Unit: calendar.WorkingDays},
}

// Limits on free text.
const (
	maxTitle    = 200
	maxSummary  = 5000
	maxOpinion  = 2000
	maxOpinions = 50
	maxReason   = 1000
)

// UnitInfo is what the service needs to know about an org unit.
type UnitInfo struct {
	ID   int64
	Name string
	Path string
}

// Directory is the org lookup the service needs (implemented over the org
// service at wiring time).
type Directory interface {
	Unit(ctx context.Context, id int64) (UnitInfo, error)
	// UsersInRole returns the active users holding role in unitID.
	UsersInRole(ctx context.Context, role string, unitID int64) ([]int64, error)
	UserNames(ctx context.Context, ids []int64) (map[int64]string, error)
}

// Notifier delivers reminders; nil means reminders are only recorded on the
// review's timeline and in the audit log.
type Notifier interface {
	// key identifies the reminder; a user gets one notification per key.
	Notify(ctx context.Context, userIDs []int64, key, title, body, link string) error
}

// Service is what handlers, other modules and jobs call.
type Service struct {
	db       *db.DB
	st       Store
	dir      Directory
	cal      *calendar.Calendar
	rules    *calendar.Registry
	now      func() time.Time
	notifier Notifier
	pdf      PDFMaker
}

// NewService builds the service and registers the legalreview.review rule
// in rules if it is not there yet.
func NewService(d *db.DB, dir Directory, cal *calendar.Calendar, rules *calendar.Registry) (*Service, error) {
	if _, err := rules.Get(RuleReview); err != nil {
		if err := rules.Register(ReviewRule); err != nil {
			return nil, err
		}
	}
	if _, err := rules.Get(RuleMin); err != nil {
		return nil, err
	}
	return &Service{db: d, dir: dir, cal: cal, rules: rules, now: time.Now}, nil
}

// SetNow replaces the clock (tests, demo data).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

// SetNotifier plugs in reminder delivery.
func (s *Service) SetNotifier(n Notifier) { s.notifier = n }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

// clock is the time the service reads: the simulated clock the demo
// loader puts on ctx (platform/clock), otherwise the service's own.
func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }

// dueCalc adapts the statutory calendar to the workflow engine: a step due
// n working days after activation ends at the end of that day in Shanghai.
type dueCalc struct{ cal *calendar.Calendar }

func (d dueCalc) AddWorkingDays(from time.Time, n int) time.Time {
	day := d.cal.AddWorkingDays(calendar.Today(from), n)
	return time.Date(day.Year, day.Month, day.Day, 23, 59, 59, 0, calendar.Shanghai).UTC()
}

type resolver struct {
	ctx context.Context
	dir Directory
}

func (r resolver) UsersInRole(role string, unitID int64) ([]int64, error) {
	return r.dir.UsersInRole(r.ctx, role, unitID)
}

func (s *Service) engine(ctx context.Context) *workflow.Engine {
	return workflow.New(dueCalc{s.cal}, resolver{ctx, s.dir})
}
