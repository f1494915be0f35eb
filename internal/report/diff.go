package report

import (
	"sort"
)

// Op is one run of a paragraph diff: kept, deleted (in the older version
// only) or inserted (in the newer one only).
type Op struct {
	Op   string `json:"op" enum:"eq,del,ins"`
	Text string `json:"text"`
}

// ParaDiff compares one paragraph between two versions.
type ParaDiff struct {
	Key     string `json:"key"`
	Heading string `json:"heading"`
	Change  string `json:"change" enum:"same,changed,added,removed"`
	Ops     []Op   `json:"ops"`
}

// FigureDiff is a figure whose value differs between two versions.
type FigureDiff struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// Comparison is the difference between two frozen versions.
type Comparison struct {
	From       VersionRef   `json:"from"`
	To         VersionRef   `json:"to"`
	TitleFrom  string       `json:"title_from"`
	TitleTo    string       `json:"title_to"`
	Paragraphs []ParaDiff   `json:"paragraphs"`
	Figures    []FigureDiff `json:"figures"`
	Changed    int          `json:"changed" doc:"有变化的段落数"`
}

// maxDiffRunes bounds the character diff of one paragraph (O(n·m));
// longer paragraphs that differ are shown as replaced whole.
const maxDiffRunes = 4000

// compare diffs two versions paragraph by paragraph (by key) and figure by
// figure.
func compare(a, b FrozenVersion) Comparison {
	c := Comparison{From: a.VersionRef, To: b.VersionRef, TitleFrom: a.Title, TitleTo: b.Title, Paragraphs: []ParaDiff{}, Figures: []FigureDiff{}}
	fa, fb := flatten(a.Sections), flatten(b.Sections)
	inB := map[string]Flat{}
	for _, p := range fb {
		inB[p.Key] = p
	}
	inA := map[string]bool{}
	for _, p := range fa {
		inA[p.Key] = true
		q, ok := inB[p.Key]
		switch {
		case !ok:
			c.Paragraphs = append(c.Paragraphs, ParaDiff{Key: p.Key, Heading: p.Heading, Change: "removed", Ops: []Op{{Op: "del", Text: p.Rendered}}})
			c.Changed++
		case p.Rendered == q.Rendered:
			c.Paragraphs = append(c.Paragraphs, ParaDiff{Key: p.Key, Heading: q.Heading, Change: "same", Ops: []Op{{Op: "eq", Text: p.Rendered}}})
		default:
			c.Paragraphs = append(c.Paragraphs, ParaDiff{Key: p.Key, Heading: q.Heading, Change: "changed", Ops: diffText(p.Rendered, q.Rendered)})
			c.Changed++
		}
	}
	for _, q := range fb {
		if !inA[q.Key] {
			c.Paragraphs = append(c.Paragraphs, ParaDiff{Key: q.Key, Heading: q.Heading, Change: "added", Ops: []Op{{Op: "ins", Text: q.Rendered}}})
			c.Changed++
		}
	}
	for code, x := range a.Figures {
		y, ok := b.Figures[code]
		if ok && x.Text != y.Text {
			c.Figures = append(c.Figures, FigureDiff{Code: code, Name: y.Name, Before: x.Text, After: y.Text})
		}
	}
	sort.Slice(c.Figures, func(i, j int) bool { return c.Figures[i].Code < c.Figures[j].Code })
	return c
}

// diffText is a character diff (longest common subsequence) of a and b,
// merged into runs.
func diffText(a, b string) []Op {
	ra, rb := []rune(a), []rune(b)
	// Common prefix and suffix first: edits are usually local.
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	var ops []Op
	add := func(op string, r []rune) {
		if len(r) == 0 {
			return
		}
		if n := len(ops); n > 0 && ops[n-1].Op == op {
			ops[n-1].Text += string(r)
			return
		}
		ops = append(ops, Op{Op: op, Text: string(r)})
	}
	add("eq", ra[:p])
	ma, mb := ra[p:len(ra)-s], rb[p:len(rb)-s]
	if len(ma) > maxDiffRunes || len(mb) > maxDiffRunes {
		add("del", ma)
		add("ins", mb)
	} else {
		n, m := len(ma), len(mb)
		l := make([][]int32, n+1)
		for i := range l {
			l[i] = make([]int32, m+1)
		}
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				if ma[i] == mb[j] {
					l[i][j] = l[i+1][j+1] + 1
				} else {
					l[i][j] = max(l[i+1][j], l[i][j+1])
				}
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				add("eq", ma[i:i+1])
				i++
				j++
			case j < m && (i == n || l[i][j+1] >= l[i+1][j]):
				add("ins", mb[j:j+1])
				j++
			default:
				add("del", ma[i:i+1])
				i++
			}
		}
	}
	add("eq", ra[len(ra)-s:])
	if ops == nil {
		ops = []Op{}
	}
	return ops
}
