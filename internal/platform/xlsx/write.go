// Package xlsx holds the ledger import/export helpers every module shares:
// a one-sheet streaming export with a styled, frozen, filterable header, and
// the reading side of imports (open with limits, header lookup, data rows,
// per-cell problems with sheet, row, column and a Chinese reason).
package xlsx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Kind is how a column's values are written.
type Kind int

const (
	// Text writes values as they come (strings as text, numbers as numbers).
	Text Kind = iota
	// Date writes "YYYY-MM-DD" strings, time.Time values and Stringers that
	// print a date as real Excel dates shown as yyyy-mm-dd.
	Date
	// DateTime writes "YYYY-MM-DD HH:MM[:SS]" strings and time.Time values
	// (in Beijing time) as Excel date-times shown as yyyy-mm-dd hh:mm:ss.
	DateTime
)

// Column is one column of an exported sheet.
type Column struct {
	Title string
	// Kind says how values are written; Text by default.
	Kind Kind
	// Width is the least width in characters; the width is otherwise
	// computed from the header and the first rows (CJK counted double).
	Width float64
	// Choices, when set, become a drop-down list (data validation) over the
	// column's data rows; used by import templates for coded columns.
	Choices []string
}

// Sheet describes one exported worksheet.
type Sheet struct {
	// Name is the worksheet name (at most 31 characters).
	Name string
	// Title is printed in the page header; Name when empty.
	Title   string
	Columns []Column
	// Instructions, when set, are written one line per row on a second
	// sheet named 填写说明 (import templates).
	Instructions []string
}

// HeaderFill is the light fill behind the header row.
const HeaderFill = "#DDEBF7"

// InstructionsSheet is the name of a template's instructions sheet.
const InstructionsSheet = "填写说明"

// SampleRows is how many data rows are held back to size the columns before
// the rest are streamed.
const SampleRows = 300

// MaxWidth caps a computed column width; longer text wraps.
const MaxWidth = 40

// TemplateRows is how many rows a template's drop-down lists cover.
const TemplateRows = 5000

