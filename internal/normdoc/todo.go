package normdoc

import (
	"context"
	"slices"
	"strconv"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/todo"
)

// Todo lists, for the to-do centre, what the actor's own unit has to do
// about its normative documents:
//   - 报送备案: published documents not yet filed, due on the filing
//     deadline computed at publication by the calendar rule normdoc.filing
//     (for those who may record the filing, normdoc.approve in their unit);
//   - 登记纠正情况: documents the level above ordered corrected (责令纠正)
//     whose correction is not recorded yet (normdoc.write);
//   - 有效期届满前评估: documents in force whose validity ends within the
//     window the expiry reminders start at (normdoc.write), due on the
//     expiry date;
//   - 文件清理: the unit's open clean-up campaigns (normdoc.approve).
//
// The documents are read through the (unit_id, published_on) index: only
// the unit's published ones.
func (s *Service) Todo(ctx context.Context, now time.Time) ([]todo.Item, error) {
	a := auth.From(ctx)
	out := []todo.Item{}
	if a == nil || a.UnitID <= 0 {
		return out, nil
	}
	approve, write := a.CanIn(PermApprove, a.UnitPath), a.CanIn(PermWrite, a.UnitPath)
	if !approve && !write {
		return out, nil
	}
	today := calendar.Today(now)
	window := today.AddDays(slices.Max(s.opt.ExpiryReminderDays)).String()
	docs, err := db.All(ctx, s.db, scanDocument, "SELECT "+docListCols+docFrom+
		`WHERE d.unit_id = ? AND d.status = ? AND (d.filed_on = '' OR d.filing_result = ? OR (d.expires_on <> '' AND d.expires_on <= ?))
ORDER BY d.published_on, d.id LIMIT ?`, a.UnitID, string(StatusPublished), string(FilingCorrection), window, todo.Cap)
	if err != nil {
		return nil, err
	}
	for _, d := range docs {
		it := todo.Item{Title: d.Title, Number: d.DocNo, UnitName: d.UnitName, Link: "/normdocs/" + strconv.FormatInt(d.ID, 10)}
		if d.FiledOn == "" && approve {
			it.Action, it.Due, it.DueRule = "报送备案", d.FilingDue, "报送备案期限（公布之日起，按备案期限规则和工作日历计算）"
			out = append(out, it)
		}
		if d.FilingResult == FilingCorrection && write {
			hist, err := s.filingHistory(ctx, s.db, &d)
			if err != nil {
				return nil, err
			}
			if filingNext(&d, hist) == NextCorrection {
				it.Action, it.Due, it.DueRule = "备案审查责令纠正：登记纠正情况", "", ""
				out = append(out, it)
			}
		}
		if d.ExpiresOn != "" && d.ExpiresOn <= window && write {
			it.Action, it.Due, it.DueRule = "有效期届满前评估：继续施行的应修订或重新公布", d.ExpiresOn, "有效期届满日"
			out = append(out, it)
		}
	}
	if approve {
		cs, err := db.All(ctx, s.db, scanCleanup, "SELECT "+cleanupCols+" WHERE c.unit_id = ? AND c.status IN (?, ?) ORDER BY c.id",
			a.UnitID, string(CleanupOpen), string(CleanupFinished))
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			it := todo.Item{Title: c.Title, UnitName: c.UnitName, Link: "/normdocs/cleanups/" + strconv.FormatInt(c.ID, 10)}
			switch {
			case c.Status == CleanupFinished:
				it.Action = "文件清理：公布清理结果"
			case c.Decided < c.ItemCount:
				it.Action = "文件清理：尚有 " + strconv.Itoa(c.ItemCount-c.Decided) + " 件文件未作出清理结论"
			default:
				it.Action = "文件清理：完成清理"
			}
			out = append(out, it)
		}
	}
	return out[:min(len(out), todo.Cap)], nil
}
