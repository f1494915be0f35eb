package normdoc

import (
	"context"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// filedDoc publishes a document on 2026-09-01 and files it on 2026-09-10.
func (f *fixture) filedDoc(title string) *Document {
	f.t.Helper()
	d := f.publishDoc(f.civil, title, "", "2026-09-01")
	return must[*Document](f.t)(f.s.File(f.admin, d.ID, FilingInput{FiledOn: "2026-09-10", FilingTo: "清河市人民政府", Version: d.Version}))
}

// snapshot is what a refused call must leave untouched: the document row's
// version and result, the history, and the audit log.
type snapshot struct {
	version       int64
	result, on    string
	events, audit int
}

func (f *fixture) snap(id int64) snapshot {
	f.t.Helper()
	ctx := context.Background()
	var s snapshot
	if err := f.d.QueryRow(ctx, "SELECT version, filing_result, filing_result_on FROM normdoc_documents WHERE id = ?", id).Scan(&s.version, &s.result, &s.on); err != nil {
		f.t.Fatal(err)
	}
	if err := f.d.QueryRow(ctx, "SELECT COUNT(*) FROM normdoc_filing_events WHERE document_id = ?", id).Scan(&s.events); err != nil {
		f.t.Fatal(err)
	}
	if err := f.d.QueryRow(ctx, "SELECT COUNT(*) FROM audit_events").Scan(&s.audit); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// refused checks that err has code and message, and that nothing was written.
func (f *fixture) refused(err error, code apperr.Code, msg string, id int64, before snapshot) {
	f.t.Helper()
	wantCode(f.t, err, code, msg)
	if after := f.snap(id); after != before {
		f.t.Fatalf("refused call wrote something: before %+v after %+v", before, after)
	}
}

func history(d *Document) string {
	var parts []string
	for _, e := range d.FilingHistory {
		parts = append(parts, e.Kind+":"+e.Label+"@"+e.Date)
	}
	return strings.Join(parts, " ")
}

func TestFilingResultPassedIsFinal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		doc := f.filedDoc("清河区社区养老服务驿站管理办法")
		if doc.FilingNext != NextResult || len(doc.FilingHistory) != 0 {
			t.Fatalf("filed: next %q history %v", doc.FilingNext, doc.FilingHistory)
		}
		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-10-09", Note: "未发现问题", Version: doc.Version}))
		if doc.FilingResult != FilingPassed || doc.FilingNext != "" || history(doc) != "result:审查通过@2026-10-09" || doc.FilingHistory[0].RecordedBy != "sifaju" {
			t.Fatalf("passed: next %q history %s %+v", doc.FilingNext, history(doc), doc.FilingHistory)
		}
		// A second result, of any kind, is refused; so is a correction.
		before := f.snap(doc.ID)
		for _, r := range []FilingResult{FilingPassed, FilingCorrection, FilingRevoked} {
			_, err := f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: r, Date: "2026-10-20", Note: "再次审查", Version: doc.Version})
			f.refused(err, apperr.Conflict, "备案审查结果“审查通过”已于 2026-10-09 登记，是最终结论，不能更改或再次登记", doc.ID, before)
		}
		_, err := f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-10-20", CorrectedVersion: "修订稿", Note: "已修改", Version: doc.Version})
		f.refused(err, apperr.Precondition, "只有备案审查结果为“责令纠正”的文件才需要登记纠正情况", doc.ID, before)
	})
}

func TestFilingResultRevokedIsFinal(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		doc := f.filedDoc("清河区殡葬服务收费管理办法")
		doc = must[*Document](t)(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingRevoked, Date: "2026-10-09", Note: "第五条增设收费项目", Version: doc.Version}))
		if doc.Status != StatusRevoked || doc.FilingNext != "" {
			t.Fatalf("revoked: %s next %q", doc.Status, doc.FilingNext)
		}
		before := f.snap(doc.ID)
		_, err := f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-10-20", Version: doc.Version})
		f.refused(err, apperr.Conflict, "文件已于 2026-10-09 经备案审查予以撤销，是最终结论", doc.ID, before)
		_, err = f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-10-20", CorrectedVersion: "修订稿", Note: "已删除第五条", Version: doc.Version})
		f.refused(err, apperr.Precondition, "只有备案审查结果为“责令纠正”的文件才需要登记纠正情况", doc.ID, before)
	})
}

