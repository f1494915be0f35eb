package calendar

import (
	"fmt"
	"sort"
	"strings"

	"fazhi/internal/platform/apperr"
)

// EventKind names what happened to a Clock.
type EventKind string

const (
	EventStart   EventKind = "start"   // the period starts; the event date is the trigger day (not counted)
	EventPause   EventKind = "pause"   // 中止 / time not counted from this date (inclusive)
	EventResume  EventKind = "resume"  // counting resumes on this date (the date counts again)
	EventExtend  EventKind = "extend"  // 延长, approved by someone, counted from the current due date
	EventRestart EventKind = "restart" // the full period starts again from this date (e.g. corrected request received)
)

// Event is one entry of a Clock's history. Start and extend events carry a
// snapshot of the rule's period, so a clock keeps the period that applied
// when it started even if configuration changes later.
type Event struct {
	Kind       EventKind `json:"kind"`
	Date       Date      `json:"date"`
	Rule       string    `json:"rule,omitempty"`
	Label      string    `json:"label,omitempty"`
	Basis      string    `json:"basis,omitempty"`
	Period     Period    `json:"period,omitzero"`
	Minimum    bool      `json:"minimum,omitempty"`
	Reason     string    `json:"reason,omitempty"`
	ApprovedBy string    `json:"approved_by,omitempty"`
}

// Clock is a statutory clock: a start, then any pauses, resumes, extensions
// and restarts, in date order. It holds only its history, which serializes
// to JSON for a database column; the due date is recomputed from the history
// and a Calendar whenever it is needed, so adding a year's schedule later
// corrects every open clock.
//
// How pauses count (the definition the whole program relies on): a pause on
// date P and a resume on date R stop the clock for the days P ≤ d < R. For a
// working-day clock the due date moves forward by exactly the working days in
// that range; for a calendar-day or month clock the nominal end moves forward
// by R − P calendar days and is then moved off a non-working day again.
// An extension adds its whole period counted from the current due date (that
// day not counted), by the extension's own unit.
type Clock struct {
	Events []Event `json:"events"`
}

// Start begins the clock for rule on trigger day from.
func (c *Clock) Start(rule Rule, from Date) error {
	if len(c.Events) > 0 {
		return apperr.New(apperr.Conflict, "期限已经开始计算，不能重复起算")
	}
	if from.IsZero() {
		return apperr.Field("from", "缺少起算日期")
	}
	if err := rule.Period.Validate(); err != nil {
		return err
	}
	c.Events = append(c.Events, Event{Kind: EventStart, Date: from, Rule: rule.Name, Label: rule.Label,
		Basis: rule.Basis, Period: rule.Period, Minimum: rule.Minimum})
	return nil
}

// Pause stops the clock from date d (inclusive) for reason.
func (c *Clock) Pause(cal *Calendar, d Date, reason string) error {
	st, err := c.checkNext(cal, d)
	if err != nil {
		return err
	}
	if st.Paused {
		return apperr.New(apperr.Conflict, "期限已于 %s 中止，尚未恢复", st.PausedSince)
	}
	if strings.TrimSpace(reason) == "" {
		return apperr.Field("reason", "请填写中止计算的原因")
	}
	if d.After(st.pauseLimit()) {
		return apperr.New(apperr.DeadlinePassed, "期限已于 %s 届满，不能再中止", st.Due)
	}
	c.Events = append(c.Events, Event{Kind: EventPause, Date: d, Reason: strings.TrimSpace(reason)})
	return nil
}

// Resume restarts counting on date d (d counts again).
func (c *Clock) Resume(cal *Calendar, d Date) error {
	st, err := c.checkNext(cal, d)
	if err != nil {
		return err
	}
	if !st.Paused {
		return apperr.New(apperr.Conflict, "期限没有中止，无需恢复")
	}
	c.Events = append(c.Events, Event{Kind: EventResume, Date: d})
	return nil
}