// Stream writes a workbook with s as its first sheet to w, taking the data
// rows from rows (values in column order). The header is bold and filled,
// frozen and filtered; column widths come from the header and the first
// SampleRows rows; Date columns hold real dates; every sheet prints
// landscape on A4, one page wide, repeating the header row, with the title
// and the print date in the page header.
//
// Rows are buffered by excelize's stream writer (spilling to a temporary
// file past 16 MiB), so memory stays flat however many rows come. Nothing is
// written to w before rows has been read to its end without error, so a
// handler can still answer with an error if the iterator fails.
func Stream(w io.Writer, s Sheet, rows iter.Seq2[[]any, error]) error {
	f := excelize.NewFile()
	defer f.Close()
	wr, err := newWriter(f, s)
	if err != nil {
		return err
	}
	if err := wr.writeAll(rows); err != nil {
		return err
	}
	if len(s.Instructions) > 0 {
		if err := writeInstructions(f, s.Instructions); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return writeZip(f, w)
}

// writeZip writes the workbook's parts straight into w. excelize's own
// WriteTo first assembles the whole .xlsx in a bytes.Buffer (79 MB for a
// million findings, twice that while the buffer doubles) and only then
// copies it out: the zip writer hook hands it w instead, so the file leaves
// as it is compressed and the buffer stays empty. Compression is flate's
// fastest level: the sheet XML is highly repetitive (the file grows by about
// a tenth) and the default level costs several times more CPU on a long
// export. The zip64 local-header fix-up excelize applies to its buffer only
// concerns parts over 4 GiB, which an export never reaches (1 M rows of the
// findings ledger are about 500 MB of XML).
func writeZip(f *excelize.File, w io.Writer) error {
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
	buf, err := f.WriteToBuffer()
	if err != nil {
		return err
	}
	if buf.Len() > 0 {
		// Nothing should be left there; if excelize ever writes to its own
		// buffer again, the file must not be lost.
		_, err = buf.WriteTo(w)
	}
	return err
}

// StreamBytes is Stream into memory, for small workbooks (templates) and
// callers that need the bytes.
func StreamBytes(s Sheet, rows iter.Seq2[[]any, error]) ([]byte, error) {
	var buf bytes.Buffer
	if err := Stream(&buf, s, rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Rows turns a callback that adds rows one at a time into the iterator
// Stream takes. An error returned by fill ends the sequence with that error.
func Rows(fill func(add func(values ...any) error) error) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		stopped := false
		err := fill(func(values ...any) error {
			if stopped {
				return errStopped
			}
			if !yield(values, nil) {
				stopped = true
				return errStopped
			}
			return nil
		})
		if err != nil && !stopped && !errors.Is(err, errStopped) {
			yield(nil, err)
		}
	}
}

// Slice is an iterator over rows already in memory.
func Slice(rows [][]any) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

var errStopped = errors.New("xlsx: rows no longer wanted")

// Write streams a one-sheet workbook whose rows come from the add callback.
// It is Stream with the sheet named sheet and titled the same.
func Write(w io.Writer, sheet string, cols []Column, rows func(add func(values ...any) error) error) error {
	return Stream(w, Sheet{Name: sheet, Columns: cols}, Rows(rows))
}

// Bytes is Write into memory, for handlers that send the file in one piece.
func Bytes(sheet string, cols []Column, rows func(add func(values ...any) error) error) ([]byte, error) {
	return StreamBytes(Sheet{Name: sheet, Columns: cols}, Rows(rows))
}

// writer is one sheet being streamed.
type writer struct {
	f      *excelize.File
	s      Sheet
	sw     *excelize.StreamWriter
	header int
	date   int
	dtime  int
	wrap   int
	plain  int // data cells: vertically centred, like wrapped neighbours
	wraps  []bool
	widths []float64 // final column widths, once sized
	n      int       // rows written, header included
}

func newWriter(f *excelize.File, s Sheet) (*writer, error) {
	if s.Name == "" {
		s.Name = "Sheet1"
	}
	if s.Title == "" {
		s.Title = s.Name
	}
	if err := f.SetSheetName("Sheet1", s.Name); err != nil {
		return nil, err
	}
	wr := &writer{f: f, s: s, wraps: make([]bool, len(s.Columns)), widths: make([]float64, len(s.Columns))}
	var err error
	if wr.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{HeaderFill}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "#9BC2E6", Style: 1}},
	}); err != nil {
		return nil, err
	}
	dateFmt, dtFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm:ss"
	if wr.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}); err != nil {
		return nil, err
	}
	if wr.dtime, err = f.NewStyle(&excelize.Style{CustomNumFmt: &dtFmt, Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}); err != nil {
		return nil, err
	}
	if wr.wrap, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	if wr.plain, err = f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "center"}}); err != nil {
		return nil, err
	}
	// The sheet properties precede the data in the XML: the stream writer
	// writes them when it is created, so fit-to-page is set first.
	if err := f.SetSheetProps(s.Name, &excelize.SheetPropsOptions{FitToPage: ptr(true)}); err != nil {
		return nil, err
	}
	if err := printSetup(f, s); err != nil {
		return nil, err
	}
	if wr.sw, err = f.NewStreamWriter(s.Name); err != nil {
		return nil, err
	}
	if err := wr.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return nil, err
	}
	return wr, nil
}

// printSetup: A4 landscape, one page wide and as many pages down as
// needed, narrow margins, the header row repeated on every page, the title
// and the print date in the page header, page numbers in the footer.
func printSetup(f *excelize.File, s Sheet) error {
	if err := f.SetPageLayout(s.Name, &excelize.PageLayoutOptions{
		Size: ptr(9), Orientation: ptr("landscape"), FitToWidth: ptr(1), FitToHeight: ptr(0),
	}); err != nil {
		return err
	}
	if err := f.SetPageMargins(s.Name, &excelize.PageLayoutMarginsOptions{
		Top: ptr(0.75), Bottom: ptr(0.6), Left: ptr(0.4), Right: ptr(0.4), Header: ptr(0.3), Footer: ptr(0.3),
		Horizontally: ptr(true),
	}); err != nil {
		return err
	}
	title := headerText(s.Title, 80)
	if err := f.SetHeaderFooter(s.Name, &excelize.HeaderFooterOptions{
		OddHeader: `&C&"-,Bold"&12` + title + `&R打印日期：&D`,
		OddFooter: `&C第 &P 页，共 &N 页`,
	}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: quoteSheet(s.Name) + "!$1:$1", Scope: s.Name})
}

