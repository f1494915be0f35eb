// Package calendar is fazhi's working-day calendar and statutory clock engine.
//
// Every legal deadline in fazhi is computed here, from a named rule (see
// Registry) and a civil trigger date, over a calendar that knows the State
// Council's yearly holiday schedule, including 调休 make-up working days.
// Nothing else in the program may add days to a date for a legal deadline:
// time.AddDate knows neither 法定休假日 nor the rule that the trigger day is
// not counted.
//
// Counting follows the statutes (DOMAIN.md §2):
//
//   - WorkingDays periods (行政复议法 art. 88 for its 3/5/7/10-day periods,
//     行政处罚法 art. 85, the 政府信息公开条例): the trigger day is not counted;
//     the period ends on the Nth working day after it, skipping weekends and
//     public holidays and counting make-up working days.
//   - CalendarDays periods (民事诉讼法 art. 85, applied by 行政复议法 art. 88
//     to every other period): the trigger day is not counted; the period ends
//     N days after it, and if that day is not a working day (weekend or public
//     holiday) it moves to the next working day.
//   - Months periods: the day with the same number N months later (the last
//     day of the month when there is none), moved to the next working day in
//     the same way.
//
// Years for which no holiday schedule is loaded fall back to weekends plus the
// fixed-date holidays of 《全国年节及纪念日放假办法》 (元旦 1/1, 劳动节 5/1–5/2,
// 国庆节 10/1–10/3); any result that touches such a year is Provisional.
package calendar

import (
	"encoding/json"
	"fmt"
	"time"

	"fazhi/internal/platform/apperr"
)

// Date is a civil date in Asia/Shanghai. It carries no time of day and no
// zone, so a deadline never shifts by a day when a timestamp crosses UTC
// midnight. The zero Date is invalid and prints as "".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Shanghai is China Standard Time. China has kept UTC+8 without daylight
// saving since 1991, so a fixed zone is exact for every date fazhi handles and
// needs no tzdata on the server.
var Shanghai = time.FixedZone("CST", 8*3600)

// NewDate returns the date, normalising overflow the way time.Date does
// (2026-02-30 becomes 2026-03-02). Use ParseDate for outside input.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the civil date of t as seen in t's own location. Convert a
// timestamp with t.In(Shanghai) first when it is not already local.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// Today returns the current civil date in Asia/Shanghai.
func Today(now time.Time) Date { return DateOf(now.In(Shanghai)) }

// ParseDate parses "YYYY-MM-DD" strictly (zero-padded, a real calendar day).
func ParseDate(s string) (Date, error) {
	if len(s) != 10 {
		return Date{}, apperr.New(apperr.Invalid, "日期“%s”格式不正确，应为 YYYY-MM-DD", s)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, apperr.Wrap(err, apperr.Invalid, "日期“%s”格式不正确，应为 YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// MustDate parses s and panics on error; for tests and constant tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "YYYY-MM-DD" ("" for the zero Date).
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalJSON writes "YYYY-MM-DD" (null for the zero Date).
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return apperr.Wrap(err, apperr.Invalid, "日期应为 YYYY-MM-DD 格式的字符串")
	}
	p, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// MarshalText and UnmarshalText let Date be a JSON map key and a flag value.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "YYYY-MM-DD".
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// AddDays returns d shifted by n calendar days. It is plain date arithmetic;
// legal periods go through Calendar.
func (d Date) AddDays(n int) Date { return DateOf(d.time().AddDate(0, 0, n)) }

// AddMonths returns the same day n months later, or the last day of that
// month when it has no such day (01-31 + 1 month = 02-28/29).
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.Year, d.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, n, 0)
	last := first.AddDate(0, 1, -1).Day()
	day := d.Day
	if day > last {
		day = last
	}
	return Date{first.Year(), first.Month(), day}
}

// DaysSince returns the number of calendar days from e to d (d − e).
func (d Date) DaysSince(e Date) int {
	return int(d.time().Sub(e.time()).Hours() / 24)
}

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.time().Weekday() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return cmpInt(d.Year, e.Year)
	case d.Month != e.Month:
		return cmpInt(int(d.Month), int(e.Month))
	default:
		return cmpInt(d.Day, e.Day)
	}
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var weekdayZH = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// WeekdayZH returns the Chinese weekday name ("星期一").
func (d Date) WeekdayZH() string { return weekdayZH[d.Weekday()] }
