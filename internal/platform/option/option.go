// Package option is the one code-with-label type of every module's closed
// lists (kinds, channels, outcomes …): the selects of the pages, the labels
// of exports and the values an import accepts by code or by label.
package option

import "strings"

// Option is a stored code with its Chinese label.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// Label is the label of code v, or v itself when the list does not hold it
// (an old code still stored shows as it is rather than as nothing).
func Label(opts []Option, v string) string {
	for _, o := range opts {
		if o.Value == v {
			return o.Label
		}
	}
	return v
}

// Value accepts a code or its label (imports carry labels) and answers the
// code; false when s is neither.
func Value(opts []Option, s string) (string, bool) {
	for _, o := range opts {
		if s == o.Value || s == o.Label {
			return o.Value, true
		}
	}
	return "", false
}

// Labels lists the labels in order (drop-down lists of import templates).
func Labels(opts []Option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Label
	}
	return out
}

// Joined is the labels joined with 、, for messages naming what is allowed.
func Joined(opts []Option) string { return strings.Join(Labels(opts), "、") }
