// Package mask hides personal data shown to people without the right to
// see it in full (lists, exports, public pages). One behaviour everywhere:
// call these instead of writing a masker in a module.
package mask

import "strings"

// Phone keeps the first three and last four characters of a phone number
// of at least eight (13812345678 → 138****5678, 023-6888 1234 keeps its
// area code and last four); a shorter one is all asterisks.
func Phone(p string) string {
	return keep(strings.TrimSpace(p), 3, 4, 8)
}

// IDNumber keeps the region code (first six) and the last four characters
// of an identity card number of 15 or 18 characters; anything shorter is
// all asterisks.
func IDNumber(id string) string {
	return keep(strings.TrimSpace(id), 6, 4, 15)
}

// Address keeps the first six characters (province, city, district as a
// rule) and hides the rest behind four asterisks.
func Address(a string) string {
	r := []rune(strings.TrimSpace(a))
	if len(r) <= 6 {
		return string(r)
	}
	return string(r[:6]) + "****"
}

// keep shows head and tail runes of s when it has at least min runes, with
// the middle as asterisks; otherwise every rune becomes an asterisk.
func keep(s string, head, tail, min int) string {
	r := []rune(s)
	if len(r) < min {
		return strings.Repeat("*", len(r))
	}
	return string(r[:head]) + strings.Repeat("*", len(r)-head-tail) + string(r[len(r)-tail:])
}

// Name keeps the first character of each person's name (names separated by
// 、，, ; or spaces: a case's parties) and hides the rest: 张三、李四 → 张*、李*.
func Name(names string) string {
	var b strings.Builder
	first := true
	for _, r := range strings.TrimSpace(names) {
		switch {
		case strings.ContainsRune("、，,;； ", r):
			b.WriteRune(r)
			first = true
		case first:
			b.WriteRune(r)
			first = false
		default:
			b.WriteRune('*')
		}
	}
	return b.String()
}
