package calendar

import "time"

// Deadlines adapts a Calendar to engines that work in instants (the review
// chain engine's DueCalculator): a step activated at some moment is due at
// the end of the n-th working day after that moment's Shanghai date, so a
// reviewer has the whole last day.
type Deadlines struct{ Cal *Calendar }

// AddWorkingDays returns 23:59:59 (Asia/Shanghai) of the n-th working day
// after from's date, as UTC.
func (d Deadlines) AddWorkingDays(from time.Time, n int) time.Time {
	due := d.Cal.AddWorkingDays(DateOf(from.In(Shanghai)), n)
	return time.Date(due.Year, due.Month, due.Day, 23, 59, 59, 0, Shanghai).UTC()
}
