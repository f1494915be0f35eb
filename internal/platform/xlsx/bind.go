package xlsx

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/option"
)

// The column binder: the one header-to-field loop of every import. A module
// declares its columns once (header, required, how a cell is read), binds
// them to a read Table and reads each data row's cells as typed values; a
// cell that cannot be read, and any refusal of the module's own checks
// mapped back to its column, becomes a problem (sheet, row, column, reason),
// at most one per cell.

// CellKind is how the cells of an import column are read.
type CellKind int

const (
	// TextCell is trimmed text (Field.Max caps its length in characters).
	TextCell CellKind = iota
	// DateCell is a date in any form ParseDate reads (an Excel date cell
	// too), answered as YYYY-MM-DD.
	DateCell
	// MoneyCell is an amount in yuan, at most two decimals, not negative
	// (1234.5, 1,234.50, ￥1234.50, 1234.50元), answered in fen.
	MoneyCell
	// EnumCell is one of Field.Options, by label or by code, answered as
	// the code.
	EnumCell
	// IntCell is a whole number not below zero.
	IntCell
	// BoolCell is 是/否 (also Y/N, yes/no, 1/0); blank is 否.
	BoolCell
)

// Field declares one import column.
type Field struct {
	// Key names the column in the module's code and is the apperr field
	// name its checks report (so Record.Report finds the column); Header
	// when empty.
	Key string
	// Header is the text of row 1 (a trailing * in the file is ignored).
	Header string
	// Required: the column must be in the sheet and every row's cell filled.
	Required bool
	Kind     CellKind
	// Options are an EnumCell's codes and labels.
	Options []option.Option
	// Max is the longest TextCell in characters (0: no limit).
	Max int
}

func (f Field) key() string {
	if f.Key != "" {
		return f.Key
	}
	return f.Header
}

// Binder is a table's columns bound to declared fields.
type Binder struct {
	Sheet  string
	fields []Field
	byKey  map[string]int
	col    []int    // field → 0-based column, -1 when the sheet lacks it
	label  []string // field → "C（纠纷类型）"
	table  *Table
	probs  *Problems
	marked map[[2]int]bool // (row, column) pairs with a problem
	cols   []int           // the column of each problem, in the order added (-1: the row)
}

// BindMessages are the refusals of a sheet Bind cannot use; empty ones get
// the defaults.
type BindMessages struct {
	Missing string // %s the sheet, %s the missing headers joined with 、
}

// Bind matches fields to t's header row. An empty sheet, a sheet without a
// required column and a sheet without data rows are refused with an error on
// "file" naming the sheet (and the missing columns).
func Bind(t *Table, fields ...Field) (*Binder, error) {
	return BindWith(t, BindMessages{}, fields...)
}

// BindWith is Bind with the module's own wording of the refusals.
func BindWith(t *Table, msg BindMessages, fields ...Field) (*Binder, error) {
	if len(t.Rows) == 0 {
		return nil, apperr.Field("file", "工作表「%s」是空的", t.Sheet)
	}
	b := &Binder{Sheet: t.Sheet, fields: fields, byKey: map[string]int{}, col: make([]int, len(fields)), label: make([]string, len(fields)),
		table: t, probs: NewProblems(t.Sheet), marked: map[[2]int]bool{}}
	header := t.Header()
	var missing []string
	for i, f := range fields {
		if _, dup := b.byKey[f.key()]; dup {
			panic("xlsx: two import fields named " + f.key())
		}
		b.byKey[f.key()] = i
		b.col[i] = -1
		for j, h := range header {
			if HeaderText(h) == HeaderText(f.Header) {
				b.col[i], b.label[i] = j, ColumnLabel(j, f.Header)
				break
			}
		}
		if b.col[i] < 0 && f.Required {
			missing = append(missing, HeaderText(f.Header))
		}
	}
	if len(missing) > 0 {
		format := msg.Missing
		if format == "" {
			format = "工作表「%s」第 1 行缺少列：%s（请使用导入模板）"
		}
		return nil, apperr.Field("file", format, t.Sheet, strings.Join(missing, "、"))
	}
	if len(t.Data()) == 0 {
		return nil, apperr.Field("file", "工作表「%s」没有数据行", t.Sheet)
	}
	return b, nil
}