// 责令纠正 → (refused: a new result before the correction) → correction by
// the issuing body → new result; every entry kept in order.
func TestFilingCorrectionThenNewResult(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		doc := f.filedDoc("清河区最低生活保障审核确认办法")
		// A correction before any result is refused.
		before := f.snap(doc.ID)
		_, err := f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-10-20", CorrectedVersion: "修订稿", Note: "已修改", Version: doc.Version})
		f.refused(err, apperr.Precondition, "只有备案审查结果为“责令纠正”", doc.ID, before)

		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingCorrection, Date: "2026-10-09", Note: "第八条增设申请条件，责令30日内纠正", Version: doc.Version}))
		if doc.FilingNext != NextCorrection || doc.Status != StatusPublished {
			t.Fatalf("correction ordered: next %q status %s", doc.FilingNext, doc.Status)
		}

		// No new result until the correction is recorded, whatever the result.
		before = f.snap(doc.ID)
		for _, r := range []FilingResult{FilingPassed, FilingCorrection, FilingRevoked} {
			_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: r, Date: "2026-10-20", Note: "复审", Version: doc.Version})
			f.refused(err, apperr.Precondition, "须先由制定机关登记纠正情况，才能登记新的备案审查结果", doc.ID, before)
		}
		// The correction: fields named, dates checked, another unit refused.
		_, err = f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{Version: doc.Version})
		if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || len(e.Fields) != 3 {
			t.Fatalf("empty correction: %v", err)
		}
		f.refused(err, apperr.Invalid, "", doc.ID, before)
		_, err = f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-10-08", CorrectedVersion: "修订稿", Note: "已修改", Version: doc.Version})
		f.refused(err, apperr.Invalid, "纠正完成日期不能早于责令纠正日期 2026-10-09", doc.ID, before)
		_, err = f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-11-21", CorrectedVersion: "修订稿", Note: "已修改", Version: doc.Version})
		f.refused(err, apperr.Invalid, "不能晚于今天", doc.ID, before)
		_, err = f.s.RecordCorrection(f.outsider, doc.ID, CorrectionInput{CorrectedOn: "2026-10-30", CorrectedVersion: "修订稿", Note: "已修改", Version: doc.Version})
		if err == nil {
			t.Fatal("another unit recorded the correction")
		}
		f.refused(err, apperr.Code(apperr.As(err).Code), "", doc.ID, before)

		doc = m(f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-10-30", CorrectedVersion: "清河民规〔2026〕1号（2026年10月修正本）",
			Note: "已删除第八条新增的申请条件，修正本于2026-10-30重新公布", Version: doc.Version}))
		if doc.FilingNext != NextResult || doc.FilingResult != FilingCorrection {
			t.Fatalf("after correction: next %q result %s", doc.FilingNext, doc.FilingResult)
		}
		c := doc.FilingHistory[1]
		if c.Kind != EventCorrection || c.CorrectedVersion != "清河民规〔2026〕1号（2026年10月修正本）" || c.RecordedBy != "clerk_mz" || c.Label != "纠正情况" {
			t.Fatalf("correction entry %+v", c)
		}
		// A second correction waits for the review.
		before = f.snap(doc.ID)
		_, err = f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-11-02", CorrectedVersion: "再修订稿", Note: "再次修改", Version: doc.Version})
		f.refused(err, apperr.Conflict, "已于 2026-10-30 登记纠正情况，请等待备案审查机关重新审查", doc.ID, before)
		// The new result may not predate the correction.
		_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-10-29", Version: doc.Version})
		f.refused(err, apperr.Invalid, "审查结论日期不能早于纠正完成日期 2026-10-30", doc.ID, before)

		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-11-10", Note: "纠正后符合规定", Version: doc.Version}))
		want := "result:责令纠正@2026-10-09 correction:纠正情况@2026-10-30 result:审查通过@2026-11-10"
		if history(doc) != want || doc.FilingResult != FilingPassed || doc.FilingResultOn != "2026-11-10" || doc.FilingNext != "" {
			t.Fatalf("history\n got %s\nwant %s (result %s on %s, next %q)", history(doc), want, doc.FilingResult, doc.FilingResultOn, doc.FilingNext)
		}
		// The timeline lists all three, in order, and nothing pending.
		var tl []string
		for _, st := range doc.Timeline {
			if strings.HasPrefix(st.Key, "filing_result") || strings.HasPrefix(st.Key, "correction") {
				tl = append(tl, st.Key+"="+st.Date)
			}
		}
		if got := strings.Join(tl, " "); got != "filing_result=2026-10-09 correction_2=2026-10-30 filing_result_3=2026-11-10" {
			t.Fatalf("timeline %s", got)
		}
		// Final now.
		before = f.snap(doc.ID)
		_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingRevoked, Date: "2026-11-12", Note: "x", Version: doc.Version})
		f.refused(err, apperr.Conflict, "审查通过", doc.ID, before)
	})
}

