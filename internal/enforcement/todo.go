package enforcement

import (
	"context"
	"fmt"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// certTodoDays: a certificate expiring within these days is a to-do item
// (the later of the two expiry reminders).
const certTodoDays = 30

// Todo lists, for the to-do centre, the reports waiting for the 司法局's
// confirmation (an actor holding enforcement.supervise, in its scope), and
// what the actor's own unit has to do: resubmit a returned report
// (enforcement.write in the unit): correct the cases an automatic rule
// flagged (the unit's open hits, through the (unit_id, status) index), and
// renew certificates expiring within 30 days or already lapsed (due on the
// expiry date).
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil {
		return out, nil
	}
	// The 司法局 reviewer: reports waiting for confirmation in scope.
	if a.Can(PermSupervise) {
		scope, args := auth.ScopeClause(a, PermSupervise, "r.unit_id")
		reps, err := db.All(ctx, s.db, func(sc db.Scanner) (*PenaltyReport, error) { return scanReport(sc) },
			"SELECT "+reportCols+" FROM "+reportFrom+" WHERE r.status = 'submitted' AND "+scope+" ORDER BY r.id LIMIT ?", append(args, todo.Cap)...)
		if err != nil {
			return nil, err
		}
		for _, r := range reps {
			out = append(out, todo.Item{Action: "确认涉企处罚报备", Title: r.CaseTitle + "（罚款 " + yuan(r.AmountFen) + " 元）", Number: r.CaseCode,
				UnitName: r.UnitName, Link: fmt.Sprintf("/enforcement/cases/%d", r.CaseID)})
		}
	}
	if a.UnitID <= 0 || !a.CanIn(PermWrite, a.UnitPath) {
		return out, nil
	}
	// The unit: reports the 司法局 returned.
	reps, err := db.All(ctx, s.db, func(sc db.Scanner) (*PenaltyReport, error) { return scanReport(sc) },
		"SELECT "+reportCols+" FROM "+reportFrom+" WHERE r.status = 'returned' AND r.unit_id = ? ORDER BY r.id LIMIT ?", a.UnitID, todo.Cap)
	if err != nil {
		return nil, err
	}
	for _, r := range reps {
		out = append(out, todo.Item{Action: "涉企处罚报备被退回，修改后重新报备", Title: r.CaseTitle, Number: r.CaseCode, UnitName: r.UnitName,
			Link: fmt.Sprintf("/enforcement/cases/%d", r.CaseID)})
	}
	today := calendar.Today(now)
	hits, err := db.All(ctx, s.db, scanHit, "SELECT "+hitCols+" FROM "+hitFrom+" WHERE h.unit_id = ? AND h.status = 'open' ORDER BY h.id LIMIT ?", a.UnitID, todo.Cap)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		out = append(out, todo.Item{Action: "纠正执法案件：" + ruleLabel(h.Rule), Title: h.CaseTitle, Number: h.CaseCode, UnitName: h.UnitName,
			Link: fmt.Sprintf("/enforcement/cases/%d", h.CaseID)})
	}
	officers, err := db.All(ctx, s.db, func(sc db.Scanner) (*Officer, error) { return scanOfficer(sc) },
		"SELECT "+officerCols(today.Year)+" FROM "+officerFrom+" WHERE o.unit_id = ? AND o.cert_status = 'valid' AND o.cert_expires_on <= ? ORDER BY o.cert_expires_on, o.id LIMIT ?",
		a.UnitID, today.AddDays(certTodoDays).String(), todo.Cap)
	if err != nil {
		return nil, err
	}
	for _, o := range officers {
		out = append(out, todo.Item{Action: "执法证换证", Title: o.Name + "（" + o.CertNo + "）", Number: o.CertNo, UnitName: o.UnitName,
			Due: o.CertExpiresOn, DueRule: "执法证有效期", Overdue: o.CertExpiresOn < today.String(), Link: fmt.Sprintf("/enforcement/officers/%d", o.ID)})
	}
	if len(out) > todo.Cap {
		out = out[:todo.Cap]
	}
	return out, nil
}
