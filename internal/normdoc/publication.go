package normdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// DateInput carries a date and the version.
type DateInput struct {
	Date    string `json:"date"`
	Version int64  `json:"version"`
}

// DocNo formats a unified number: 清河府规〔2026〕3号.
func DocNo(prefix string, year, seq int) string {
	return fmt.Sprintf("%s〔%d〕%d号", prefix, year, seq)
}

// Register performs unified registration and numbering (统一登记、统一编号):
// the next number of the issuer's sequence for the registration year, with
// no gaps and no repeats.
func (s *Service) Register(ctx context.Context, id int64, in DateInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := calendar.CheckDate(&v, "date", "登记日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.register", func(tx *db.Tx, d *Document) (string, error) {
		if d.Status == StatusDrafting || d.Status == StatusReviewing {
			return "", apperr.New(apperr.Precondition, "未经集体审议的规范性文件，不得统一登记编号")
		}
		if err := requireStatus(d, StatusDeliberated, "文件已登记编号"); err != nil {
			return "", err
		}
		if dd, _ := calendar.ParseDate(d.DeliberationOn); date.Before(dd) {
			return "", apperr.Field("date", "登记日期不能早于集体审议日期 %s", d.DeliberationOn)
		}
		is, err := s.issuerGate(ctx, tx, d.IssuerID)
		if err != nil {
			return "", err
		}
		if err := s.store.LockIssuer(ctx, tx, is.ID); err != nil {
			return "", err
		}
		last, err := s.store.MaxSeq(ctx, tx, is.ID, date.Year)
		if err != nil {
			return "", err
		}
		d.NumberYear, d.NumberSeq = date.Year, last+1
		d.DocNo = DocNo(is.Prefix, d.NumberYear, d.NumberSeq)
		d.RegisteredOn, d.Status = date.String(), StatusRegistered
		return "统一登记编号 " + d.DocNo, nil
	})
}

// PublishInput records 统一发布.
type PublishInput struct {
	PublishedOn  string `json:"published_on"`
	EffectiveOn  string `json:"effective_on" doc:"施行日期；不填为公布之日起30日后"`
	Urgent       bool   `json:"urgent" doc:"因紧急情况需提前施行"`
	UrgentReason string `json:"urgent_reason"`
	ValidYears   int    `json:"valid_years" doc:"有效期（年）；不填按默认（5年，暂行/试行2年）"`
	Version      int64  `json:"version"`
}

