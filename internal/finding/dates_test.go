package finding

import (
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
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
