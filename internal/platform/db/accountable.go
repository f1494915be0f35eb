package db

import "fmt"

// Accountable is the SQL condition for the records that had to be done in
// the period from–to — the denominator of an "on time" rate: those done in
// the period (doneOn in it), and those still open whose deadline (dueOn)
// fell in the period and has passed (before today). An open record past
// its deadline is not on time; a rate over done records only would leave
// out exactly what went wrong. done and open are SQL conditions on the
// record's status (a record that is neither, such as a withdrawn one, is
// never counted); doneOn and dueOn are YYYY-MM-DD date columns. An empty
// from or to leaves that side of the period open.
func Accountable(done, open, doneOn, dueOn, from, to, today string) (string, []any) {
	if from == "" {
		from = "0000-01-01"
	}
	if to == "" {
		to = "9999-12-31"
	}
	return fmt.Sprintf("((%s AND %s >= ? AND %s <= ?) OR (%s AND %s >= ? AND %s <= ? AND %s < ?))", done, doneOn, doneOn, open, dueOn, dueOn, dueOn),
		[]any{from, to, from, to, today}
}