// headerText escapes & for a header/footer field and cuts it to n runes.
func headerText(s string, n int) string {
	if utf8.RuneCountInString(s) > n {
		s = string([]rune(s)[:n])
	}
	return strings.ReplaceAll(s, "&", "&&")
}

func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

func ptr[T any](v T) *T { return &v }

// writeAll buffers the first SampleRows rows to size the columns, writes
// them, then streams the rest.
func (wr *writer) writeAll(rows iter.Seq2[[]any, error]) error {
	cols := wr.s.Columns
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = textWidth(c.Title) + 3 // room for the filter button
	}
	var sample [][]any
	sized := false
	size := func() error {
		sized = true
		// Last column first: excelize puts each new <col> before the
		// others, and Excel wants them in ascending order.
		for i := len(cols) - 1; i >= 0; i-- {
			w := min(widths[i]+1, MaxWidth)
			if widths[i]+1 > MaxWidth {
				wr.wraps[i] = true
			}
			w = max(w, cols[i].Width, 6)
			wr.widths[i] = w
			if err := wr.sw.SetColWidth(i+1, i+1, w); err != nil {
				return err
			}
		}
		head := make([]any, len(cols))
		for i, c := range cols {
			head[i] = excelize.Cell{StyleID: wr.header, Value: c.Title}
		}
		if err := wr.sw.SetRow("A1", head, excelize.RowOpts{Height: 22}); err != nil {
			return err
		}
		wr.n = 1
		for _, r := range sample {
			if err := wr.row(r); err != nil {
				return err
			}
		}
		sample = nil
		return nil
	}
	for values, err := range ahead(rows, wr.convert) {
		if err != nil {
			return err
		}
		if sized {
			if err := wr.row(values); err != nil {
				return err
			}
			continue
		}
		for i, v := range values {
			if i < len(widths) {
				widths[i] = max(widths[i], cellWidth(v, cols[i].Kind))
			}
		}
		sample = append(sample, values)
		if len(sample) >= SampleRows {
			if err := size(); err != nil {
				return err
			}
		}
	}
	if !sized {
		if err := size(); err != nil {
			return err
		}
	}
	if err := wr.validations(); err != nil {
		return err
	}
	if len(cols) > 0 {
		last, err := excelize.CoordinatesToCellName(len(cols), max(wr.n, 1))
		if err != nil {
			return err
		}
		// The stream writer shares the worksheet, so the filter set here is
		// written out by Flush.
		if err := wr.f.AutoFilter(wr.s.Name, "A1:"+last, nil); err != nil {
			return fmt.Errorf("xlsx: autofilter: %w", err)
		}
	}
	return wr.sw.Flush()
}

// aheadBatch is how many rows the reader hands the writer at a time, and
// aheadDepth how many such batches may wait: a few thousand rows in memory.
const (
	aheadBatch = 256
	aheadDepth = 8
)

// ahead reads rows in a goroutine of its own, a few batches ahead of the
// writer, each row copied (a caller may reuse its slice) and passed through
// prep. A long export is two pipelined halves of about equal cost — the
// database cursor with the row conversion, and excelize's XML writing — so on
// two cores it takes the time of the slower half instead of their sum. When
// the consumer stops early, the reader is told to stop and is waited for
// (the cursor is closed before Stream returns); a panic in the reader is
// raised again in the caller.
func ahead(rows iter.Seq2[[]any, error], prep func([]any) []any) iter.Seq2[[]any, error] {
	return func(yield func([]any, error) bool) {
		type batch struct {
			rows [][]any
			err  error
		}
		ch := make(chan batch, aheadDepth)
		done := make(chan struct{})
		var panicked any
		finished := make(chan struct{})
		go func() {
			defer close(finished)
			defer close(ch)
			defer func() {
				if p := recover(); p != nil {
					panicked = p
				}
			}()
			send := func(b batch) bool {
				select {
				case ch <- b:
					return true
				case <-done:
					return false
				}
			}
			cur := make([][]any, 0, aheadBatch)
			for values, err := range rows {
				if err != nil {
					send(batch{rows: cur, err: err})
					return
				}
				cur = append(cur, prep(slices.Clone(values)))
				if len(cur) == aheadBatch {
					if !send(batch{rows: cur}) {
						return
					}
					cur = make([][]any, 0, aheadBatch)
				}
			}
			if len(cur) > 0 {
				send(batch{rows: cur})
			}
		}()
		defer func() {
			close(done)
			<-finished
			if panicked != nil {
				panic(panicked)
			}
		}()
		for b := range ch {
			for _, r := range b.rows {
				if !yield(r, nil) {
					return
				}
			}
			if b.err != nil {
				yield(nil, b.err)
				return
			}
		}
	}
}

