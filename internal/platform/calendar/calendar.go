package calendar

import (
	"encoding/json"
	"sort"
	"sync"
	"time"

	"fazhi/internal/platform/apperr"
)

// Calendar answers "is this a working day?" from loaded Years, falling back
// to weekends plus fixed-date holidays for years without data. It is safe for
// concurrent use; AddYear may run while requests compute deadlines.
type Calendar struct {
	mu    sync.RWMutex
	years map[int]Year
	days  map[Date]Day
}

// Default returns a new Calendar with the shipped 2016–2026 schedules. Each
// call returns an independent Calendar, so adding a year to one does not
// change another.
func Default() *Calendar {
	c, err := New(shipped()...)
	if err != nil {
		panic(err) // shipped data is validated by tests
	}
	return c
}

// New returns a Calendar holding exactly the given years (validated as by
// ParseYear). New() with no years is a pure fallback calendar.
func New(years ...Year) (*Calendar, error) {
	c := &Calendar{years: map[int]Year{}, days: map[Date]Day{}}
	for _, y := range years {
		if err := c.AddYear(y); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// WithYears returns a copy of c with years added (replacing any year already
// present), leaving c unchanged. Use it to layer administrator-entered years
// from the database over the shipped ones.
func (c *Calendar) WithYears(years ...Year) (*Calendar, error) {
	c.mu.RLock()
	all := make([]Year, 0, len(c.years)+len(years))
	for _, y := range c.years {
		all = append(all, y)
	}
	c.mu.RUnlock()
	n, err := New(all...)
	if err != nil {
		return nil, err
	}
	for _, y := range years {
		if err := n.AddYear(y); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// AddYear adds or replaces one year's schedule (for example after the new
// notice is published each autumn, or when a notice is amended as in 2020).
// The year is validated exactly as ParseYear validates imported JSON.
func (c *Calendar) AddYear(y Year) error {
	b, err := json.Marshal(y)
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, "放假安排数据无法编码")
	}
	y, err = ParseYear(b)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.years[y.Year] = y
	c.rebuild()
	return nil
}

// RemoveYear drops a year's schedule (an import entered by mistake); dates in
// it fall back to the provisional rule. It reports whether the year was
// loaded.
func (c *Calendar) RemoveYear(year int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.years[year]; !ok {
		return false
	}
	delete(c.years, year)
	c.rebuild()
	return true
}

// rebuild recomputes the day index; a later year's notice wins for the
// December days it reaches back into.
func (c *Calendar) rebuild() {
	keys := make([]int, 0, len(c.years))
	for k := range c.years {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	c.days = make(map[Date]Day, 40*len(keys))
	for _, k := range keys {
		for _, d := range c.years[k].Days {
			c.days[d.Date] = d
		}
	}
}

// Years returns the loaded years in ascending order.
func (c *Calendar) Years() []Year {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]Year, 0, len(c.years))
	for _, y := range c.years {
		out = append(out, y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}

// Covered reports whether the holiday schedule of year is loaded. Dates in an
// uncovered year are computed by the fallback rule and are provisional.
func (c *Calendar) Covered(year int) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	_, ok := c.years[year]
	return ok
}

// DayInfo describes one date.
type DayInfo struct {
	Date        Date
	Working     bool
	Holiday     string // public holiday name when off, or the holiday a make-up working day belongs to
	MakeUp      bool   // 调休上班: a weekend day that is a working day
	Provisional bool   // the date's year has no loaded schedule
}

// fixedHolidays are the holidays of 《全国年节及纪念日放假办法》 (2024 revision)
// whose dates do not depend on the lunar calendar. 春节, 清明, 端午 and 中秋 cannot
// be placed without the year's notice.
var fixedHolidays = map[[2]int]string{
	{1, 1}: "元旦", {5, 1}: "劳动节", {5, 2}: "劳动节",
	{10, 1}: "国庆节", {10, 2}: "国庆节", {10, 3}: "国庆节",
}

// Info describes d.
func (c *Calendar) Info(d Date) DayInfo {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.info(d)
}

func (c *Calendar) info(d Date) DayInfo {
	weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
	if _, ok := c.years[d.Year]; ok {
		if day, ok := c.days[d]; ok {
			return DayInfo{Date: d, Working: !day.Off, Holiday: day.Name, MakeUp: !day.Off}
		}
		return DayInfo{Date: d, Working: !weekend}
	}
	// A December day may be listed by next year's notice even when this
	// year is not loaded.
	if day, ok := c.days[d]; ok {
		return DayInfo{Date: d, Working: !day.Off, Holiday: day.Name, MakeUp: !day.Off, Provisional: true}
	}
	if name, ok := fixedHolidays[[2]int{int(d.Month), d.Day}]; ok {
		return DayInfo{Date: d, Working: false, Holiday: name, Provisional: true}
	}
	return DayInfo{Date: d, Working: !weekend, Provisional: true}
}

// IsWorkingDay reports whether d is a working day: a weekday that is not a
// public holiday, or a make-up working day.
func (c *Calendar) IsWorkingDay(d Date) bool { return c.Info(d).Working }

// NextWorkingDay returns d if it is a working day, otherwise the first
// working day after it.
func (c *Calendar) NextWorkingDay(d Date) Date {
	c.mu.RLock()
	defer c.mu.RUnlock()
	for !c.info(d).Working {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkingDays returns the nth working day after from (from itself is not
// counted); n = 0 returns from. Negative n counts backwards.
func (c *Calendar) AddWorkingDays(from Date, n int) Date {
	c.mu.RLock()
	defer c.mu.RUnlock()
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	d := from
	for n > 0 {
		d = d.AddDays(step)
		if c.info(d).Working {
			n--
		}
	}
	return d
}

// WorkingDaysBetween counts the working days in (from, to]: after from, up to
// and including to. It is negative when to is before from.
func (c *Calendar) WorkingDaysBetween(from, to Date) int {
	if to.Before(from) {
		return -c.WorkingDaysBetween(to, from)
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.info(d).Working {
			n++
		}
	}
	return n
}

// Result is a computed due date with what a person needs to trust it.
type Result struct {
	From   Date   `json:"from"`   // trigger day (not counted)
	Period Period `json:"period"` // what was counted
	Due    Date   `json:"due"`    // last day of the period
	// End is the nominal last day before moving off a non-working day
	// (CalendarDays and Months periods only); equal to Due when nothing moved.
	End Date `json:"end"`
	// Holidays names the public holidays skipped inside a working-day period,
	// or the holiday the nominal end fell on, in date order, without repeats.
	Holidays []string `json:"holidays,omitempty"`
	// Provisional is true when a year between From and Due has no loaded
	// schedule; UncoveredYears lists those years.
	Provisional    bool  `json:"provisional"`
	UncoveredYears []int `json:"uncovered_years,omitempty"`
}

// Compute counts period p from the trigger day from, by the statutory rules
// described in the package documentation.
func (c *Calendar) Compute(p Period, from Date) (Result, error) {
	if err := p.Validate(); err != nil {
		return Result{}, err
	}
	if from.IsZero() {
		return Result{}, apperr.Field("from", "缺少起算日期")
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	r := Result{From: from, Period: p}
	var names nameSet
	switch p.Unit {
	case WorkingDays:
		d, n := from, p.N
		for n > 0 {
			d = d.AddDays(1)
			info := c.info(d)
			if info.Working {
				n--
			} else if info.Holiday != "" {
				names.add(info.Holiday)
			}
		}
		r.End, r.Due = d, d
	case CalendarDays, Months:
		end := from.AddDays(p.N)
		if p.Unit == Months {
			end = from.AddMonths(p.N)
		}
		r.End = end
		r.Due = c.rollLocked(end, &names)
	}
	r.Holidays = names.list
	r.UncoveredYears = c.uncoveredLocked(from.AddDays(1), r.Due)
	r.Provisional = len(r.UncoveredYears) > 0
	return r, nil
}

// rollLocked moves d to the next working day, recording holiday names.
func (c *Calendar) rollLocked(d Date, names *nameSet) Date {
	for {
		info := c.info(d)
		if info.Working {
			return d
		}
		if info.Holiday != "" {
			names.add(info.Holiday)
		}
		d = d.AddDays(1)
	}
}

// uncovered lists the years in [from.Year, to.Year] without a schedule.
func (c *Calendar) uncovered(from, to Date) []int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.uncoveredLocked(from, to)
}

func (c *Calendar) uncoveredLocked(from, to Date) []int {
	var out []int
	for y := from.Year; y <= to.Year; y++ {
		if _, ok := c.years[y]; !ok {
			out = append(out, y)
		}
	}
	return out
}

// nameSet keeps holiday names in first-seen order without repeats.
type nameSet struct{ list []string }

func (s *nameSet) add(n string) {
	for _, x := range s.list {
		if x == n {
			return
		}
	}
	s.list = append(s.list, n)
}
