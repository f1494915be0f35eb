// Package search is fazhi's Chinese full-text search, shared by every module
// that needs one (normative documents, the portal, case registers). Text is
// split in Go into overlapping CJK bigrams and lowercase Latin/digit words
// (STACK-NOTES.md: trigram tokenizers find nothing for two-character words,
// and PostgreSQL has no Chinese parser in Debian), the tokens are stored in
// one shared table, and searched with FTS5 (unicode61) on SQLite and
// to_tsvector('simple') with a GIN index on PostgreSQL. Queries are tokenized
// the same way and every token must match.
package search

import (
	"strings"
	"unicode"
)

// isCJK reports whether r belongs to a script written without spaces.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

// fold maps full-width ASCII (Ａ–ｚ, ０–９) to ASCII and lowercases.
func fold(r rune) rune {
	if r >= 0xFF01 && r <= 0xFF5E {
		r -= 0xFEE0
	}
	return unicode.ToLower(r)
}

// Tokens splits text into search tokens: each run of CJK characters gives
// its overlapping bigrams ("养老服务" → 养老 老服 服务; a lone character gives
// itself), each run of letters or digits gives one lowercase word, and
// everything else separates tokens. Repeated tokens are kept once, in order
// of first appearance.
func Tokens(text string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	var cjk []rune
	var word strings.Builder
	flushCJK := func() {
		if len(cjk) == 1 {
			add(string(cjk))
		}
		for i := 0; i+1 < len(cjk); i++ {
			add(string(cjk[i : i+2]))
		}
		cjk = cjk[:0]
	}
	flushWord := func() {
		if word.Len() > 0 {
			add(word.String())
			word.Reset()
		}
	}
	for _, r := range text {
		r = fold(r)
		switch {
		case isCJK(r):
			flushWord()
			cjk = append(cjk, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushCJK()
			word.WriteRune(r)
		default:
			flushCJK()
			flushWord()
		}
	}
	flushCJK()
	flushWord()
	return out
}

// Query is a parsed search query: every term must match.
type Query struct {
	Terms []Term
}

// Term is one query token; Prefix marks a lone CJK character, which can only
// be found as the start of an indexed bigram.
type Term struct {
	Text   string
	Prefix bool
}

// Parse tokenizes a user's query exactly as Index tokenizes documents.
func Parse(q string) Query {
	var out Query
	for _, t := range Tokens(q) {
		r := []rune(t)
		out.Terms = append(out.Terms, Term{Text: t, Prefix: len(r) == 1 && isCJK(r[0])})
	}
	return out
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// fts5 renders the query for SQLite FTS5 MATCH: quoted terms, implicitly
// ANDed. Terms hold only letters and digits, so quoting cannot be escaped.
func (q Query) fts5() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		parts[i] = `"` + t.Text + `"`
		if t.Prefix {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// tsquery renders the query for PostgreSQL to_tsquery('simple', …).
func (q Query) tsquery() string {
	parts := make([]string, len(q.Terms))
	for i, t := range q.Terms {
		parts[i] = "'" + t.Text + "'"
		if t.Prefix {
			parts[i] += ":*"
		}
	}
	return strings.Join(parts, " & ")
}
