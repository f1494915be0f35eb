package calendar

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
)

func TestParseDate(t *testing.T) {
	for _, ok := range []string{"2026-01-01", "2024-02-29", "2027-12-31"} {
		d, err := ParseDate(ok)
		if err != nil || d.String() != ok {
			t.Errorf("ParseDate(%q) = %v, %v", ok, d, err)
		}
	}
	for _, bad := range []string{"", "2026-1-1", "2026/01/01", "2025-02-29", "2026-13-01", "2026-01-32", "20260101", " 2026-01-01", "2026-01-01T00:00:00Z"} {
		if _, err := ParseDate(bad); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("ParseDate(%q): want invalid, got %v", bad, err)
		}
	}
}

func TestDateJSONAndArithmetic(t *testing.T) {
	type wrap struct {
		D Date `json:"d"`
	}
	b, err := json.Marshal(wrap{MustDate("2026-10-08")})
	if err != nil || string(b) != `{"d":"2026-10-08"}` {
		t.Fatalf("marshal: %s %v", b, err)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"d":"2025-02-08"}`), &w); err != nil || w.D != (Date{2025, time.February, 8}) {
		t.Fatalf("unmarshal: %+v %v", w, err)
	}
	if err := json.Unmarshal([]byte(`{"d":"2025-02-30"}`), &w); err == nil {
		t.Error("2025-02-30 accepted")
	}
	if err := json.Unmarshal([]byte(`{"d":20250208}`), &w); err == nil {
		t.Error("number accepted as date")
	}
	cases := []struct{ d, want string }{
		{MustDate("2026-01-31").AddMonths(1).String(), "2026-02-28"},
		{MustDate("2024-01-31").AddMonths(1).String(), "2024-02-29"},
		{MustDate("2026-08-31").AddMonths(6).String(), "2027-02-28"},
		{MustDate("2026-12-31").AddDays(1).String(), "2027-01-01"},
		{MustDate("2026-03-01").AddDays(-1).String(), "2026-02-28"},
		{MustDate("2026-10-01").WeekdayZH(), "星期四"},
	}
	for _, c := range cases {
		if c.d != c.want {
			t.Errorf("got %s, want %s", c.d, c.want)
		}
	}
	if n := MustDate("2026-03-01").DaysSince(MustDate("2025-03-01")); n != 365 {
		t.Errorf("DaysSince = %d", n)
	}
	// 2026-06-30 17:00 UTC is already 07-01 in Shanghai.
	if d := Today(time.Date(2026, 6, 30, 17, 0, 0, 0, time.UTC)); d.String() != "2026-07-01" {
		t.Errorf("Today = %s", d)
	}
}

func TestShippedYears(t *testing.T) {
	cal := Default()
	var got []int
	for _, y := range cal.Years() {
		got = append(got, y.Year)
		if !strings.Contains(y.Source, fmt.Sprintf("关于%d年部分节假日安排的通知", y.Year)) || !strings.Contains(y.Source, "国办发明电") {
			t.Errorf("%d: source %q does not name the notice", y.Year, y.Source)
		}
	}
	if !slices.Equal(got, []int{2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026}) {
		t.Errorf("shipped years = %v", got)
	}
}

// expand lists the dates from a to b inclusive.
func expand(a, b string) []string {
	var out []string
	for d := MustDate(a); !d.After(MustDate(b)); d = d.AddDays(1) {
		out = append(out, d.String())
	}
	return out
}

// TestSchedulesMatchDomain compares 2025 and 2026 with DOMAIN.md §5.2 exactly:
// the same days off and the same make-up working days, nothing more.
func TestSchedulesMatchDomain(t *testing.T) {
	domain := map[int]struct{ off, work []string }{
		2025: {
			off: slices.Concat([]string{"2025-01-01"}, expand("2025-01-28", "2025-02-04"), expand("2025-04-04", "2025-04-06"),
				expand("2025-05-01", "2025-05-05"), expand("2025-05-31", "2025-06-02"), expand("2025-10-01", "2025-10-08")),
			work: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
		},
		2026: {
			off: slices.Concat(expand("2026-01-01", "2026-01-03"), expand("2026-02-15", "2026-02-23"), expand("2026-04-04", "2026-04-06"),
				expand("2026-05-01", "2026-05-05"), expand("2026-06-19", "2026-06-21"), expand("2026-09-25", "2026-09-27"),
				expand("2026-10-01", "2026-10-07")),
			work: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
		},
	}
	cal := Default()
	for _, y := range cal.Years() {
		want, ok := domain[y.Year]
		if !ok {
			continue
		}
		var off, work []string
		for _, d := range y.Days {
			if d.Off {
				off = append(off, d.Date.String())
			} else {
				work = append(work, d.Date.String())
			}
		}
		slices.Sort(want.off)
		if !slices.Equal(off, want.off) {
			t.Errorf("%d off days:\n got %v\nwant %v", y.Year, off, want.off)
		}
		if !slices.Equal(work, want.work) {
			t.Errorf("%d make-up days:\n got %v\nwant %v", y.Year, work, want.work)
		}
		if y.Year == 2026 && len(off) != 33 {
			t.Errorf("2026 has %d days off, the notice says 33", len(off))
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	cal := Default()
	cases := []struct {
		date    string
		working bool
		holiday string
	}{
		{"2026-02-14", true, "春节"},       // make-up Saturday
		{"2026-02-15", false, "春节"},      // Sunday inside the holiday
		{"2026-02-23", false, "春节"},      // Monday off
		{"2026-02-24", true, ""},         // back to work
		{"2026-02-21", false, "春节"},      // Saturday inside the holiday
		{"2026-03-07", false, ""},        // ordinary Saturday
		{"2026-10-10", true, "国庆节"},      // make-up Saturday
		{"2025-10-08", false, "国庆节、中秋节"}, // Wednesday off
		{"2025-09-28", true, "国庆节、中秋节"},  // make-up Sunday
		{"2018-12-29", true, "元旦"},       // make-up Saturday from the 2019 notice
		{"2018-12-31", false, "元旦"},      // Monday off from the 2019 notice
		{"2020-02-01", false, "春节"},      // the 2020 extension
		{"2026-06-22", true, ""},         // Monday after 端午
	}
	for _, c := range cases {
		info := cal.Info(MustDate(c.date))
		if info.Working != c.working || info.Holiday != c.holiday || info.Provisional {
			t.Errorf("%s: %+v, want working=%v holiday=%q", c.date, info, c.working, c.holiday)
		}
		if cal.IsWorkingDay(MustDate(c.date)) != c.working {
			t.Errorf("IsWorkingDay(%s) != %v", c.date, c.working)
		}
	}
}

func TestFallbackYear2027IsProvisional(t *testing.T) {
	cal := Default()
	if cal.Covered(2027) {
		t.Fatal("2027 must not be shipped: the notice was not published when this was written")
	}
	cases := []struct {
		date    string
		working bool
		holiday string
	}{
		{"2027-01-01", false, "元旦"}, // Friday
		{"2027-05-03", true, ""},    // Monday: 劳动节 is only 05-01..05-02 by the 办法
		{"2027-05-01", false, "劳动节"},
		{"2027-10-01", false, "国庆节"},
		{"2027-10-04", true, ""},  // Monday, no data for the usual 调休
		{"2027-02-06", false, ""}, // Saturday; 春节 cannot be placed without the notice
	}
	for _, c := range cases {
		info := cal.Info(MustDate(c.date))
		if info.Working != c.working || info.Holiday != c.holiday || !info.Provisional {
			t.Errorf("%s: %+v", c.date, info)
		}
	}
	// 20 working days from 2026-12-20 (Sunday): Dec 21–25 (5), Dec 28–31 (9),
	// Jan 1 2027 is 元旦, Jan 4–8 (14), Jan 11–15 (19), Jan 18 (20).
	r, err := cal.Compute(Period{20, WorkingDays}, MustDate("2026-12-20"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Due.String() != "2027-01-18" || !r.Provisional || !slices.Equal(r.UncoveredYears, []int{2027}) {
		t.Errorf("2027 result: %+v", r)
	}
	// Entirely inside 2026: not provisional.
	if r, _ := cal.Compute(Period{5, WorkingDays}, MustDate("2026-12-01")); r.Provisional {
		t.Errorf("2026-only result flagged provisional: %+v", r)
	}
	var c Clock
	rule, _ := DefaultRegistry().Get("disclosure.reply")
	if err := c.Start(rule, MustDate("2026-12-20")); err != nil {
		t.Fatal(err)
	}
	text, err := c.Explain(cal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(text, "（2027 年放假安排未发布，日期为暂定）") {
		t.Errorf("explanation lacks the provisional note: %s", text)
	}

	// An administrator enters a (fictional, test-only) 2027 schedule: the
	// flag goes away and the holiday moves the due date.
	y2027 := Year{Year: 2027, Source: "测试用 2027 年安排", Days: []Day{
		{MustDate("2027-01-01"), "元旦", true}, {MustDate("2027-01-04"), "元旦", true},
	}}
	cal2, err := cal.WithYears(y2027)
	if err != nil {
		t.Fatal(err)
	}
	r2, _ := cal2.Compute(Period{20, WorkingDays}, MustDate("2026-12-20"))
	if r2.Provisional || r2.Due.String() != "2027-01-19" {
		t.Errorf("with 2027 data: %+v", r2)
	}
	if cal.Covered(2027) {
		t.Error("WithYears changed the original calendar")
	}
	if err := cal.AddYear(y2027); err != nil || !cal.Covered(2027) {
		t.Errorf("AddYear: %v", err)
	}
	if cal.IsWorkingDay(MustDate("2027-01-04")) {
		t.Error("2027-01-04 should be off after AddYear")
	}
	if !cal.RemoveYear(2027) || cal.Covered(2027) || !cal.IsWorkingDay(MustDate("2027-01-04")) || cal.RemoveYear(2027) {
		t.Error("RemoveYear did not restore the fallback")
	}
}

func TestParseYear(t *testing.T) {
	good := `{"year":2027,"source":"国务院办公厅关于2027年部分节假日安排的通知","days":[
		{"date":"2027-01-01","name":"元旦","off":true},
		{"date":"2026-12-31","name":"元旦","off":true},
		{"date":"2027-02-20","name":"春节","off":false}]}`
	y, err := ParseYear([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if y.Year != 2027 || len(y.Days) != 3 || y.Days[0].Date.String() != "2026-12-31" {
		t.Errorf("parsed %+v", y)
	}
	bad := []struct {
		json, field, msg string
	}{
		{`{"source":"x","days":[{"date":"2027-01-01","name":"元旦","off":true}]}`, "year", "缺少年份"},
		{`{"year":2027,"days":[{"date":"2027-01-01","name":"元旦","off":true}]}`, "source", "缺少来源"},
		{`{"year":2027,"source":"x","days":[]}`, "days", "没有列出"},
		{`{"year":2027,"source":"x","days":[{"date":"2028-01-01","name":"元旦","off":true}]}`, "days[0].date", "不在 2027 年内"},
		{`{"year":2027,"source":"x","days":[{"date":"2026-11-30","name":"元旦","off":true}]}`, "days[0].date", "不在 2027 年内"},
		{`{"year":2027,"source":"x","days":[{"date":"2027-01-01","name":"元旦","off":true},{"date":"2027-01-01","name":"元旦","off":true}]}`, "days[1].date", "重复"},
		{`{"year":2027,"source":"x","days":[{"date":"2027-01-01","name":" ","off":true}]}`, "days[0].name", "缺少节日名称"},
		{`{"year":2027,"source":"x","days":[{"date":"2027-01-01","name":"元旦"}]}`, "days[0].off", "缺少 off"},
		{`{"year":2027,"source":"x","days":[{"date":"2027-1-1","name":"元旦","off":true}]}`, "days[0].date", "格式不正确"},
		{`{"year":2027,"source":"x","days":[{"date":"2027-01-01","name":"元旦","off":true},{"date":"2027-01-05","name":"元旦","off":false}]}`, "days[1].off", "调休上班日应为周六或周日"},
		{`{"year":2027,"source":"x","days":[{"date":"2027-02-20","name":"春节","off":false}]}`, "days", "没有任何放假日"},
		{`{"year":1800,"source":"x","days":[{"date":"1800-01-01","name":"元旦","off":true}]}`, "year", "不在 1949–2200"},
	}
	for _, c := range bad {
		_, err := ParseYear([]byte(c.json))
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid {
			t.Errorf("%s: want invalid, got %v", c.json, err)
			continue
		}
		found := false
		for _, f := range e.Fields {
			if f.Field == c.field && strings.Contains(f.Message, c.msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want field %s with %q, got %+v", c.json, c.field, c.msg, e.Fields)
		}
	}
	for _, notObject := range []string{``, `[]`, `{"year":2027,"source":"x","days":[],"extra":1}`, `{"year":"2027"}`, `{} {}`} {
		if _, err := ParseYear([]byte(notObject)); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%q: want invalid, got %v", notObject, err)
		}
	}
	if _, err := ParseYear(make([]byte, maxYearBytes+1)); !apperr.Is(err, apperr.TooLarge) {
		t.Errorf("oversized input: %v", err)
	}
}

func FuzzParseYear(f *testing.F) {
	for _, y := range Default().Years() {
		b, _ := json.Marshal(y)
		f.Add(b)
	}
	f.Add([]byte(`{"year":2027,"source":"x","days":[{"date":"2026-12-31","name":"元旦","off":true}]}`))
	f.Add([]byte(`{"year":2027,"source":"x","days":[{"date":"2027-01-01","name":"元旦","off":true},{"date":"2027-01-01","name":"元旦","off":false}]}`))
	f.Add([]byte(`{"year":0,"days":null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		y, err := ParseYear(data)
		if err != nil {
			if apperr.As(err) == nil {
				t.Fatalf("non-apperr error: %v", err)
			}
			return
		}
		// Anything accepted is well-formed and survives a round trip.
		seen := map[Date]bool{}
		for i, d := range y.Days {
			if seen[d.Date] || d.Name == "" || (d.Date.Year != y.Year && !(d.Date.Year == y.Year-1 && d.Date.Month == time.December)) {
				t.Fatalf("accepted bad day %d: %+v", i, d)
			}
			seen[d.Date] = true
		}
		b, err := json.Marshal(y)
		if err != nil {
			t.Fatal(err)
		}
		y2, err := ParseYear(b)
		if err != nil {
			t.Fatalf("round trip rejected: %v", err)
		}
		if fmt.Sprint(y) != fmt.Sprint(y2) {
			t.Fatalf("round trip changed the year:\n%+v\n%+v", y, y2)
		}
		if _, err := New(y); err != nil {
			t.Fatalf("calendar rejected a parsed year: %v", err)
		}
	})
}

