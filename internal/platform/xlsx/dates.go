package xlsx

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/calendar"

	"github.com/xuri/excelize/v2"
)

var mmddyy = regexp.MustCompile(`^(\d{2})-(\d{2})-(\d{2})$`)

// ParseDate reads a date cell of an imported sheet: YYYY-MM-DD, YYYY/M/D,
// YYYY.M.D, YYYY年M月D日, an Excel serial number (a raw date cell), or
// MM-DD-YY (how a date cell reads with Excel's default format). An empty
// cell is the zero date and ok; a year outside calendar.MinYear–MaxYear
// (1949–2100) or a day that does not exist is not ok. Every import parses its dates here.
func ParseDate(s string) (d calendar.Date, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return calendar.Date{}, true
	}
	var y, m, day int
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		if n < 1 || n > 2958465 {
			return calendar.Date{}, false
		}
		t, err := excelize.ExcelDateToTime(n, false)
		if err != nil {
			return calendar.Date{}, false
		}
		y, m, day = t.Year(), int(t.Month()), t.Day()
	} else if p := mmddyy.FindStringSubmatch(s); p != nil {
		m, _ = strconv.Atoi(p[1])
		day, _ = strconv.Atoi(p[2])
		y, _ = strconv.Atoi(p[3])
		y += 2000
	} else {
		r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
		parts := strings.Split(r.Replace(s), "-")
		if len(parts) != 3 {
			return calendar.Date{}, false
		}
		var e1, e2, e3 error
		y, e1 = strconv.Atoi(parts[0])
		m, e2 = strconv.Atoi(parts[1])
		day, e3 = strconv.Atoi(parts[2])
		if e1 != nil || e2 != nil || e3 != nil {
			return calendar.Date{}, false
		}
	}
	if y < calendar.MinYear || y > calendar.MaxYear || m < 1 || m > 12 {
		return calendar.Date{}, false
	}
	d = calendar.NewDate(y, time.Month(m), day)
	if d.Month != time.Month(m) || d.Day != day {
		return calendar.Date{}, false
	}
	return d, true
}