// Publish publishes a registered document: effective date (30 days after
// publication unless urgent with a reason), validity period, and the filing
// clock (rule normdoc.filing) with its reminders.
func (s *Service) Publish(ctx context.Context, id int64, in PublishInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	pub := calendar.CheckDate(&v, "published_on", "公布日期", in.PublishedOn, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
	eff := calendar.CheckDate(&v, "effective_on", "施行日期", in.EffectiveOn, false, calendar.Span{})
	if in.Urgent && strings.TrimSpace(in.UrgentReason) == "" {
		v.Add("urgent_reason", "因紧急情况提前施行的，请说明理由")
	}
	if in.ValidYears < 0 {
		v.Add("valid_years", "有效期不能为负数")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rule, err := s.rules.Get(FilingRule)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.publish", func(tx *db.Tx, d *Document) (string, error) {
		if d.Status == StatusDrafting || d.Status == StatusReviewing || d.Status == StatusDeliberated {
			return "", apperr.New(apperr.Precondition, "未经统一登记编号的规范性文件，不得公布")
		}
		if err := requireStatus(d, StatusRegistered, "文件已公布"); err != nil {
			return "", err
		}
		if rd, _ := calendar.ParseDate(d.RegisteredOn); pub.Before(rd) {
			return "", apperr.Field("published_on", "公布日期不能早于登记编号日期 %s", d.RegisteredOn)
		}
		earliest := pub.AddDays(s.opt.EffectiveDelayDays)
		if eff.IsZero() {
			eff = earliest
		}
		var fv apperr.Fields
		if eff.Before(pub) {
			fv.Add("effective_on", "施行日期不能早于公布日期")
		} else if eff.Before(earliest) && !in.Urgent {
			fv.Add("effective_on", "施行日期应当不早于公布之日起%d日（%s）；因紧急情况需提前施行的，请勾选“紧急”并说明理由", s.opt.EffectiveDelayDays, earliest)
		}
		maxYears := s.validYears(d.Title)
		years := in.ValidYears
		if years == 0 {
			years = maxYears
		} else if years > maxYears {
			fv.Add("valid_years", "有效期不得超过%d年", maxYears)
		}
		if err := fv.Err(); err != nil {
			return "", err
		}
		var clock calendar.Clock
		if err := clock.Start(rule, pub); err != nil {
			return "", err
		}
		due, err := clock.Due(s.cal)
		if err != nil {
			return "", err
		}
		cj, err := json.Marshal(clock)
		if err != nil {
			return "", err
		}
		d.PublishedOn, d.EffectiveOn, d.ValidYears = pub.String(), eff.String(), years
		d.ExpiresOn = expiry(eff, years).String()
		d.Urgent, d.UrgentReason = in.Urgent && eff.Before(earliest), strings.TrimSpace(in.UrgentReason)
		if !d.Urgent {
			d.UrgentReason = ""
		}
		d.filingClock, d.FilingDue = string(cj), due.String()
		d.Status = StatusPublished
		if err := s.scheduleReminders(ctx, tx, d); err != nil {
			return "", err
		}
		return "统一发布（施行日期 " + d.EffectiveOn + "，有效期至 " + d.ExpiresOn + "，备案期限 " + d.FilingDue + "）", nil
	})
}

// remindAt is 09:00 Beijing time on date d.
func remindAt(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, calendar.Shanghai)
}

func days(ds []int) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, n := range ds {
		out[i] = time.Duration(n) * 24 * time.Hour
	}
	return out
}

// ExpiryReminderKey and FilingReminderKey name a document's reminders.
func ExpiryReminderKey(id int64) string { return fmt.Sprintf("normdoc:%d:expiry", id) }
func FilingReminderKey(id int64) string { return fmt.Sprintf("normdoc:%d:filing", id) }

// scheduleReminders (re)schedules the expiry reminders and, while the
// document is not filed, the filing reminders.
func (s *Service) scheduleReminders(ctx context.Context, q db.Querier, d *Document) error {
	link := fmt.Sprintf("/normdocs/%d", d.ID)
	if d.Status == StatusPublished && d.ExpiresOn != "" {
		exp := calendar.MustDate(d.ExpiresOn)
		if _, err := reminders.Schedule(ctx, q, reminders.Reminder{Key: ExpiryReminderKey(d.ID), UnitID: d.UnitID,
			Title: fmt.Sprintf("规范性文件《%s》将于 %s 有效期届满", d.Title, d.ExpiresOn),
			Body:  "请及时评估，需要继续施行的，应当在有效期届满前按程序修订或重新公布。", Link: link,
			Due: remindAt(exp), Offsets: days(s.opt.ExpiryReminderDays)}); err != nil {
			return err
		}
	} else if err := reminders.Cancel(ctx, q, ExpiryReminderKey(d.ID)); err != nil {
		return err
	}
	if d.Status == StatusPublished && d.FiledOn == "" && d.FilingDue != "" {
		due := calendar.MustDate(d.FilingDue)
		_, err := reminders.Schedule(ctx, q, reminders.Reminder{Key: FilingReminderKey(d.ID), UnitID: d.UnitID,
			Title:        fmt.Sprintf("规范性文件《%s》应于 %s 前报送备案", d.Title, d.FilingDue),
			OverdueTitle: fmt.Sprintf("规范性文件《%s》已超过备案期限（%s）未报送备案", d.Title, d.FilingDue),
			Link:         link, Due: remindAt(due), Offsets: days(s.opt.FilingReminderDays)})
		return err
	}
	return reminders.Cancel(ctx, q, FilingReminderKey(d.ID))
}
