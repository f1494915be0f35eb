package xlsx

import (
	"fmt"
	"strconv"
	"strings"

	"fazhi/internal/platform/apperr"
)

// RowError is one bad cell (or row, with Column "") of an import. Modules'
// own ImportProblem types have the same fields and convert directly.
type RowError struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column"`
	Reason string `json:"reason"`
}

// String renders the problem for people: 工作表「台账」第 3 行 C（文号）：文号不能为空.
func (e RowError) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "工作表「%s」第 %d 行", e.Sheet, e.Row)
	if e.Column != "" {
		b.WriteString(" ")
		b.WriteString(e.Column)
	}
	b.WriteString("：")
	b.WriteString(e.Reason)
	return b.String()
}

// Field is the apperr field name of the problem: "sheet!row:column".
func (e RowError) Field() string {
	return e.Sheet + "!" + strconv.Itoa(e.Row) + ":" + e.Column
}

// Problems collects the bad cells of one sheet in the order found.
type Problems struct {
	Sheet string
	list  []RowError
	bad   map[int]bool
}

// NewProblems starts a collector for sheet.
func NewProblems(sheet string) *Problems { return &Problems{Sheet: sheet} }

// Add records reason against row and column (a ColumnLabel, or "" for the
// whole row).
func (p *Problems) Add(row int, column, reason string) {
	p.list = append(p.list, RowError{Sheet: p.Sheet, Row: row, Column: column, Reason: reason})
	if p.bad == nil {
		p.bad = map[int]bool{}
	}
	p.bad[row] = true
}

// Addf is Add with a formatted reason.
func (p *Problems) Addf(row int, column, format string, args ...any) {
	p.Add(row, column, fmt.Sprintf(format, args...))
}

// Len is the number of problems so far.
func (p *Problems) Len() int { return len(p.list) }

// Bad reports whether row has a problem.
func (p *Problems) Bad(row int) bool { return p.bad[row] }

// BadRows is the number of distinct rows with a problem.
func (p *Problems) BadRows() int { return len(p.bad) }

// List returns the problems, never nil (reports render [] rather than null).
func (p *Problems) List() []RowError {
	return append([]RowError{}, p.list...)
}

// Text is the Chinese report, one problem a line.
func (p *Problems) Text() string {
	lines := make([]string, len(p.list))
	for i, e := range p.list {
		lines[i] = e.String()
	}
	return strings.Join(lines, "\n")
}

// Fields returns the problems as apperr field errors named "sheet!row:column".
func (p *Problems) Fields() apperr.Fields {
	var f apperr.Fields
	for _, e := range p.list {
		f = append(f, apperr.FieldError{Field: e.Field(), Message: e.String()})
	}
	return f
}

// Err is nil without problems, otherwise an Invalid error listing them.
func (p *Problems) Err() error { return p.Fields().Err() }
