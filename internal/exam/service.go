package exam

import (
	"context"
	"strconv"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// Service is the exam engine.
type Service struct {
	db       *db.DB
	st       Store
	purposes map[string]Purpose
	order    []string
	now      func() time.Time
}

// NewService builds the engine; purposes are registered at wiring.
func NewService(d *db.DB) *Service {
	return &Service{db: d, purposes: map[string]Purpose{}, now: time.Now}
}

// RegisterPurpose makes exams of purpose p possible (called at wiring,
// before serving).
func (s *Service) RegisterPurpose(p Purpose) {
	if _, ok := s.purposes[p.Code]; !ok {
		s.order = append(s.order, p.Code)
	}
	s.purposes[p.Code] = p
}

// Purposes lists the registered purposes.
func (s *Service) Purposes() []Option {
	out := make([]Option, 0, len(s.order))
	for _, c := range s.order {
		out = append(out, Option{Value: c, Label: s.purposes[c].Label})
	}
	return out
}

func (s *Service) purposeLabel(code string) string {
	if p, ok := s.purposes[code]; ok {
		return p.Label
	}
	return code
}

// SetNow replaces the clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now).UTC() }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// notFoundExam is how an exam the actor may not see answers.
func notFoundExam() error { return apperr.New(apperr.NotFound, "考试不存在或无权查看") }