func TestMonthsPeriodByHand(t *testing.T) {
	cal := Default()
	cases := []struct{ from, due string }{
		{"2026-02-12", "2026-08-12"}, // Wednesday
		{"2025-08-31", "2026-02-28"}, // no 02-31: month end, which is the make-up Saturday
		{"2026-03-31", "2026-09-30"}, // no 09-31: month end, a Wednesday
		{"2026-04-03", "2026-10-08"}, // 10-03 is 国庆 → first working day 10-08
	}
	for _, c := range cases {
		r, err := cal.Compute(Period{6, Months}, MustDate(c.from))
		if err != nil || r.Due.String() != c.due {
			t.Errorf("6 months from %s: %+v %v, want %s", c.from, r.Due, err, c.due)
		}
	}
}

// TestShippedYearsIsACopy: the schedules are parsed once, so a caller that
// changes what it got must not change what the next caller (or Default) sees.
func TestShippedYearsIsACopy(t *testing.T) {
	a := ShippedYears()
	want := a[0].Days[0]
	a[0].Days[0].Name = "changed"
	a[0].Year = 1900
	b := ShippedYears()
	if b[0].Days[0] != want || b[0].Year == 1900 {
		t.Fatalf("ShippedYears shares state between calls: %+v", b[0].Days[0])
	}
	if d := Default(); d == nil || !d.Covered(b[0].Year) {
		t.Fatalf("Default lacks shipped year %d", b[0].Year)
	}
}