// row writes one data row (values already through convert) with the
// column styles.
func (wr *writer) row(values []any) error {
	out := make([]any, len(values))
	lines := 1
	for i, v := range values {
		if i < len(wr.wraps) && wr.wraps[i] {
			if str, ok := v.(string); ok {
				lines = max(lines, wrappedLines(str, wr.widths[i]))
			}
		}
		style := 0
		if i < len(wr.s.Columns) {
			switch {
			case wr.s.Columns[i].Kind == Date:
				if _, ok := v.(time.Time); ok {
					style = wr.date
				}
			case wr.s.Columns[i].Kind == DateTime:
				if _, ok := v.(time.Time); ok {
					style = wr.dtime
				}
			case wr.wraps[i]:
				if _, ok := v.(string); ok {
					style = wr.wrap
				}
			}
		}
		if style == 0 && lines > 1 {
			style = wr.plain
		}
		if style != 0 {
			out[i] = excelize.Cell{StyleID: style, Value: v}
		} else {
			out[i] = v
		}
	}
	wr.n++
	cell, err := excelize.CoordinatesToCellName(1, wr.n)
	if err != nil {
		return err
	}
	if lines > 1 {
		// Wrapped text: the row is as tall as its longest cell (Excel and
		// LibreOffice do not grow a streamed row by themselves).
		return wr.sw.SetRow(cell, out, excelize.RowOpts{Height: float64(min(lines, maxLines)) * lineHeight})
	}
	return wr.sw.SetRow(cell, out)
}

// Row height per wrapped line (points) and the most lines a row shows.
const (
	lineHeight = 14.25
	maxLines   = 12
)

// wrappedLines is how many lines s takes in a column width characters wide.
func wrappedLines(s string, width float64) int {
	n := 0
	for line := range strings.SplitSeq(s, "\n") {
		n += max(1, int((textWidth(line)+width-2)/(width-1)))
	}
	return n
}

// convert turns Date/DateTime column values into Excel wall-clock times,
// in place.
func (wr *writer) convert(values []any) []any {
	for i, v := range values {
		if i >= len(wr.s.Columns) || wr.s.Columns[i].Kind == Text {
			continue
		}
		if t, ok := asTime(v, wr.s.Columns[i].Kind); ok {
			values[i] = t
		} else if s, ok := v.(string); ok && s == "" {
			values[i] = nil
		}
	}
	return values
}

var shanghai = time.FixedZone("CST", 8*3600)

