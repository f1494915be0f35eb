package finding

import (
	"fmt"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files"
)

// Issue 10 item 6: a found date in year 0, before 2000 or after today is
// refused naming found_on, and so is a missing one (it used to become
// today, and a deadline was computed from it); nothing is written.
func TestFoundOnRange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		today := calendar.Today(time.Now())
		in := CreateInput{Title: "执法记录仪未按规定使用", Source: "inspection", UnitID: 3, Severity: "general"}
		for _, c := range []struct{ found, words string }{
			{"", "请填写发现日期"},
			{"0000-01-01", "发现日期不能早于 2000-01-01"},
			{"1999-12-31", "发现日期不能早于 2000-01-01"},
			{"9999-12-31", "发现日期不能晚于今天"},
			{today.AddDays(1).String(), "发现日期不能晚于今天"},
			{"2026/03/15", "发现日期格式应为 YYYY-MM-DD"},
		} {
			in.FoundOn = c.found
			_, err := f.s.Create(as(clerk), in)
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "found_on" {
				t.Fatalf("found_on %q: want one refusal on found_on, got %v", c.found, err)
			}
			wantCode(t, err, apperr.Invalid, c.words)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM findings"); n != 0 {
			t.Fatalf("refused findings were written: %d", n)
		}
		in.FoundOn = "2000-01-01"
		a, err := f.s.Create(as(clerk), in)
		if err != nil || a.FoundOn != "2000-01-01" {
			t.Fatalf("the earliest found date: %+v %v", a, err)
		}
		// The rectification date lies between the found date and today.
		_, err = f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已整改", RectifiedOn: "0000-01-01"})
		wantCode(t, err, apperr.Invalid, "整改完成日期不能早于 2000-01-01")
	})
}

// Issue 10 item 6: the rectification date and the re-check date are
// required. Omitted, the call is refused naming the field, and nothing is
// written (they used to become today silently; the web form now prefills
// today for the user to see).
func TestRectifiedOnRequired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		a := f.withEvidence(t)
		before := f.state(t)
		_, err := f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已逐件补公示"})
		f.refusedUnwritten(t, "rectified_on", "请填写整改完成日期", err, before)
	})
}

func TestRecheckedOnRequired(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		a := f.withEvidence(t)
		a, err := f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已逐件补公示", RectifiedOn: a.FoundOn})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = f.s.Act(as(head), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		if a, err = f.s.Act(as(supervisor), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "整改到位"}); err != nil || a.Status != "closed" {
			t.Fatalf("close-out: %v", err)
		}
		before := f.state(t)
		_, err = f.s.Recheck(as(supervisor), a.ID, RecheckInput{Version: a.Version, Result: RecheckRecurred, Note: "抽查仍有未公示"})
		f.refusedUnwritten(t, "rechecked_on", "请填写回头看日期", err, before)
	})
}

// withEvidence registers a finding found today with one piece of evidence.
func (f *fx) withEvidence(t *testing.T) *Detail {
	t.Helper()
	a, err := f.s.Create(as(clerk), CreateInput{Title: "执法公示信息更新不及时", Source: "inspection", UnitID: 3, Severity: "general", FoundOn: calendar.Today(time.Now()).String()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: OwnerType, OwnerID: a.ID, Name: "公示截图.pdf"}, pdf()); err != nil {
		t.Fatal(err)
	}
	return a
}

// state sums up what a refused call must leave untouched.
func (f *fx) state(t *testing.T) string {
	t.Helper()
	return fmt.Sprintf("findings=%d versions=%d audit=%d", f.count(t, "SELECT COUNT(*) FROM findings"),
		f.count(t, "SELECT COALESCE(SUM(version), 0) FROM findings"), f.count(t, "SELECT COUNT(*) FROM audit_events"))
}

func (f *fx) refusedUnwritten(t *testing.T, field, words string, err error, before string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != field || e.Fields[0].Message != words {
		t.Errorf("without %s: want one refusal %q on %s, got %v", field, words, field, err)
	}
	if after := f.state(t); after != before {
		t.Errorf("refused without %s, yet written: before %s, after %s", field, before, after)
	}
}