// Extend adds the period of rule (e.g. disclosure.reply_extension) to the
// current due date, approved by approvedBy on date d. The extension must be
// approved before the current period has run out.
func (c *Clock) Extend(cal *Calendar, rule Rule, approvedBy string, d Date) error {
	st, err := c.checkNext(cal, d)
	if err != nil {
		return err
	}
	if st.Paused {
		return apperr.New(apperr.Conflict, "期限中止期间不能延长，请先恢复计算")
	}
	if strings.TrimSpace(approvedBy) == "" {
		return apperr.Field("approved_by", "请填写批准延长的负责人")
	}
	if err := rule.Period.Validate(); err != nil {
		return err
	}
	if d.After(st.Due) {
		return apperr.New(apperr.DeadlinePassed, "期限已于 %s 届满，不能再延长", st.Due)
	}
	label := rule.Label
	if label == "" {
		label = "延长期限"
	}
	c.Events = append(c.Events, Event{Kind: EventExtend, Date: d, Rule: rule.Name, Label: label,
		Basis: rule.Basis, Period: rule.Period, ApprovedBy: strings.TrimSpace(approvedBy)})
	return nil
}

// ExtendBy extends by an explicit period when no named rule fits.
func (c *Clock) ExtendBy(cal *Calendar, p Period, approvedBy string, d Date) error {
	return c.Extend(cal, Rule{Label: "延长期限", Period: p}, approvedBy, d)
}

// Restart starts the full original period again from trigger day d, for
// reason (for example, the corrected application arrived: 政府信息公开条例
// art. 30). Earlier pauses and extensions stop mattering but stay in the
// history. A paused clock is resumed by a restart.
func (c *Clock) Restart(cal *Calendar, d Date, reason string) error {
	if _, err := c.checkNext(cal, d); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return apperr.Field("reason", "请填写重新起算的原因")
	}
	c.Events = append(c.Events, Event{Kind: EventRestart, Date: d, Reason: strings.TrimSpace(reason)})
	return nil
}

// checkNext verifies that an event on d may follow the history.
func (c *Clock) checkNext(cal *Calendar, d Date) (Status, error) {
	if len(c.Events) == 0 {
		return Status{}, apperr.New(apperr.Precondition, "期限尚未开始计算")
	}
	if d.IsZero() {
		return Status{}, apperr.Field("date", "缺少日期")
	}
	if last := c.Events[len(c.Events)-1].Date; d.Before(last) {
		return Status{}, apperr.Field("date", "日期 %s 早于上一次记录的日期 %s", d, last)
	}
	return c.Status(cal)
}

// Rule returns the name of the rule the clock was started with.
func (c *Clock) Rule() string {
	if len(c.Events) == 0 {
		return ""
	}
	return c.Events[0].Rule
}

// Status is a clock's computed state.
type Status struct {
	Rule    string `json:"rule"`
	Trigger Date   `json:"trigger"` // latest start or restart day
	// Due is the last day of the period. While the clock is paused it is
	// the due date as if counting resumed on the pause date; show the clock as
	// 中止 and use DaysLeft, which is frozen while paused.
	Due            Date   `json:"due"`
	Minimum        bool   `json:"minimum,omitempty"`
	Paused         bool   `json:"paused"`
	PausedSince    Date   `json:"paused_since,omitzero"`
	Provisional    bool   `json:"provisional"`
	UncoveredYears []int  `json:"uncovered_years,omitempty"`
	Steps          []Step `json:"steps"`

	unit Unit
	end  Date // nominal end before moving off a non-working day
}

// Step is one computed event, in Chinese, for timelines and Explain.
type Step struct {
	Kind EventKind `json:"kind"`
	Date Date      `json:"date"`
	Due  Date      `json:"due"` // due date after this event
	Text string    `json:"text"`
}

// pauseLimit is the last day a pause may begin: the due date for a
// working-day clock, the nominal end for calendar clocks (a pause inside the
// days added only because the end fell on a holiday has nothing left to stop).
func (s Status) pauseLimit() Date {
	if s.unit == WorkingDays {
		return s.Due
	}
	return s.end
}