// Has reports whether the sheet holds the column of key.
func (b *Binder) Has(key string) bool { return b.col[b.field(key)] >= 0 }

// Label is the column of key as problems name it ("C（纠纷类型）"), or its
// header when the sheet lacks it.
func (b *Binder) Label(key string) string {
	i := b.field(key)
	if b.col[i] < 0 {
		return HeaderText(b.fields[i].Header)
	}
	return b.label[i]
}

func (b *Binder) field(key string) int {
	i, ok := b.byKey[key]
	if !ok {
		panic("xlsx: no import field " + key)
	}
	return i
}

// Records are the data rows (blank rows skipped).
func (b *Binder) Records() []Record {
	data := b.table.Data()
	out := make([]Record, len(data))
	for i, r := range data {
		out[i] = Record{Row: r, b: b}
	}
	return out
}

// Problems are what the rows read so far found, in the order found.
func (b *Binder) Problems() *Problems { return b.probs }

// List is the report: every problem, by row and then by column from left
// to right (a whole-row problem after the row's cells), never nil.
func (b *Binder) List() []RowError {
	idx := make([]int, len(b.probs.list))
	for i := range idx {
		idx[i] = i
	}
	pos := func(i int) int {
		if b.cols[i] < 0 {
			return math.MaxInt
		}
		return b.cols[i]
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		return cmp.Or(cmp.Compare(b.probs.list[x].Row, b.probs.list[y].Row), cmp.Compare(pos(x), pos(y)))
	})
	out := make([]RowError, len(idx))
	for i, j := range idx {
		out[i] = b.probs.list[j]
	}
	return out
}

// Record is one data row read through its binder.
type Record struct {
	Row
	b *Binder
}

// Cell is the trimmed text of key's cell ("" when the sheet lacks the
// column), unchecked.
func (r Record) Cell(key string) string {
	c := r.b.col[r.b.field(key)]
	if c < 0 {
		return ""
	}
	return r.Row.Cell(c)
}

// Add records a problem on key's column ("" for the whole row). A cell
// already reported (or a column the sheet lacks) is not reported again (the module's check of a value the
// binder could not read repeats nothing).
func (r Record) Add(key, reason string) {
	column := ""
	c := -1
	if key != "" {
		column = r.b.Label(key)
		c = r.b.col[r.b.field(key)]
	}
	if c >= 0 {
		if r.b.marked[[2]int{r.Num, c}] {
			return
		}
		r.b.marked[[2]int{r.Num, c}] = true
	}
	r.b.probs.Add(r.Num, column, reason)
	r.b.cols = append(r.b.cols, c)
}

// Addf is Add with a formatted reason.
func (r Record) Addf(key, format string, args ...any) { r.Add(key, fmt.Sprintf(format, args...)) }

// Bad reports whether the row has a problem so far.
func (r Record) Bad() bool { return r.b.probs.Bad(r.Num) }

// Reported reports whether key's cell already has a problem.
func (r Record) Reported(key string) bool {
	return r.b.marked[[2]int{r.Num, r.b.col[r.b.field(key)]}]
}

// Report adds the refusal err of the module's own check to the row: each
// apperr field error on the column whose key is its field name (or
// alias[field]), the others — and a message without fields — on whole (a
// key, or "" for the row).
func (r Record) Report(err error, alias map[string]string, whole string) {
	if err == nil {
		return
	}
	e := apperr.As(err)
	if e == nil {
		r.Add(whole, err.Error())
		return
	}
	if len(e.Fields) == 0 {
		r.Add(whole, e.Message)
		return
	}
	for _, f := range e.Fields {
		key := f.Field
		if a, ok := alias[key]; ok {
			key = a
		}
		if _, ok := r.b.byKey[key]; !ok {
			key = whole
		}
		r.Add(key, f.Message)
	}
}

