package finding

import (
	"context"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// Raise registers a problem another module detected (a reconsideration
// correction, a lost lawsuit, an automatic rule) inside that module's
// transaction tx, so the record that found it and the finding commit or
// roll back together. The calling module has checked its own permission
// for its step; the finding is registered in the system's name (the ledger
// entry is the rule's consequence, not a clerk's choice), while the audit
// event and the timeline still name the actor in ctx. Bad input is the
// caller's bug and is returned as the validation error.
func (s *Service) Raise(ctx context.Context, tx *db.Tx, in CreateInput) (int64, error) {
	sys := auth.SystemActor("问题台账自动登记")
	c, bad, err := s.check(ctx, tx, sys, in)
	if err != nil {
		return 0, err
	}
	if err := bad.Err(); err != nil {
		return 0, err
	}
	return s.insert(ctx, tx, sys, c, "create")
}