// Status replays the history over cal.
func (c *Clock) Status(cal *Calendar) (Status, error) {
	if len(c.Events) == 0 || c.Events[0].Kind != EventStart {
		return Status{}, apperr.New(apperr.Precondition, "期限尚未开始计算")
	}
	start := c.Events[0]
	st := Status{Rule: start.Rule, Minimum: start.Minimum, unit: start.Period.Unit}
	uncovered := map[int]bool{}
	note := func(r Result) {
		for _, y := range r.UncoveredYears {
			uncovered[y] = true
		}
	}
	begin := func(e Event, prefix string) error {
		r, err := cal.Compute(start.Period, e.Date)
		if err != nil {
			return err
		}
		note(r)
		st.Trigger, st.Due, st.end, st.Paused, st.PausedSince = e.Date, r.Due, r.End, false, Date{}
		st.Steps = append(st.Steps, Step{Kind: e.Kind, Date: e.Date, Due: r.Due, Text: prefix + countText(r)})
		return nil
	}
	for i, e := range c.Events {
		switch e.Kind {
		case EventStart:
			if i != 0 {
				return Status{}, apperr.New(apperr.Invalid, "期限记录有误：第 %d 条重复起算", i+1)
			}
			prefix := ""
			if start.Label != "" {
				prefix = start.Label
				if start.Basis != "" {
					prefix += "（" + start.Basis + "）"
				}
				prefix += "："
			}
			if err := begin(e, prefix); err != nil {
				return Status{}, err
			}
		case EventRestart:
			if err := begin(e, fmt.Sprintf("因%s重新起算：", e.Reason)); err != nil {
				return Status{}, err
			}
		case EventPause:
			if st.Paused {
				return Status{}, apperr.New(apperr.Invalid, "期限记录有误：第 %d 条在中止期间再次中止", i+1)
			}
			st.Paused, st.PausedSince = true, e.Date
		case EventResume:
			if !st.Paused {
				return Status{}, apperr.New(apperr.Invalid, "期限记录有误：第 %d 条在未中止时恢复", i+1)
			}
			p := st.PausedSince
			var text string
			if st.unit == WorkingDays {
				k := cal.WorkingDaysBetween(p.AddDays(-1), e.Date.AddDays(-1))
				st.Due = cal.AddWorkingDays(st.Due, k)
				st.end = st.Due
				text = fmt.Sprintf("%s 起中止（%s），%s 恢复，中止期间 %d 个工作日不计入，截止顺延至 %s", p, pauseReason(c, i), e.Date, k, st.Due)
			} else {
				k := e.Date.DaysSince(p)
				st.end = st.end.AddDays(k)
				var names nameSet
				cal.mu.RLock()
				st.Due = cal.rollLocked(st.end, &names)
				cal.mu.RUnlock()
				text = fmt.Sprintf("%s 起中止（%s），%s 恢复，中止期间 %d 日不计入，截止顺延至 %s", p, pauseReason(c, i), e.Date, k, st.Due)
				if st.Due != st.end {
					text += fmt.Sprintf("（%s为%s，顺延）", st.end, offName(names.list, st.end))
				}
			}
			for _, y := range cal.uncovered(p, st.Due) {
				uncovered[y] = true
			}
			st.Paused, st.PausedSince = false, Date{}
			st.Steps = append(st.Steps, Step{Kind: e.Kind, Date: e.Date, Due: st.Due, Text: text})
		case EventExtend:
			if st.Paused {
				return Status{}, apperr.New(apperr.Invalid, "期限记录有误：第 %d 条在中止期间延长", i+1)
			}
			r, err := cal.Compute(e.Period, st.Due)
			if err != nil {
				return Status{}, err
			}
			note(r)
			text := fmt.Sprintf("%s 经%s批准%s，自原截止日 %s 起%s", e.Date, e.ApprovedBy, extendVerb(e), st.Due, strings.TrimPrefix(countText(r), st.Due.String()+" 起算（不含当日），"))
			st.Due, st.end = r.Due, r.End
			st.Steps = append(st.Steps, Step{Kind: e.Kind, Date: e.Date, Due: st.Due, Text: text})
		default:
			return Status{}, apperr.New(apperr.Invalid, "期限记录有误：第 %d 条类型“%s”无效", i+1, e.Kind)
		}
	}
	if st.Paused {
		st.Steps = append(st.Steps, Step{Kind: EventPause, Date: st.PausedSince, Due: st.Due,
			Text: fmt.Sprintf("%s 起中止（%s），尚未恢复，期限暂停计算", st.PausedSince, c.Events[len(c.Events)-1].Reason)})
	}
	for y := range uncovered {
		st.UncoveredYears = append(st.UncoveredYears, y)
	}
	sort.Ints(st.UncoveredYears)
	st.Provisional = len(st.UncoveredYears) > 0
	return st, nil
}