// A second 责令纠正 after a correction starts the loop again, and 予以撤销
// may follow a correction that did not satisfy the review.
func TestFilingCorrectionLoopEndsInRevocation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		doc := f.filedDoc("清河区临时救助实施细则")
		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingCorrection, Date: "2026-09-20", Note: "第三条表述不规范", Version: doc.Version}))
		doc = m(f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-09-28", CorrectedVersion: "修正稿一", Note: "修改第三条", Version: doc.Version}))
		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingCorrection, Date: "2026-10-12", Note: "第三条仍不规范", Version: doc.Version}))
		if doc.FilingNext != NextCorrection {
			t.Fatalf("second correction order: next %q", doc.FilingNext)
		}
		before := f.snap(doc.ID)
		_, err := f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingRevoked, Date: "2026-10-20", Note: "逾期未纠正", Version: doc.Version})
		f.refused(err, apperr.Precondition, "须先由制定机关登记纠正情况", doc.ID, before)
		doc = m(f.s.RecordCorrection(f.clerk, doc.ID, CorrectionInput{CorrectedOn: "2026-10-25", CorrectedVersion: "修正稿二", Note: "再次修改第三条", Version: doc.Version}))
		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingRevoked, Date: "2026-11-05", Note: "纠正后仍违反上位法", Version: doc.Version}))
		want := "result:责令纠正@2026-09-20 correction:纠正情况@2026-09-28 result:责令纠正@2026-10-12 correction:纠正情况@2026-10-25 result:予以撤销@2026-11-05"
		if history(doc) != want || doc.Status != StatusRevoked || doc.EndedOn != "2026-11-05" {
			t.Fatalf("history %s status %s ended %s", history(doc), doc.Status, doc.EndedOn)
		}
		// The clerk lacks normdoc.approve for results.
		_, err = f.s.RecordFilingResult(f.clerk, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-11-10", Version: doc.Version})
		wantCode(t, err, apperr.Forbidden, "")
	})
}

// A result written before the history table existed (no history row)
// counts as the history's first entry, so it is just as final.
func TestFilingResultWithoutHistoryRow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		doc := f.filedDoc("清河区慈善超市管理办法")
		doc = must[*Document](t)(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-10-09", Version: doc.Version}))
		if _, err := d.Exec(context.Background(), "DELETE FROM normdoc_filing_events WHERE document_id = ?", doc.ID); err != nil {
			t.Fatal(err)
		}
		got, err := f.s.Get(f.admin, doc.ID)
		if err != nil || history(got) != "result:审查通过@2026-10-09" || got.FilingNext != "" {
			t.Fatalf("legacy history %s next %q %v", history(got), got.FilingNext, err)
		}
		before := f.snap(doc.ID)
		_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingRevoked, Date: "2026-10-20", Note: "x", Version: got.Version})
		f.refused(err, apperr.Conflict, "最终结论", doc.ID, before)
	})
}
