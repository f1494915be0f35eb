package reconsideration

import (
	"context"
	"errors"
	"fmt"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// deem records the deemed acceptance of a case whose acceptance review
// passed without a decision (《行政复议法》第三十条: 审查期限届满未作出不予受理
// 决定的，审查期限届满之日起视为受理). The case is accepted on the day after
// the last day of the review, and the decision clock (art. 62, 自受理之日起)
// starts from that day.
func (s *Service) deem(c *Case) (string, error) {
	due, err := calendar.ParseDate(c.AcceptDue)
	if err != nil {
		return "", err
	}
	day := due.AddDays(1)
	note, err := s.accepted(c, day, "deemed")
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("受理审查期限 %s 届满未作出决定，依法自 %s 视为受理（《行政复议法》第三十条）；%s", due, day, note), nil
}

// DeemOverdue is the background run (nightly, and at start-up) that
// records the deemed acceptance of every case still under acceptance
// review after its review period has passed. It reads the open cases
// through the (status, due_on) index, takes each through the same gate and
// change as the ActDeem step in a transaction of its own (timeline, audit,
// counters), and is idempotent: a case already accepted, refused or sent
// for correction is not touched, and a case changed meanwhile by someone
// else is left for the next run. It returns how many cases it deemed
// accepted.
func (s *Service) DeemOverdue(ctx context.Context) (int, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return 0, err
	}
	today := s.today(ctx)
	n := 0
	var after int64
	for {
		type pending struct{ id, version int64 }
		batch, err := db.All(ctx, s.db, func(sc db.Scanner) (pending, error) {
			var p pending
			return p, sc.Scan(&p.id, &p.version)
		}, `SELECT id, version FROM reconsideration_cases WHERE status = 'received' AND due_on < ? AND accept_due < ? AND id > ?
ORDER BY id LIMIT 200`, today.String(), today.String(), after)
		if err != nil || len(batch) == 0 {
			return n, err
		}
		for _, p := range batch {
			after = p.id
			_, err := s.mutate(ctx, p.id, p.version, func(tx *db.Tx, a *auth.Actor, c *Case) (string, string, error) {
				if err := s.gate(c, ActDeem, today); err != nil {
					return "", "", err
				}
				note, err := s.deem(c)
				return ActDeem, note, err
			})
			switch e := apperr.As(err); {
			case err == nil:
				n++
			case e != nil && (e.Code == apperr.Conflict || e.Code == apperr.Precondition || e.Code == apperr.NotFound):
				// Changed since it was listed: the next run sees it as it is.
			default:
				return n, errors.Join(fmt.Errorf("reconsideration: deemed acceptance of case %d", p.id), err)
			}
		}
	}
}

// toNormal switches a simple-procedure case to the normal procedure
// (《行政复议法》第五十五条, approved by the head of the reconsideration
// body): the decision clock becomes the normal one — 60 days from the
// acceptance, keeping the suspensions already recorded, and extendable
// once from now on — and a reply still awaited gets the normal ten working
// days from the copy; a copy not yet sent is due in the normal seven
// working days from the acceptance.
func (s *Service) toNormal(c *Case, approver, reason string) (string, error) {
	acc, err := calendar.ParseDate(c.AcceptedOn)
	if err != nil {
		return "", err
	}
	old, err := decodeClock(c.decideClock)
	if err != nil {
		return "", err
	}
	r, err := s.rules.Get(RuleDecide)
	if err != nil {
		return "", err
	}
	var cl calendar.Clock
	if err := cl.Start(r, acc); err != nil {
		return "", err
	}
	if len(old.Events) > 1 {
		cl.Events = append(cl.Events, old.Events[1:]...) // suspensions and resumptions
	}
	js, due, err := s.encode(&cl)
	if err != nil {
		return "", err
	}
	c.Simple, c.decideClock, c.DecideDue = false, js, due.String()
	note := fmt.Sprintf("经%s批准转为普通程序（%s）；决定期限 %s", approver, reason, c.DecideDue)
	if c.Status == StatusReplying {
		sent, err := calendar.ParseDate(c.CopySentOn)
		if err != nil {
			return "", err
		}
		if c.replyClock, due, err = s.startClock(RuleReply, sent); err != nil {
			return "", err
		}
		c.ReplyDue = due.String()
		note += "；答复期限 " + c.ReplyDue
	}
	return note, s.waitOn(c)
}