// pauseReason returns the reason of the pause that event i resumes.
func pauseReason(c *Clock, i int) string {
	for j := i - 1; j >= 0; j-- {
		if c.Events[j].Kind == EventPause {
			return c.Events[j].Reason
		}
	}
	return ""
}

func extendVerb(e Event) string {
	if e.Label != "" && e.Label != "延长期限" {
		return fmt.Sprintf("延长 %s（%s）", e.Period, e.Label)
	}
	return fmt.Sprintf("延长 %s", e.Period)
}

// countText describes one computation: "2026-09-28 起算（不含当日），按工作日计
// 20 日，期间遇国庆节假期顺延".
func countText(r Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s 起算（不含当日），", r.From)
	switch r.Period.Unit {
	case WorkingDays:
		fmt.Fprintf(&b, "按工作日计 %d 日", r.Period.N)
		if len(r.Holidays) > 0 {
			fmt.Fprintf(&b, "，期间遇%s假期顺延", strings.Join(r.Holidays, "、"))
		}
	case CalendarDays, Months:
		if r.Period.Unit == CalendarDays {
			fmt.Fprintf(&b, "按日计 %d 日，至 %s", r.Period.N, r.End)
		} else {
			fmt.Fprintf(&b, "按月计 %d 个月，至 %s", r.Period.N, r.End)
		}
		if r.Due != r.End {
			fmt.Fprintf(&b, "，该日为%s，顺延至 %s", offName(r.Holidays, r.End), r.Due)
		}
	}
	return b.String()
}

// offName names why day d is not a working day.
func offName(holidays []string, d Date) string {
	if len(holidays) > 0 {
		return strings.Join(holidays, "、") + "假期"
	}
	return d.WeekdayZH()
}

// Due returns the due date.
func (c *Clock) Due(cal *Calendar) (Date, error) {
	st, err := c.Status(cal)
	return st.Due, err
}

// Explain returns a Chinese explanation a person can check by hand, e.g.
// "依申请公开答复（…）：2026-09-28 起算（不含当日），按工作日计 20 日，期间遇国庆节假期顺延；截止 2026-10-30（星期五）".
func (c *Clock) Explain(cal *Calendar) (string, error) {
	st, err := c.Status(cal)
	if err != nil {
		return "", err
	}
	parts := make([]string, 0, len(st.Steps)+1)
	for _, s := range st.Steps {
		parts = append(parts, s.Text)
	}
	end := fmt.Sprintf("截止 %s（%s）", st.Due, st.Due.WeekdayZH())
	if st.Minimum {
		end = fmt.Sprintf("不得早于 %s（%s）结束", st.Due, st.Due.WeekdayZH())
	}
	if st.Paused {
		end = "恢复计算后重新确定截止日"
	}
	parts = append(parts, end)
	s := strings.Join(parts, "；")
	if st.Provisional {
		ys := make([]string, len(st.UncoveredYears))
		for i, y := range st.UncoveredYears {
			ys[i] = fmt.Sprint(y)
		}
		s += fmt.Sprintf("（%s 年放假安排未发布，日期为暂定）", strings.Join(ys, "、"))
	}
	return s, nil
}

// DaysLeft returns the working days from today (not counted) up to and
// including the due date: 0 on the due date itself, negative once overdue
// (the working days since the due date). While the clock is paused it is
// frozen at the working days that remained on the pause date (from the pause
// date inclusive).
func (c *Clock) DaysLeft(cal *Calendar, today Date) (int, error) {
	st, err := c.Status(cal)
	if err != nil {
		return 0, err
	}
	if st.Paused {
		return cal.WorkingDaysBetween(st.PausedSince.AddDays(-1), st.Due), nil
	}
	return cal.WorkingDaysBetween(today, st.Due), nil
}

// Overdue reports whether today is after the due date of a running clock.
// A paused clock is never overdue.
func (c *Clock) Overdue(cal *Calendar, today Date) (bool, error) {
	st, err := c.Status(cal)
	if err != nil {
		return false, err
	}
	return !st.Paused && today.After(st.Due), nil
}
