package calendar

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
)

func TestCheckDate(t *testing.T) {
	today := MustDate("2026-11-20")
	found := MustDate("2026-09-01")
	cases := []struct {
		value    string
		required bool
		sp       Span
		want     string // the date read, or the refusal's words
	}{
		{"2026-03-15", true, Span{}, "2026-03-15"},
		{" 2026-03-15", true, Span{}, "发现日期格式应为 YYYY-MM-DD"},
		{"2026-03-15\x00", true, Span{}, "发现日期格式应为 YYYY-MM-DD"},
		{"", false, Span{}, ""},
		{"", true, Span{}, "请填写发现日期"},
		{"2026-3-15", false, Span{}, "发现日期格式应为 YYYY-MM-DD"},
		{"2026-02-30", false, Span{}, "发现日期格式应为 YYYY-MM-DD"},
		{"0000-01-01", true, Span{}, "发现日期不能早于 1949-01-01"},
		{"1948-12-31", true, Happened(Date{}, today), "发现日期不能早于 1949-01-01"},
		{"2101-01-01", true, Span{}, "发现日期不能晚于 2100-12-31"},
		{"9999-12-31", true, Span{To: MustDate("2030-12-31")}, "发现日期不能晚于 2030-12-31"},
		{"2026-11-21", true, Happened(Date{}, today), "发现日期不能晚于今天（2026-11-20）"},
		{"2026-11-20", true, Happened(Date{}, today), "2026-11-20"},
		{"2026-08-31", true, Happened(found, today), "发现日期不能早于 2026-09-01"},
		{"2026-09-01", true, Happened(found, today), "2026-09-01"},
	}
	for _, c := range cases {
		var v apperr.Fields
		got := CheckDate(&v, "found_on", "发现日期", c.value, c.required, c.sp)
		if len(v) == 0 {
			if got.String() != c.want {
				t.Errorf("%q: read %q, want %q", c.value, got, c.want)
			}
			continue
		}
		if len(v) != 1 || v[0].Field != "found_on" || !strings.Contains(v[0].Message, c.want) || !got.IsZero() {
			t.Errorf("%q: refused with %+v (read %q), want one refusal on found_on containing %q", c.value, v, got, c.want)
		}
	}
}
