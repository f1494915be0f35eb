package finding

import (
	"context"
	"strings"
	"unicode/utf8"

	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// 回头看: the re-check of a closed finding, which may register its
// recurrence.

// RecheckInput records the re-check (回头看).
type RecheckInput struct {
	Version     int    `json:"version"`
	Result      string `json:"result" enum:"ok,recurred" doc:"ok 整改成效巩固；recurred 问题反弹"`
	Note        string `json:"note"`
	RecheckedOn string `json:"rechecked_on" doc:"回头看日期"`
}

// Recheck records the 回头看 of a closed finding. When the problem recurred
// a new finding is registered, linked to this one, and its id returned.
func (s *Service) Recheck(ctx context.Context, id int64, in RecheckInput) (*Detail, error) {
	err := s.update(ctx, id, in.Version, PermWrite, func(tx *db.Tx, actor *auth.Actor, f *Finding) (*edit, error) {
		if f.Status != string(StatusClosed) {
			return nil, apperr.New(apperr.Precondition, "只有已销号的问题才能开展回头看")
		}
		if f.RecheckedOn != "" {
			return nil, apperr.New(apperr.Conflict, "该问题已于 %s 完成回头看", f.RecheckedOn)
		}
		var v apperr.Fields
		if in.Result != RecheckOK && in.Result != RecheckRecurred {
			v.Add("result", "请选择回头看结论（整改成效巩固或问题反弹）")
		}
		note := strings.TrimSpace(in.Note)
		if note == "" {
			v.Add("note", "请填写回头看情况")
		} else if utf8.RuneCountInString(note) > maxText {
			v.Add("note", "回头看情况不能超过 %d 个字", maxText)
		}
		// Required, as the rectification date.
		day := calendar.CheckDate(&v, "rechecked_on", "回头看日期", strings.TrimSpace(in.RecheckedOn), true, calendar.Happened(calendar.MustDate(f.ClosedOn), s.today(ctx)))
		if err := v.Err(); err != nil {
			return nil, err
		}
		result := "整改成效巩固"
		if in.Result == RecheckRecurred {
			result = "问题反弹"
		}
		return &edit{action: "recheck", note: result + "：" + note,
			sets: []string{"rechecked_on = ?", "recheck_result = ?", "recheck_note = ?"}, args: []any{day.String(), in.Result, note},
			then: func(tx *db.Tx, after *Finding) error {
				if err := reminders.Cancel(ctx, tx, recheckKey(id)); err != nil {
					return err
				}
				if in.Result != RecheckRecurred {
					return nil
				}
				c, bad, err := s.check(ctx, tx, actor, CreateInput{
					Title: f.Title, Description: "回头看发现问题反弹：" + note + "\n\n原问题描述：" + f.Description,
					Source: f.Source, SourceRef: f.SourceRef, UnitID: f.UnitID, Severity: f.Severity, FoundOn: day.String(), PreviousID: f.ID,
				})
				if err != nil {
					return err
				}
				if err := bad.Err(); err != nil {
					return err
				}
				newID, err := s.insert(ctx, tx, actor, c, "create")
				if err != nil {
					return err
				}
				created, err := s.load(ctx, tx, newID)
				if err != nil {
					return err
				}
				return s.record(ctx, tx, after, "recurred", "新问题 "+created.Code, nil, nil)
			}}, nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}
