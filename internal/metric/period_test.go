package metric

import (
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
)

func TestParsePeriod(t *testing.T) {
	today := calendar.MustDate("2026-12-07")
	for _, c := range []struct {
		spec, from, to          string
		kind, pfrom, pto, label string
		prev, lastYear          string // from–to
	}{
		{"", "", "", PeriodYear, "2026-01-01", "2026-12-31", "2026年", "2025-01-01~2025-12-31", "2025-01-01~2025-12-31"},
		{"2024", "", "", PeriodYear, "2024-01-01", "2024-12-31", "2024年", "2023-01-01~2023-12-31", "2023-01-01~2023-12-31"},
		{"2026-Q1", "", "", PeriodQuarter, "2026-01-01", "2026-03-31", "2026年第一季度", "2025-10-01~2025-12-31", "2025-01-01~2025-03-31"},
		{"2024-q4", "", "", PeriodQuarter, "2024-10-01", "2024-12-31", "2024年第四季度", "2024-07-01~2024-09-30", "2023-10-01~2023-12-31"},
		{"2024-02", "", "", PeriodMonth, "2024-02-01", "2024-02-29", "2024年2月", "2024-01-01~2024-01-31", "2023-02-01~2023-02-28"},
		{"2026-01", "", "", PeriodMonth, "2026-01-01", "2026-01-31", "2026年1月", "2025-12-01~2025-12-31", "2025-01-01~2025-01-31"},
		{"custom", "2024-02-20", "2024-02-29", PeriodCustom, "2024-02-20", "2024-02-29", "2024-02-20 至 2024-02-29", "2024-02-10~2024-02-19", "2023-02-20~2023-02-28"},
		{"", "2026-03-01", "2026-03-01", PeriodCustom, "2026-03-01", "2026-03-01", "2026-03-01 至 2026-03-01", "2026-02-28~2026-02-28", "2025-03-01~2025-03-01"},
	} {
		p, err := ParsePeriod(c.spec, c.from, c.to, today)
		if err != nil {
			t.Fatalf("%q: %v", c.spec, err)
		}
		if p.Kind != c.kind || p.From != c.pfrom || p.To != c.pto || p.Label != c.label {
			t.Errorf("%q %s–%s: got %+v", c.spec, c.from, c.to, p)
		}
		if pr := p.Previous(); pr.From+"~"+pr.To != c.prev || pr.Kind != p.Kind {
			t.Errorf("%q previous: %+v, want %s", c.spec, pr, c.prev)
		}
		if ly := p.LastYear(); ly.From+"~"+ly.To != c.lastYear {
			t.Errorf("%q last year: %+v, want %s", c.spec, ly, c.lastYear)
		}
		ms := p.Months()
		if len(ms) != 12 || ms[11].To < p.To[:7] || ms[11].From[:7] != p.To[:7] || ms[0].From != calendar.MustDate(ms[11].From).AddMonths(-11).String() {
			t.Errorf("%q months: %v", c.spec, ms)
		}
	}
	// Bad input names the field; nothing is accepted silently.
	for _, c := range []struct{ spec, from, to, field string }{
		{"2026-13", "", "", "period"}, {"2026-Q5", "", "", "period"}, {"0000", "", "", "period"}, {"1800-01", "", "", "period"},
		{"2026-00", "", "", "period"}, {"abcd", "", "", "period"}, {"2026-+1", "", "", "period"}, {"20\x0026", "", "", "period"},
		{strings.Repeat("年", 5000), "", "", "period"},
		{"custom", "", "2026-01-01", "from"}, {"custom", "2026-01-01", "", "to"}, {"custom", "2026-02-30", "2026-03-01", "from"},
		{"custom", "2026-03-02", "2026-03-01", "to"}, {"custom", "0000-01-01", "2026-03-01", "from"}, {"custom", "1950-01-01", "2026-03-01", "to"},
		{"custom", "2026-01-01\x00", "2026-03-01", "from"},
	} {
		_, err := ParsePeriod(c.spec, c.from, c.to, today)
		e := apperr.As(err)
		if e == nil || e.Code != apperr.Invalid || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
			t.Errorf("%q %q %q: want refusal on %s, got %v", clip(c.spec), c.from, c.to, c.field, err)
		}
		if e != nil && len(e.Message) > 400 {
			t.Errorf("message not clipped: %d bytes", len(e.Message))
		}
	}
}

func TestDescribe(t *testing.T) {
	r := Figure{Code: "finding.closed_on_time_rate", Name: "问题按期整改销号率", Link: "/findings?x=1",
		Definition: "分子：期间内销号且按期的问题数；分母：期间内销号的问题数，加上超期未销号的问题数。期间：2026-01-01 至 2026-12-31"}.Rate(3, 4)
	e := Describe(r, "finding.read")
	if e.Kind != "rate" || e.Rollup != RollupRatio || e.Area != "finding" || e.AreaLabel != "问题整改" || e.Perm != "finding.read" ||
		e.Numerator != "期间内销号且按期的问题数" || e.Denominator != "期间内销号的问题数，加上超期未销号的问题数" || e.PeriodRule != "2026-01-01 至 2026-12-31" || e.Current {
		t.Errorf("rate entry: %+v", e)
	}
	c := Describe(Figure{Code: "finding.open_count", Name: "未销号问题", Unit: "个", Definition: "尚未销号的问题个数（当前数，不分期间）"}, "finding.read")
	if c.Kind != "count" || c.Rollup != RollupSum || !c.Current || c.Numerator == "" || c.PeriodRule == "" {
		t.Errorf("count entry: %+v", c)
	}
	if AreaOf("nosuchmodule.x").Key != "other" || AreaOf("litigation.loss_rate").Key != "dispute" {
		t.Error("areas by module")
	}
}

func TestDescribeDivision(t *testing.T) {
	e := Describe(Figure{Code: "reconsideration.resolution_rate", Unit: "%", Definition: "化解率 =（调解结案数 + 和解撤回数）÷ 审结案件数 × 100%。审结：期间内作出决定的案件（期间：2026-01-01 至 2026-12-07）"}, "p")
	if e.Numerator != "（调解结案数 + 和解撤回数）" || e.Denominator != "审结案件数" || e.PeriodRule == "" {
		t.Errorf("%+v", e)
	}
}
