package exam

import "testing"

// Every demo question passes the bank's own checks, and the bank has the
// size the demo exams draw from.
func TestDemoBankIsValid(t *testing.T) {
	bank := DemoBank()
	if len(bank) != 120 {
		t.Fatalf("%d questions", len(bank))
	}
	for i, q := range bank {
		if v := checkQuestion(&q); len(v) > 0 {
			t.Errorf("question %d %q: %v", i, q.Stem, v.Err())
		}
	}
}
