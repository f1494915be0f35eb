package calendar

import "fazhi/internal/platform/apperr"

// MinYear and MaxYear bound every date a person enters or imports: a year
// outside them is a typing error (0000-01-01, 1926 for 2026), never a date
// to compute a deadline from. xlsx.ParseDate uses the same bounds.
const (
	MinYear = 1949
	MaxYear = 2100
)

// Span is the sane range of one kind of date, both ends inclusive. A zero
// From or To stands for MinYear-01-01 or MaxYear-12-31. Done marks a date
// that records what has happened (To is then today, and the refusal says
// so).
type Span struct {
	From, To Date
	Done     bool
}

// Happened is the span of a date that records what has happened: from
// (zero: MinYear) up to today.
func Happened(from, today Date) Span { return Span{From: from, To: today, Done: true} }

// CheckDate reads the YYYY-MM-DD value of an entered date field (field is
// its JSON name, label its Chinese name) for the record kind's span sp.
// An empty value is refused when required (a missing date never silently
// becomes today) and is otherwise the zero Date; a bad format or a day
// outside sp is refused naming the field. Refusals go to v, and the result
// is then the zero Date. The value is read as given (a caller that accepts
// surrounding spaces trims before, and keeps the returned Date, never its
// own string). Every module validates entered dates here.
func CheckDate(v *apperr.Fields, field, label, value string, required bool, sp Span) Date {
	if value == "" {
		if required {
			v.Add(field, "请填写%s", label)
		}
		return Date{}
	}
	d, err := ParseDate(value)
	if err != nil {
		v.Add(field, "%s格式应为 YYYY-MM-DD", label)
		return Date{}
	}
	from, to := sp.From, sp.To
	if from.IsZero() || from.Year < MinYear {
		from = Date{MinYear, 1, 1}
	}
	if to.IsZero() || to.Year > MaxYear {
		to = Date{MaxYear, 12, 31}
	}
	switch {
	case d.Before(from):
		v.Add(field, "%s不能早于 %s", label, from)
	case d.After(to) && sp.Done && to == sp.To:
		v.Add(field, "%s不能晚于今天（%s）：这里登记的是已经发生的事项", label, to)
	case d.After(to):
		v.Add(field, "%s不能晚于 %s", label, to)
	default:
		return d
	}
	return Date{}
}
