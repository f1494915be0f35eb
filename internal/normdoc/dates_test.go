package normdoc

import (
	"fmt"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Issue 9 / issue 10 item 6: every date a person enters in normdoc goes
// through calendar.CheckDate. A year outside 1949–2100, a NUL byte or a day
// that does not exist is refused naming the field (and its Chinese label),
// and nothing is written.
func TestEnteredDatesRefusedNamingTheField(t *testing.T) {
	bad := []string{"0000-01-01", "1900-01-01", "2200-01-01", "2026-01-01\x00", "2026-02-30"}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		doc := must[*Document](t)(f.s.CreateDraft(f.admin, DraftInput{IssuerID: f.civil.ID, Title: "清河区日期校验办法", DraftedOn: "2026-11-02"}))
		c := must[*Cleanup](t)(f.s.CreateCleanup(f.admin, CleanupInput{UnitID: f.mzj, Title: "日期校验清理", StartedOn: "2026-10-01"}))
		ver := doc.Version
		cases := []struct {
			field, label string
			call         func(day string) error
		}{
			{"listed_on", "列入清单日期", func(day string) error {
				_, err := f.s.CreateIssuer(f.admin, IssuerInput{UnitID: f.jyj, Name: "清河区教育局", Prefix: "清河教规", ListedOn: day})
				return err
			}},
			{"drafted_on", "起草日期", func(day string) error {
				_, err := f.s.CreateDraft(f.admin, DraftInput{IssuerID: f.civil.ID, Title: "另一件草案", DraftedOn: day})
				return err
			}},
			{"drafted_on", "起草日期", func(day string) error {
				_, err := f.s.UpdateDraft(f.admin, doc.ID, DraftInput{IssuerID: f.civil.ID, Title: "清河区日期校验办法", DraftedOn: day, Version: ver})
				return err
			}},
			{"date", "评估论证日期", func(day string) error {
				_, err := f.s.RecordEvaluation(f.admin, doc.ID, EvaluationInput{Date: day, Note: "可行", Version: ver})
				return err
			}},
			{"from", "征求意见开始日期", func(day string) error {
				_, err := f.s.RecordComment(f.admin, doc.ID, CommentInput{From: day, To: "2026-11-10", Summary: "无", Version: ver})
				return err
			}},
			{"to", "征求意见截止日期", func(day string) error {
				_, err := f.s.RecordComment(f.admin, doc.ID, CommentInput{From: "2026-10-10", To: day, Summary: "无", Version: ver})
				return err
			}},
			{"date", "审议日期", func(day string) error {
				_, err := f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "局务会议", Date: day, Version: ver})
				return err
			}},
			{"date", "登记日期", func(day string) error {
				_, err := f.s.Register(f.admin, doc.ID, DateInput{Date: day, Version: ver})
				return err
			}},
			{"published_on", "公布日期", func(day string) error {
				_, err := f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: day, Version: ver})
				return err
			}},
			{"effective_on", "施行日期", func(day string) error {
				_, err := f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-11-20", EffectiveOn: day, Version: ver})
				return err
			}},
			{"filed_on", "报送备案日期", func(day string) error {
				_, err := f.s.File(f.admin, doc.ID, FilingInput{FiledOn: day, FilingTo: "清河市人民政府", Version: ver})
				return err
			}},
			{"date", "审查结论日期", func(day string) error {
				_, err := f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: day, Version: ver})
				return err
			}},
			{"corrected_on", "纠正完成日期", func(day string) error {
				_, err := f.s.RecordCorrection(f.admin, doc.ID, CorrectionInput{CorrectedOn: day, CorrectedVersion: "修订稿", Note: "已纠正", Version: ver})
				return err
			}},
			{"started_on", "开始日期", func(day string) error {
				_, err := f.s.CreateCleanup(f.admin, CleanupInput{UnitID: f.mzj, Title: "另一次清理", StartedOn: day})
				return err
			}},
			{"date", "决定日期", func(day string) error {
				_, err := f.s.DecideItem(f.admin, c.ID, 1, DecisionInput{Outcome: OutcomeKeep, Reason: "继续有效", Date: day})
				return err
			}},
			{"date", "完成日期", func(day string) error {
				_, err := f.s.FinishCleanup(f.admin, c.ID, DateInput{Date: day, Version: c.Version})
				return err
			}},
			{"date", "公布日期", func(day string) error {
				_, err := f.s.PublishCleanup(f.admin, c.ID, DateInput{Date: day, Version: c.Version})
				return err
			}},
			// Filters and periods are read the same way (nothing to write).
			{"filed_from", "报送备案起始日期", func(day string) error {
				_, err := f.s.List(f.admin, ListInput{FiledFrom: day})
				return err
			}},
			{"filing_due_to", "应报备期间截止日期", func(day string) error {
				_, err := f.s.List(f.admin, ListInput{FilingDueTo: day})
				return err
			}},
			{"from", "期间起始日期", func(day string) error {
				_, err := f.s.Figures(f.admin, metric.Query{From: day})
				return err
			}},
		}
		before := normdocState(t, d)
		for _, cs := range cases {
			for _, day := range bad {
				err := cs.call(day)
				e := apperr.As(err)
				if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != cs.field ||
					!strings.Contains(e.Fields[0].Message, cs.label) {
					t.Errorf("%s %q: want one refusal on %s naming %s, got %v", cs.field, day, cs.field, cs.label, err)
				}
			}
		}
		if after := normdocState(t, d); after != before {
			t.Fatalf("refused dates wrote something: before %s, after %s", before, after)
		}
	})
}

// normdocState sums up what a refused call must leave untouched.
func normdocState(t *testing.T, d *db.DB) string {
	t.Helper()
	var docs, versions, issuers, cleanups, items, events int64
	for _, q := range []struct {
		sql string
		n   *int64
	}{
		{"SELECT COUNT(*) FROM normdoc_documents", &docs},
		{"SELECT COALESCE(SUM(version), 0) FROM normdoc_documents", &versions},
		{"SELECT COUNT(*) FROM normdoc_issuers", &issuers},
		{"SELECT COALESCE(SUM(version), 0) FROM normdoc_cleanups", &cleanups},
		{"SELECT COUNT(*) FROM normdoc_cleanup_items WHERE decided_on <> ''", &items},
		{"SELECT COUNT(*) FROM audit_events", &events},
	} {
		if err := d.QueryRow(t.Context(), q.sql).Scan(q.n); err != nil {
			t.Fatal(err)
		}
	}
	return fmt.Sprintf("docs=%d versions=%d issuers=%d cleanups=%d decided=%d audit=%d", docs, versions, issuers, cleanups, items, events)
}
