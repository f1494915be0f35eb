package finding

import (
	"context"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// Automatic rules (系统规则预警): a module that checks its own register
// raises a problem here inside its own transaction, and resolves it when
// the record it was raised for is corrected. The module keeps which
// finding belongs to which (record, rule) pair; the ledger keeps the
// problem, its deadline, reminders and timeline like any other.

// moduleSources are the sources a module may name when it raises a
// problem its own rules or outcomes found (a correcting reconsideration
// decision, a lost lawsuit); anything else is an automatic rule.
var moduleSources = []Source{SourceAutoRule, SourceReconsideration, SourceLostLawsuit, SourceCaseReview, SourceSupervision, SourceComplaint}

// RaiseTx registers a problem a module detected — by an automatic rule, or
// as the consequence of an outcome it recorded — in the caller's
// transaction, so the record that found it and the finding commit or roll
// back together. It is the one raise path into the ledger. The problem is
// registered for the system, whoever saved the record: the unit need not be
// in the saver's finding scope (the audit event and the timeline still
// carry the actor in ctx). in.Source is auto_rule unless it names one of
// moduleSources. Bad input is the caller's bug and is returned as the
// validation error.
func (s *Service) RaiseTx(ctx context.Context, tx *db.Tx, in CreateInput) (int64, error) {
	if !slices.Contains(moduleSources, Source(in.Source)) {
		in.Source = string(SourceAutoRule)
	}
	if in.Severity == "" {
		in.Severity = string(SeverityGeneral)
	}
	sys := auth.SystemActor("系统规则预警")
	c, bad, err := s.check(ctx, tx, sys, in)
	if err != nil {
		return 0, err
	}
	if err := bad.Err(); err != nil {
		return 0, err
	}
	return s.insert(ctx, tx, sys, c, "create")
}

// ResolveTx closes an automatic-rule finding whose record the module found
// corrected (the rule no longer hits), in the caller's transaction: the
// correction is the rectification, so there is no close-out review and no
// 回头看 (the rule is checked again on every save and nightly). A finding
// already closed, or under close-out review, is left as it is.
func (s *Service) ResolveTx(ctx context.Context, tx *db.Tx, id int64, note string) error {
	f, err := s.load(ctx, tx, id)
	if err != nil {
		return err
	}
	if f.Source != string(SourceAutoRule) {
		return apperr.New(apperr.Invalid, "只有系统规则预警的问题可以自动销号")
	}
	if f.Status != string(StatusOpen) {
		return nil
	}
	today := s.today(ctx).String()
	measures := strings.TrimSpace(note)
	if f.Measures != "" {
		measures = f.Measures + "\n" + measures
	}
	before := *f
	if err := bump(ctx, tx, f, []string{"status = ?", "rectified_on = ?", "closed_on = ?", "measures = ?"},
		string(StatusClosed), today, today, measures); err != nil {
		return err
	}
	after, err := s.load(ctx, tx, id)
	if err != nil {
		return err
	}
	if err := s.cancelClock(ctx, tx, id); err != nil {
		return err
	}
	return s.record(ctx, tx, after, "auto_close", note, before, after)
}
