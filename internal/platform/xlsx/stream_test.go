package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sheetXML returns the raw XML of the first worksheet part.
func sheetXML(t *testing.T, b []byte, part string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == part {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			return string(x)
		}
	}
	t.Fatalf("no %s", part)
	return ""
}

func TestStreamWidthsDatesAndPrintSetup(t *testing.T) {
	s := Sheet{Name: "问题台账", Title: "问题台账（2026年）", Columns: []Column{
		{Title: "编号"}, {Title: "审查类型"}, {Title: "发现日期", Kind: Date}, {Title: "时间", Kind: DateTime},
		{Title: "数量"}, {Title: "描述", Width: 30},
	}}
	at := time.Date(2026, 12, 5, 1, 30, 0, 0, time.UTC) // 09:30 in Beijing
	rows := [][]any{
		{"WT2026-0001", "重大行政决策合法性审查", "2026-12-05", at, 3, strings.Repeat("很长的问题描述", 20)},
		{"WT2026-0002", "合同", "", nil, 10, "短"},
	}
	b, err := StreamBytes(s, Slice(rows))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Widths from content: "WT2026-0001" is 11 wide; 审查类型's cell is 11 CJK
	// characters = 22 columns; the long description is capped and wraps.
	wA, _ := f.GetColWidth("问题台账", "A")
	wB, _ := f.GetColWidth("问题台账", "B")
	wC, _ := f.GetColWidth("问题台账", "C")
	wD, _ := f.GetColWidth("问题台账", "D")
	wF, _ := f.GetColWidth("问题台账", "F")
	if wA < 11 || wA > 16 || wB < 22 || wB > 28 || wC < 10 || wD < 19 || wF != MaxWidth {
		t.Fatalf("widths A=%v B=%v C=%v D=%v F=%v", wA, wB, wC, wD, wF)
	}
	if id, _ := f.GetCellStyle("问题台账", "F2"); id == 0 {
		t.Fatal("capped column's text does not wrap")
	} else if st, _ := f.GetStyle(id); st.Alignment == nil || !st.Alignment.WrapText {
		t.Fatalf("F2 style %+v", st)
	}
	// The wrapped row is tall enough for its text (280 columns of text in a
	// 40-wide column: 8 lines); a row without wrapped text keeps the default.
	if h, _ := f.GetRowHeight("问题台账", 2); h < 7*14 {
		t.Fatalf("row 2 height %v for a wrapped cell", h)
	}
	if h, _ := f.GetRowHeight("问题台账", 3); h > 16 {
		t.Fatalf("row 3 height %v", h)
	}
	// Dates are numbers with a date format, shown as YYYY-MM-DD.
	raw, _ := f.GetCellValue("问题台账", "C2", excelize.Options{RawCellValue: true})
	if raw != "46361" { // 2026-12-05
		t.Fatalf("date serial %q", raw)
	}
	if v, _ := f.GetCellValue("问题台账", "C2"); v != "2026-12-05" {
		t.Fatalf("date shown as %q", v)
	}
	id, _ := f.GetCellStyle("问题台账", "C2")
	st, _ := f.GetStyle(id)
	if st.CustomNumFmt == nil || *st.CustomNumFmt != "yyyy-mm-dd" {
		t.Fatalf("date style %+v", st)
	}
	if v, _ := f.GetCellValue("问题台账", "D2"); v != "2026-12-05 09:30:00" {
		t.Fatalf("date-time shown as %q (Beijing time expected)", v)
	}
	if v, _ := f.GetCellValue("问题台账", "C3"); v != "" {
		t.Fatalf("empty date %q", v)
	}
	if typ, _ := f.GetCellType("问题台账", "E2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Fatal("number written as text")
	}
	// Print setup: A4 landscape, one page wide, header row repeated, title
	// and print date in the page header.
	pl, err := f.GetPageLayout("问题台账")
	if err != nil {
		t.Fatal(err)
	}
	if *pl.Orientation != "landscape" || *pl.Size != 9 || *pl.FitToWidth != 1 || *pl.FitToHeight != 0 {
		t.Fatalf("page layout %+v %v %v %v", *pl.Orientation, *pl.Size, *pl.FitToWidth, *pl.FitToHeight)
	}
	props, _ := f.GetSheetProps("问题台账")
	if props.FitToPage == nil || !*props.FitToPage {
		t.Fatal("fit to page not set")
	}
	hf, _ := f.GetHeaderFooter("问题台账")
	if !strings.Contains(hf.OddHeader, "问题台账（2026年）") || !strings.Contains(hf.OddHeader, "打印日期：&D") || !strings.Contains(hf.OddFooter, "&P") {
		t.Fatalf("header/footer %+v", hf)
	}
	titles := false
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm.Print_Titles" && n.Scope == "问题台账" && n.RefersTo == "'问题台账'!$1:$1" {
			titles = true
		}
	}
	if !titles {
		t.Fatalf("no print titles: %+v", f.GetDefinedName())
	}
	// The XML the stream wrote keeps the schema order (sheetPr before
	// sheetData, pageSetup after it) so Excel opens it without repair.
	x := sheetXML(t, b, "xl/worksheets/sheet1.xml")
	order := []string{"<sheetPr", "<sheetViews", "<cols>", "<sheetData>", "</sheetData>", "<autoFilter", "<pageMargins", "<pageSetup", "<headerFooter"}
	pos := -1
	for _, tag := range order {
		i := strings.Index(x, tag)
		if i < pos {
			t.Fatalf("%s out of order in %s", tag, x)
		}
		pos = i
	}
	if !strings.Contains(x, `<cols><col min="1" max="1"`) || strings.Index(x, `<col min="6"`) < strings.Index(x, `<col min="5"`) {
		t.Fatalf("columns not in ascending order: %s", x)
	}
	if !strings.Contains(x, `fitToHeight="0"`) || !strings.Contains(x, `fitToPage="true"`) {
		t.Fatalf("fit settings missing: %s", x)
	}
}

