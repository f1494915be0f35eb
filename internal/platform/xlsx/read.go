package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"

	"github.com/xuri/excelize/v2"
)

// Limits of an uploaded workbook, checked while it is read so that a small
// file that unpacks to hundreds of megabytes (a decompression bomb) is
// refused before it is held in memory. Options may lower them.
const (
	// UnzipLimit caps the unpacked size of the whole workbook, as declared
	// in the zip directory (archive/zip refuses entries that unpack to more
	// than they declare), and separately the text read out of the sheet's
	// cells (shared strings can repeat one long text in every cell).
	UnzipLimit = 64 << 20
	// MaxSheetRows caps the rows read, blank ones included.
	MaxSheetRows = 100_000
	// MaxFile is the upload limit of an import workbook (the import
	// routes' MaxBodyBytes); the rows and unpacked size are what bind.
	MaxFile = 10 << 20
	// MaxColumns caps the columns of any row.
	MaxColumns = 256
	// xmlInMemory is the largest sheet part held in memory; larger ones
	// are streamed from a temporary file.
	xmlInMemory = 8 << 20
)

// Options says how Read opens an uploaded workbook. Messages are the Chinese
// texts of the "file" field error; empty ones get a generic default.
type Options struct {
	Sheet        string // sheet to read; the first sheet when the workbook has none of that name
	Raw          bool   // raw cell values (dates as serial numbers) instead of formatted text
	MaxBytes     int    // file size limit, 0 for none
	MaxRows      int    // limit on non-blank data rows, 0 for none
	MaxUnzipped  int64  // unpacked size limit, 0 for UnzipLimit
	OpenMessage  string // the file is not a readable .xlsx
	SheetMessage string // the sheet cannot be read; %s is the sheet name
}

// Table is the cells of one sheet, header row included.
type Table struct {
	Sheet string     // the sheet actually read
	Rows  [][]string // every row as excelize returns it (trailing empty cells and rows cut)
}

func tooLarge(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &apperr.Error{Code: apperr.TooLarge, Message: msg, Fields: []apperr.FieldError{{Field: "file", Message: msg}}}
}

func mb(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", max(n>>10, 1))
}

// Read opens data and reads one sheet row by row, stopping at the first
// limit passed (MaxRows non-blank data rows, MaxSheetRows rows, MaxColumns
// columns, the unpacked size). Errors are apperr errors on "file" (TooLarge
// for the limits, naming the limit), ready to return to the client.
func Read(data []byte, opt Options) (*Table, error) {
	if opt.MaxBytes > 0 && len(data) > opt.MaxBytes {
		return nil, tooLarge("文件不能超过 %d MB", opt.MaxBytes>>20)
	}
	unzipped := opt.MaxUnzipped
	if unzipped <= 0 {
		unzipped = UnzipLimit
	}
	openMsg := opt.OpenMessage
	if openMsg == "" {
		openMsg = "无法读取 Excel 文件，请上传 .xlsx 格式的文件"
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, apperr.Field("file", "%s", openMsg)
	}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
	}
	if declared > uint64(unzipped) {
		return nil, tooLarge("Excel 文件解压后超过 %s（上限 %s），请删去无关的工作表和内容后分批导入", mb(int64(min(declared, 1<<62))), mb(unzipped))
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipped, UnzipXMLSizeLimit: min(unzipped, xmlInMemory)})
	if err != nil {
		return nil, apperr.Field("file", "%s", openMsg)
	}
	defer f.Close()
	sheet := opt.Sheet
	if idx, _ := f.GetSheetIndex(sheet); sheet == "" || idx < 0 {
		sheet = f.GetSheetName(0)
	}
	sheetMsg := opt.SheetMessage
	if sheetMsg == "" {
		sheetMsg = "无法读取工作表“%s”"
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, apperr.Field("file", sheetMsg, sheet)
	}
	defer it.Close()
	t := &Table{Sheet: sheet}
	var text int64
	dataRows, last := 0, 0
	for it.Next() {
		if len(t.Rows) >= MaxSheetRows {
			return nil, tooLarge("工作表“%s”超过 %d 行（上限），请分批导入", sheet, MaxSheetRows)
		}
		row, err := it.Columns(excelize.Options{RawCellValue: opt.Raw})
		if err != nil {
			return nil, apperr.Field("file", sheetMsg, sheet)
		}
		if len(row) > MaxColumns {
			return nil, tooLarge("工作表“%s”第 %d 行超过 %d 列（上限）", sheet, len(t.Rows)+1, MaxColumns)
		}
		blank := true
		for _, c := range row {
			text += int64(len(c))
			if blank && strings.TrimSpace(c) != "" {
				blank = false
			}
		}
		if text > unzipped {
			return nil, tooLarge("工作表“%s”的内容解压后超过 %s（上限），请分批导入", sheet, mb(unzipped))
		}
		t.Rows = append(t.Rows, row)
		if len(row) > 0 {
			last = len(t.Rows)
		}
		if !blank && len(t.Rows) > 1 {
			dataRows++
			if opt.MaxRows > 0 && dataRows > opt.MaxRows {
				return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", opt.MaxRows)
			}
		}
	}
	if err := it.Error(); err != nil {
		return nil, apperr.Field("file", sheetMsg, sheet)
	}
	t.Rows = t.Rows[:last]
	return t, nil
}

// Header returns row 1 (nil for an empty sheet).
func (t *Table) Header() []string {
	if len(t.Rows) == 0 {
		return nil
	}
	return t.Rows[0]
}

// HeaderText trims a header cell and drops the trailing * that marks a
// required column in templates.
func HeaderText(s string) string { return strings.TrimSuffix(strings.TrimSpace(s), "*") }

// Columns maps each wanted header text to its 0-based column in row 1,
// matching by HeaderText; missing lists the wanted headers not found.
func (t *Table) Columns(wanted ...string) (index map[string]int, missing []string) {
	index = map[string]int{}
	for i, h := range t.Header() {
		h = HeaderText(h)
		for _, w := range wanted {
			if h == HeaderText(w) {
				index[w] = i
			}
		}
	}
	for _, w := range wanted {
		if _, ok := index[w]; !ok {
			missing = append(missing, w)
		}
	}
	return index, missing
}

// Row is one data row; Num is its 1-based row number in the sheet.
type Row struct {
	Num   int
	Cells []string
}

// Raw returns cell i (0-based) as read, "" past the end of the row.
func (r Row) Raw(i int) string {
	if i >= 0 && i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

// Cell returns cell i trimmed.
func (r Row) Cell(i int) string { return strings.TrimSpace(r.Raw(i)) }

// BlankIn reports whether the first n cells are all blank.
func (r Row) BlankIn(n int) bool {
	for i := range n {
		if r.Cell(i) != "" {
			return false
		}
	}
	return true
}

// Data returns the rows after the header, skipping rows with no text.
func (t *Table) Data() []Row {
	var out []Row
	for i := 1; i < len(t.Rows); i++ {
		r := t.Rows[i]
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		out = append(out, Row{Num: i + 1, Cells: r})
	}
	return out
}

// ColumnLabel names column i (0-based) the way import reports do:
// "C（文号）", or just "C" without a header.
func ColumnLabel(i int, header string) string {
	letter, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return ""
	}
	if h := HeaderText(header); h != "" {
		return letter + "（" + h + "）"
	}
	return letter
}
