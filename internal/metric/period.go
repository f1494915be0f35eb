package metric

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
)

// Period kinds a metric is evaluated over.
const (
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
	PeriodYear    = "year"
	PeriodCustom  = "custom"
)

// Period is a span of days a metric is evaluated over: a calendar month,
// quarter or year, or a custom range (both ends inclusive, YYYY-MM-DD).
type Period struct {
	Kind  string `json:"kind" enum:"month,quarter,year,custom" doc:"month 月度；quarter 季度；year 年度；custom 自定义"`
	Spec  string `json:"spec" doc:"期间代码：2026、2026-Q2、2026-03，自定义为 起始~截止"`
	Label string `json:"label" doc:"中文名称，如 2026年第二季度"`
	From  string `json:"from" doc:"起始日期（含）"`
	To    string `json:"to" doc:"截止日期（含）"`
}

// Query is the query for p over the unit subtree unit.
func (p Period) Query(unit int64) Query { return Query{UnitID: unit, From: p.From, To: p.To} }

// earliest and latest bound the years a period may name: records of the
// platform are dated 1949–2100 (calendar.CheckDate's span).
const (
	earliestYear = 1949
	latestYear   = 2100
)

// ParsePeriod reads a period spec: "2026" (a year), "2026-Q2" (a quarter),
// "2026-03" (a month), "custom" with from and to (YYYY-MM-DD, at most ten
// years), or "" — the calendar year of today. Bad input is refused with a
// Chinese message naming the field.
func ParsePeriod(spec, from, to string, today calendar.Date) (Period, error) {
	spec = strings.TrimSpace(spec)
	bad := func() (Period, error) {
		return Period{}, apperr.Field("period", "期间“%s”格式不正确，应为 年度（2026）、季度（2026-Q2）、月份（2026-03）或 custom（自定义，另填起止日期）", clip(spec))
	}
	year := func(s string) (int, bool) {
		if len(s) != 4 {
			return 0, false
		}
		y, err := strconv.Atoi(s)
		return y, err == nil && y >= earliestYear && y <= latestYear
	}
	switch {
	case spec == PeriodCustom || (spec == "" && (from != "" || to != "")):
		return customPeriod(from, to)
	case spec == "":
		return YearPeriod(today.Year), nil
	case len(spec) == 4:
		y, ok := year(spec)
		if !ok {
			return bad()
		}
		return YearPeriod(y), nil
	case len(spec) == 7 && (spec[5] == 'Q' || spec[5] == 'q') && spec[4] == '-':
		y, ok := year(spec[:4])
		qn := int(spec[6] - '0')
		if !ok || qn < 1 || qn > 4 {
			return bad()
		}
		return QuarterPeriod(y, qn), nil
	case len(spec) == 7 && spec[4] == '-':
		y, ok := year(spec[:4])
		m, err := strconv.Atoi(spec[5:])
		if !ok || err != nil || m < 1 || m > 12 || spec[5] == '+' || spec[5] == '-' {
			return bad()
		}
		return MonthPeriod(y, time.Month(m)), nil
	}
	return bad()
}

// clip shortens user text quoted in a message.
func clip(s string) string {
	r := []rune(strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), ""))
	if len(r) > 20 {
		return string(r[:20]) + "…"
	}
	return string(r)
}

func customPeriod(from, to string) (Period, error) {
	var v apperr.Fields
	f := calendar.CheckDate(&v, "from", "期间起始日期", from, true, calendar.Span{})
	l := calendar.CheckDate(&v, "to", "期间截止日期", to, true, calendar.Span{})
	if err := v.Err(); err != nil {
		return Period{}, err
	}
	if l.Before(f) {
		return Period{}, apperr.Field("to", "期间截止日期不能早于起始日期")
	}
	from, to = f.String(), l.String()
	if l.DaysSince(f) > 3660 {
		return Period{}, apperr.Field("to", "自定义期间不能超过十年")
	}
	return Period{Kind: PeriodCustom, Spec: from + "~" + to, Label: from + " 至 " + to, From: from, To: to}, nil
}

// YearPeriod is the calendar year y.
func YearPeriod(y int) Period {
	return Period{Kind: PeriodYear, Spec: fmt.Sprintf("%04d", y), Label: fmt.Sprintf("%d年", y),
		From: calendar.NewDate(y, 1, 1).String(), To: calendar.NewDate(y, 12, 31).String()}
}

var quarterZH = [...]string{"", "一", "二", "三", "四"}

// QuarterPeriod is quarter q (1–4) of year y.
func QuarterPeriod(y, q int) Period {
	first := calendar.NewDate(y, time.Month(3*q-2), 1)
	return Period{Kind: PeriodQuarter, Spec: fmt.Sprintf("%04d-Q%d", y, q), Label: fmt.Sprintf("%d年第%s季度", y, quarterZH[q]),
		From: first.String(), To: first.AddMonths(3).AddDays(-1).String()}
}

// MonthPeriod is month m of year y.
func MonthPeriod(y int, m time.Month) Period {
	first := calendar.NewDate(y, m, 1)
	return Period{Kind: PeriodMonth, Spec: fmt.Sprintf("%04d-%02d", y, int(m)), Label: fmt.Sprintf("%d年%d月", y, int(m)),
		From: first.String(), To: first.AddMonths(1).AddDays(-1).String()}
}

// Previous is the period just before p: the month, quarter or year before;
// for a custom range the range of the same number of days ending the day
// before p starts.
func (p Period) Previous() Period {
	f := calendar.MustDate(p.From)
	switch p.Kind {
	case PeriodYear:
		return YearPeriod(f.Year - 1)
	case PeriodQuarter:
		prev := f.AddMonths(-3)
		return QuarterPeriod(prev.Year, (int(prev.Month)+2)/3)
	case PeriodMonth:
		prev := f.AddMonths(-1)
		return MonthPeriod(prev.Year, prev.Month)
	}
	days := calendar.MustDate(p.To).DaysSince(f)
	end := f.AddDays(-1)
	out, _ := customPeriod(end.AddDays(-days).String(), end.String())
	return out
}

// LastYear is the same period one year earlier (29 February becomes 28).
func (p Period) LastYear() Period {
	f := calendar.MustDate(p.From)
	switch p.Kind {
	case PeriodYear:
		return YearPeriod(f.Year - 1)
	case PeriodQuarter:
		return QuarterPeriod(f.Year-1, (int(f.Month)+2)/3)
	case PeriodMonth:
		return MonthPeriod(f.Year-1, f.Month)
	}
	out, _ := customPeriod(f.AddMonths(-12).String(), calendar.MustDate(p.To).AddMonths(-12).String())
	return out
}

// Months are the twelve calendar months ending with the month p ends in
// (for a year: its January to December): the monthly trend.
func (p Period) Months() []Period {
	l := calendar.MustDate(p.To)
	out := make([]Period, 0, 12)
	for i := 11; i >= 0; i-- {
		m := calendar.NewDate(l.Year, l.Month, 1).AddMonths(-i)
		out = append(out, MonthPeriod(m.Year, m.Month))
	}
	return out
}