// TestStreamSizesFromSampleThenStreams: widths come from the header and the
// first SampleRows rows; later rows are streamed untouched.
func TestStreamSizesFromSampleThenStreams(t *testing.T) {
	const n = SampleRows + 700
	buf := make([]any, 2) // reused for every row, as a DB scan loop would
	rows := func(yield func([]any, error) bool) {
		for i := 1; i <= n; i++ {
			name := "短"
			if i == n {
				name = strings.Repeat("长", 40) // after the sample: does not widen
			}
			buf[0], buf[1] = i, name
			if !yield(buf, nil) {
				return
			}
		}
	}
	b, err := StreamBytes(Sheet{Name: "台账", Columns: []Column{{Title: "序号"}, {Title: "名称"}}}, rows)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(b))
	defer f.Close()
	all, _ := f.GetRows("台账")
	if len(all) != n+1 || all[1][0] != "1" || all[SampleRows][0] != fmt.Sprint(SampleRows) || all[n][0] != fmt.Sprint(n) || all[n][1] != strings.Repeat("长", 40) {
		t.Fatalf("rows: %d, first %v, last %v", len(all), all[1], all[n])
	}
	if w, _ := f.GetColWidth("台账", "B"); w >= 20 {
		t.Fatalf("width %v grew from a row past the sample", w)
	}
	names := f.GetDefinedName()
	ok := false
	for _, d := range names {
		if d.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(d.RefersTo, fmt.Sprintf("$A$1:$B$%d", n+1)) {
			ok = true
		}
	}
	if !ok {
		t.Fatalf("autofilter %+v", names)
	}
}

func TestStreamIteratorErrorWritesNothing(t *testing.T) {
	boom := errors.New("cursor failed")
	var rows iter.Seq2[[]any, error] = func(yield func([]any, error) bool) {
		for i := range SampleRows + 5 {
			if !yield([]any{i}, nil) {
				return
			}
		}
		yield(nil, boom)
	}
	var out bytes.Buffer
	if err := Stream(&out, Sheet{Name: "台账", Columns: []Column{{Title: "序号"}}}, rows); !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	if out.Len() != 0 {
		t.Fatalf("%d bytes written before the error", out.Len())
	}
	// Rows: an error from fill ends the sequence; a consumer that stops
	// early makes add report it so fill returns.
	var got []error
	for _, err := range Rows(func(add func(...any) error) error {
		if err := add(1); err != nil {
			return err
		}
		return boom
	}) {
		got = append(got, err)
	}
	if len(got) != 2 || got[0] != nil || !errors.Is(got[1], boom) {
		t.Fatalf("Rows errors %v", got)
	}
	calls := 0
	for range Rows(func(add func(...any) error) error {
		for i := 0; i < 10; i++ {
			calls++
			if err := add(i); err != nil {
				return err
			}
		}
		return nil
	}) {
		break
	}
	if calls != 1 {
		t.Fatalf("fill went on after the consumer stopped: %d", calls)
	}
}

