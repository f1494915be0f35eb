package xlsx

import "testing"

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2026-03-05": "2026-03-05", "2026/3/5": "2026-03-05", "2026.3.5": "2026-03-05", "2026年3月5日": "2026-03-05",
		" 2026-3-5 ": "2026-03-05", "46086": "2026-03-05", "46086.5": "2026-03-05", "03-05-26": "2026-03-05",
		"2024-02-29": "2024-02-29",
	} {
		d, ok := ParseDate(in)
		if !ok || d.String() != want {
			t.Errorf("ParseDate(%q) = %v %v, want %s", in, d, ok, want)
		}
	}
	if d, ok := ParseDate(""); !ok || !d.IsZero() {
		t.Errorf("empty cell: %v %v, want the zero date", d, ok)
	}
	for _, bad := range []string{"2026-02-30", "2025-02-29", "2026-13-01", "1900-01-01", "12345", "0", "-3", "明天", "2026-03", "2026-3-5-1"} {
		if d, ok := ParseDate(bad); ok {
			t.Errorf("ParseDate(%q) = %v, want not ok", bad, d)
		}
	}
}
