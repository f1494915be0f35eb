package normdoc

import (
	"context"
	"strconv"

	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/db"
)

// ExpireDue marks documents past their validity as expired and cancels
// their reminders. It is idempotent and safe to run from several processes.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	n := 0
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		ids, err := s.store.ExpireDue(ctx, tx, s.today(ctx).String())
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := reminders.Cancel(ctx, tx, ExpiryReminderKey(id)); err != nil {
				return err
			}
			if err := reminders.Cancel(ctx, tx, FilingReminderKey(id)); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Event{Action: "normdoc.document.expire", ObjectType: "normdoc", ObjectID: strconv.FormatInt(id, 10),
				Summary: "有效期届满自动失效"}); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}
