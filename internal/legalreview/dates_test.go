package legalreview

import (
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Issue 9 / issue 10 item 6: every date entered in legalreview (the
// requested completion date, the ledger's filters, the figures' and
// statistics' period) goes through calendar.CheckDate: a year outside
// 1949–2100, a NUL byte or a day that does not exist is refused naming the
// field and its Chinese label, and no review is written.
func TestEnteredDatesRefusedNamingTheField(t *testing.T) {
	bad := []string{"0000-01-01", "1900-01-01", "2200-01-01", "2026-10-20\x00", "2026-02-30"}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		clerk := f.as(t, "clerk_zjj")
		boss := f.as(t, "sifaju")
		cases := []struct {
			field, label string
			call         func(day string) error
		}{
			{"requested_by", "要求完成日期", func(day string) error {
				_, err := f.svc.Open(clerk, OpenInput{Kind: "decision", Title: "关于日期校验的决定", UnitID: f.units["QH109000"], RequestedBy: day})
				return err
			}},
			{"from", "提交起始日期", func(day string) error {
				_, err := f.svc.List(boss, Filter{From: day}, db.ListReq{})
				return err
			}},
			{"finished_to", "办结截止日期", func(day string) error {
				_, err := f.svc.List(boss, Filter{FinishedTo: day}, db.ListReq{})
				return err
			}},
			{"accountable_from", "应办结期间起始日期", func(day string) error {
				_, err := f.svc.List(boss, Filter{AccountableFrom: day}, db.ListReq{})
				return err
			}},
			{"from", "期间起始日期", func(day string) error {
				_, err := f.svc.Figures(boss, metric.Query{From: day})
				return err
			}},
			{"to", "期间截止日期", func(day string) error {
				_, err := f.svc.Statistics(boss, metric.Query{To: day})
				return err
			}},
		}
		for _, c := range cases {
			for _, day := range bad {
				err := c.call(day)
				e := apperr.As(err)
				if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != c.field ||
					!strings.Contains(e.Fields[0].Message, c.label) {
					t.Errorf("%s %q: want one refusal on %s naming %s, got %v", c.field, day, c.field, c.label, err)
				}
			}
		}
		var n int
		if err := d.QueryRow(t.Context(), "SELECT COUNT(*) FROM legalreviews").Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused requests were written: %d %v", n, err)
		}
		// A sane requested date after the minimum period is still accepted.
		if _, err := f.svc.Open(clerk, OpenInput{Kind: "decision", Title: "关于日期校验的决定", UnitID: f.units["QH109000"], RequestedBy: "2026-10-30"}); err != nil {
			t.Fatalf("sane requested date refused: %v", err)
		}
	})
}