// asTime reads a date or date-time value as the wall-clock time Excel
// stores (the time's zone dropped after moving it to Beijing time).
func asTime(v any, k Kind) (time.Time, bool) {
	var s string
	switch v := v.(type) {
	case time.Time:
		if v.IsZero() {
			return time.Time{}, false
		}
		t := v.In(shanghai)
		if k == Date {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC), true
	case *time.Time:
		if v == nil {
			return time.Time{}, false
		}
		return asTime(*v, k)
	case string:
		s = v
	case fmt.Stringer:
		s = v.String()
	default:
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, ok := isoDate(s); ok {
		// The common case (the ledgers keep dates as YYYY-MM-DD text) without
		// time.Parse: a failed layout allocates its error, which on a
		// million-row export was a tenth of all allocations.
		return t, true
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05Z07:00", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			if strings.Contains(layout, "Z07") {
				return asTime(t, k)
			}
			if k == Date {
				t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// isoDate reads exactly "YYYY-MM-DD" (a valid date) as midnight UTC.
func isoDate(s string) (time.Time, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	num := func(b string) int {
		n := 0
		for i := 0; i < len(b); i++ {
			if b[i] < '0' || b[i] > '9' {
				return -1
			}
			n = n*10 + int(b[i]-'0')
		}
		return n
	}
	y, m, d := num(s[:4]), num(s[5:7]), num(s[8:])
	if y < 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 2026-02-30 is not a date (time.Parse refuses it too)
		return time.Time{}, false
	}
	return t, true
}

// cellWidth is the display width of a (converted) value in characters.
func cellWidth(v any, k Kind) float64 {
	switch v := v.(type) {
	case nil:
		return 0
	case time.Time:
		if k == DateTime {
			return 19
		}
		return 10
	case string:
		// A multi-line cell is as wide as its longest line.
		w := 0.0
		for line := range strings.SplitSeq(v, "\n") {
			w = max(w, textWidth(line))
		}
		return w
	case excelize.Cell:
		return cellWidth(v.Value, k)
	default:
		return textWidth(fmt.Sprint(v))
	}
}

// textWidth counts East Asian wide characters (CJK, full-width forms and
// punctuation) as two columns, everything else as one.
func textWidth(s string) float64 {
	n := 0
	for _, r := range s {
		if wide(r) {
			n += 2
		} else {
			n++
		}
	}
	return float64(n)
}

func wide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F, // Hangul Jamo
		r >= 0x2010 && r <= 0x2027, // dashes, quotes, ellipsis: full width in CJK fonts
		r >= 0x2E80 && r <= 0xA4CF, // CJK radicals … Yi (includes 〔〕、。 and all common Han)
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x20000 && r <= 0x3FFFD: // CJK extensions B…
		return true
	}
	return false
}

// validations adds a drop-down list to every column with Choices, over
// TemplateRows rows. Short lists are written inline; a list longer than
// Excel's 255-character inline limit goes to a hidden sheet.
func (wr *writer) validations() error {
	hidden := ""
	used := 0
	for i, c := range wr.s.Columns {
		if len(c.Choices) == 0 {
			continue
		}
		from, _ := excelize.CoordinatesToCellName(i+1, 2)
		to, _ := excelize.CoordinatesToCellName(i+1, TemplateRows+1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = from + ":" + to
		if n := len(strings.Join(c.Choices, ",")); n <= 250 && !strings.Contains(strings.Join(c.Choices, ""), ",") {
			if err := dv.SetDropList(c.Choices); err != nil {
				return err
			}
		} else {
			if hidden == "" {
				hidden = "选项"
				if _, err := wr.f.NewSheet(hidden); err != nil {
					return err
				}
				if err := wr.f.SetSheetVisible(hidden, false); err != nil {
					return err
				}
			}
			used++
			for j, v := range c.Choices {
				cell, _ := excelize.CoordinatesToCellName(used, j+1)
				if err := wr.f.SetCellStr(hidden, cell, v); err != nil {
					return err
				}
			}
			col, _ := excelize.ColumnNumberToName(used)
			dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$1:$%s$%d", quoteSheet(hidden), col, col, len(c.Choices)))
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, "输入有误", "请从下拉列表中选择「"+strings.TrimSuffix(c.Title, "*")+"」")
		dv.SetInput(strings.TrimSuffix(c.Title, "*"), "请从下拉列表中选择")
		if err := wr.f.AddDataValidation(wr.s.Name, dv); err != nil {
			return err
		}
	}
	return nil
}

// writeInstructions adds the 填写说明 sheet, one line per row, in a wide
// wrapped column.
func writeInstructions(f *excelize.File, lines []string) error {
	if _, err := f.NewSheet(InstructionsSheet); err != nil {
		return err
	}
	if err := f.SetColWidth(InstructionsSheet, "A", "A", 100); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, l := range lines {
		cell := fmt.Sprintf("A%d", i+1)
		if err := f.SetCellStr(InstructionsSheet, cell, l); err != nil {
			return err
		}
		if err := f.SetCellStyle(InstructionsSheet, cell, cell, wrap); err != nil {
			return err
		}
	}
	return nil
}
