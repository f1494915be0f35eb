package calendar

import (
	"testing"
	"time"
)

func TestDeadlinesAdapterEndOfDueDay(t *testing.T) {
	// Activated 2026-09-30 10:00 Shanghai; 3 working days skip 国庆 (10-01..10-07):
	// 10-08 (1), 10-09 (2), make-up Saturday 10-10 (3).
	from := time.Date(2026, 9, 30, 10, 0, 0, 0, Shanghai)
	got := Deadlines{Cal: Default()}.AddWorkingDays(from, 3)
	want := time.Date(2026, 10, 10, 23, 59, 59, 0, Shanghai).UTC()
	if !got.Equal(want) {
		t.Fatalf("due %v, want %v", got, want)
	}
}