func TestTemplateListsAndInstructions(t *testing.T) {
	long := make([]string, 40)
	for i := range long {
		long[i] = fmt.Sprintf("清河区第%d个制定主体", i+1)
	}
	s := Sheet{Name: "规范性文件", Columns: []Column{
		{Title: "制定主体*", Choices: long},
		{Title: "效力状态", Choices: []string{"现行有效", "已失效", "已废止"}},
		{Title: "公布日期*", Kind: Date},
	}, Instructions: []string{"1. 第1行为表头，请勿修改。", "2. 带 * 的列必填。"}}
	b, err := StreamBytes(s, Slice([][]any{{long[0], "现行有效", "2023-03-15"}}))
	if err != nil {
		t.Fatal(err)
	}
	f, _ := excelize.OpenReader(bytes.NewReader(b))
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 3 || got[0] != "规范性文件" || got[2] != InstructionsSheet {
		t.Fatalf("sheets %v", got)
	}
	if v, _ := f.GetSheetVisible(f.GetSheetList()[1]); v {
		t.Fatal("choices sheet visible")
	}
	if f.GetActiveSheetIndex() != 0 {
		t.Fatal("template does not open on its data sheet")
	}
	dvs, err := f.GetDataValidations("规范性文件")
	if err != nil || len(dvs) != 2 {
		t.Fatalf("validations %+v %v", dvs, err)
	}
	bySq := map[string]*excelize.DataValidation{}
	for _, d := range dvs {
		bySq[d.Sqref] = d
	}
	a, bb := bySq[fmt.Sprintf("A2:A%d", TemplateRows+1)], bySq[fmt.Sprintf("B2:B%d", TemplateRows+1)]
	if a == nil || bb == nil || a.Type != "list" || bb.Type != "list" {
		t.Fatalf("validations %+v", dvs)
	}
	if !strings.Contains(bb.Formula1, "现行有效,已失效,已废止") {
		t.Fatalf("inline list %q", bb.Formula1)
	}
	if !strings.Contains(a.Formula1, "'选项'!$A$1:$A$40") {
		t.Fatalf("long list %q", a.Formula1)
	}
	if v, _ := f.GetCellValue("选项", "A40"); v != long[39] {
		t.Fatalf("choices sheet A40 %q", v)
	}
	if v, _ := f.GetCellValue(InstructionsSheet, "A2"); v != "2. 带 * 的列必填。" {
		t.Fatalf("instructions %q", v)
	}
	// Template header: frozen and bold like every export.
	p, _ := f.GetPanes("规范性文件")
	id, _ := f.GetCellStyle("规范性文件", "A1")
	st, _ := f.GetStyle(id)
	if !p.Freeze || p.YSplit != 1 || st.Font == nil || !st.Font.Bold {
		t.Fatalf("header panes %+v font %+v", p, st.Font)
	}
}

func TestTextWidthCountsCJKDouble(t *testing.T) {
	for s, w := range map[string]float64{"abc": 3, "审查": 4, "清河司审〔2026〕1号": 8 + 2 + 4 + 2 + 1 + 2, "ＡＢ": 4, "“引号”": 8} {
		if got := textWidth(s); got != w {
			t.Errorf("textWidth(%q) = %v, want %v", s, got, w)
		}
	}
}

// The reader runs ahead of the writer in its own goroutine: a slice the
// caller reuses still gives each row its own values, an error after many
// batches still reaches the caller with nothing written, and a consumer that
// stops early stops the reader.
func TestStreamReadsAhead(t *testing.T) {
	s := Sheet{Name: "S", Columns: []Column{{Title: "n"}, {Title: "日期", Kind: Date}}}
	const n = 3*aheadBatch + 7
	reused := make([]any, 2)
	b, err := StreamBytes(s, Rows(func(add func(...any) error) error {
		for i := range n {
			reused[0], reused[1] = i, "2026-01-02"
			if err := add(reused...); err != nil {
				return err
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("S")
	f.Close()
	if len(rows) != n+1 || rows[1][0] != "0" || rows[n][0] != fmt.Sprint(n-1) || rows[n][1] != "2026-01-02" {
		t.Fatalf("got %d rows, first %v, last %v", len(rows), rows[1], rows[len(rows)-1])
	}

	var out bytes.Buffer
	boom := errors.New("cursor failed")
	err = Stream(&out, s, Rows(func(add func(...any) error) error {
		for i := range 5 * aheadBatch {
			if err := add(i, ""); err != nil {
				return err
			}
		}
		return boom
	}))
	if !errors.Is(err, boom) || out.Len() != 0 {
		t.Fatalf("err %v, %d bytes written", err, out.Len())
	}

	produced := 0
	for range ahead(func(yield func([]any, error) bool) {
		for i := range 100 * aheadBatch {
			produced++
			if !yield([]any{i}, nil) {
				return
			}
		}
	}, func(v []any) []any { return v }) {
		break
	}
	if produced >= 100*aheadBatch {
		t.Fatalf("the reader went on after the consumer stopped: %d rows", produced)
	}
}
