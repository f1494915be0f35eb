package option

import (
	"slices"
	"testing"
)

func TestOption(t *testing.T) {
	opts := []Option{{"written", "书面协议"}, {"oral", "口头协议"}}
	if got := Label(opts, "oral"); got != "口头协议" {
		t.Fatalf("Label = %q", got)
	}
	if got := Label(opts, "gone"); got != "gone" {
		t.Fatalf("an unknown code shows as itself, got %q", got)
	}
	for _, in := range []string{"written", "书面协议"} {
		if v, ok := Value(opts, in); !ok || v != "written" {
			t.Fatalf("Value(%q) = %q, %v", in, v, ok)
		}
	}
	if v, ok := Value(opts, "书面"); ok || v != "" {
		t.Fatalf("a partial label is not accepted: %q, %v", v, ok)
	}
	if got := Labels(opts); !slices.Equal(got, []string{"书面协议", "口头协议"}) {
		t.Fatalf("Labels = %v", got)
	}
	if got := Joined(opts); got != "书面协议、口头协议" {
		t.Fatalf("Joined = %q", got)
	}
	if got := Labels(nil); got == nil || len(got) != 0 {
		t.Fatalf("Labels(nil) = %#v, want an empty list", got)
	}
}