// read returns key's trimmed cell, reporting an empty required one.
func (r Record) read(key string, kind CellKind) (string, Field, bool) {
	f := r.b.fields[r.b.field(key)]
	if f.Kind != kind {
		panic(fmt.Sprintf("xlsx: field %s is not read as kind %d", key, kind))
	}
	s := r.Cell(key)
	if s == "" {
		if f.Required {
			r.Add(key, HeaderText(f.Header)+"不能为空")
		}
		return "", f, false
	}
	return s, f, true
}

// Text is key's text; too long a text is reported (and still answered).
func (r Record) Text(key string) string {
	s, f, ok := r.read(key, TextCell)
	if ok && f.Max > 0 && utf8.RuneCountInString(s) > f.Max {
		r.Addf(key, "%s不能超过 %d 个字", HeaderText(f.Header), f.Max)
	}
	return s
}

// Date is key's date as YYYY-MM-DD, "" when blank or unreadable (reported).
func (r Record) Date(key string) string {
	s, f, ok := r.read(key, DateCell)
	if !ok {
		return ""
	}
	d, ok := ParseDate(s)
	if !ok || d.IsZero() {
		r.Addf(key, "%s格式应为 YYYY-MM-DD", HeaderText(f.Header))
		return ""
	}
	return d.String()
}

// Money is key's amount in fen (0 when blank or unreadable, reported).
func (r Record) Money(key string) int64 {
	s, f, ok := r.read(key, MoneyCell)
	if !ok {
		return 0
	}
	fen, ok := ParseYuan(s)
	if !ok {
		r.Addf(key, "%s应为不小于 0 的金额（元，最多两位小数）", HeaderText(f.Header))
	}
	return fen
}

// Enum is key's code ("" when blank or not in the list, reported with the
// labels allowed).
func (r Record) Enum(key string) string {
	s, f, ok := r.read(key, EnumCell)
	if !ok {
		return ""
	}
	v, ok := option.Value(f.Options, s)
	if !ok {
		r.Addf(key, "%s应为：%s", HeaderText(f.Header), option.Joined(f.Options))
	}
	return v
}

// Int is key's whole number (0 when blank or unreadable, reported).
func (r Record) Int(key string) int64 {
	s, f, ok := r.read(key, IntCell)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSuffix(s, ".0"), 10, 64)
	if err != nil || n < 0 {
		r.Addf(key, "%s应为不小于 0 的整数", HeaderText(f.Header))
		return 0
	}
	return n
}

// Bool is key's 是/否 (false when blank or unreadable, reported).
func (r Record) Bool(key string) bool {
	s, f, ok := r.read(key, BoolCell)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "是", "y", "yes", "1", "true":
		return true
	case "否", "n", "no", "0", "false":
		return false
	}
	r.Addf(key, "%s应填“是”或“否”", HeaderText(f.Header))
	return false
}

// Value is key's cell in its normal text form, read by its kind (a date as
// YYYY-MM-DD, an enum as its code, an amount in fen, 是/否 as "1"/"0"),
// for modules whose checks take text inputs; problems as for the typed
// reads.
func (r Record) Value(key string) string {
	switch r.b.fields[r.b.field(key)].Kind {
	case DateCell:
		return r.Date(key)
	case EnumCell:
		return r.Enum(key)
	case MoneyCell:
		if r.Cell(key) == "" {
			return ""
		}
		return strconv.FormatInt(r.Money(key), 10)
	case IntCell:
		if r.Cell(key) == "" {
			return ""
		}
		return strconv.FormatInt(r.Int(key), 10)
	case BoolCell:
		if r.Bool(key) {
			return "1"
		}
		return "0"
	}
	return r.Text(key)
}

// ParseYuan reads an amount in yuan (at most two decimals, not negative,
// thousands separators and a ￥ or 元 allowed) as fen.
func ParseYuan(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "￥"), "¥")
	s = strings.TrimSpace(strings.TrimSuffix(s, "元"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || strings.ContainsAny(s, "eEx_+") {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f > 1e13 {
		return 0, false
	}
	fen := math.Round(f * 100)
	if math.Abs(fen-f*100) > 1e-6 {
		return 0, false
	}
	return int64(fen), true
}
