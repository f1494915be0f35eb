package auth

import "testing"

// ActsFor grants a body's own acts for exactly the units of the scope: a
// subtree range does not pass the right to the units below it.
func TestActsForExactUnits(t *testing.T) {
	a := &Actor{UnitPath: "/1/2/", Perms: map[string]Scope{
		"x.certify": {Ranges: []UnitRange{{Path: "/1/", Subtree: true}}},
		"y.certify": {All: true},
	}}
	for _, c := range []struct {
		perm, path string
		want       bool
	}{
		{"x.certify", "/1/", true},
		{"x.certify", "/1/2/", false}, // below the granted unit
		{"x.certify", "", false},
		{"y.certify", "/1/9/", true},
		{"z.certify", "/1/", false},
	} {
		if got := a.ActsFor(c.perm, c.path); got != c.want {
			t.Errorf("ActsFor(%s, %q) = %v, want %v", c.perm, c.path, got, c.want)
		}
	}
	if !a.Within("/1/") || !a.Within("/1/2/") || a.Within("/1/3/") || a.Within("") {
		t.Error("Within")
	}
	if SystemActor("x").Within("/1/") {
		t.Error("the system actor belongs to no unit")
	}
}
