package xlsx

import (
	"bytes"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"

	"github.com/xuri/excelize/v2"
)

// UnzipLimit caps the unpacked size of an uploaded workbook (zip bombs).
const UnzipLimit = 256 << 20

// Options says how Read opens an uploaded workbook. Messages are the Chinese
// texts of the "file" field error; empty ones get a generic default.
type Options struct {
	Sheet        string // sheet to read; the first sheet when the workbook has none of that name
	Raw          bool   // raw cell values (dates as serial numbers) instead of formatted text
	MaxBytes     int    // file size limit, 0 for none
	MaxRows      int    // limit on non-blank data rows, 0 for none
	OpenMessage  string // the file is not a readable .xlsx
	SheetMessage string // the sheet cannot be read; %s is the sheet name
}

// Table is the cells of one sheet, header row included.
type Table struct {
	Sheet string     // the sheet actually read
	Rows  [][]string // every row as excelize returns it (trailing empty cells cut)
}

// Read opens data and reads one sheet. Errors are apperr field errors on
// "file" (TooLarge for MaxBytes), ready to return to the client.
func Read(data []byte, opt Options) (*Table, error) {
	if opt.MaxBytes > 0 && len(data) > opt.MaxBytes {
		return nil, &apperr.Error{Code: apperr.TooLarge, Message: fmt.Sprintf("文件不能超过 %d MB", opt.MaxBytes>>20),
			Fields: []apperr.FieldError{{Field: "file", Message: fmt.Sprintf("文件不能超过 %d MB", opt.MaxBytes>>20)}}}
	}
	openMsg := opt.OpenMessage
	if openMsg == "" {
		openMsg = "无法读取 Excel 文件，请上传 .xlsx 格式的文件"
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: UnzipLimit})
	if err != nil {
		return nil, apperr.Field("file", "%s", openMsg)
	}
	defer f.Close()
	sheet := opt.Sheet
	if idx, _ := f.GetSheetIndex(sheet); sheet == "" || idx < 0 {
		sheet = f.GetSheetName(0)
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: opt.Raw})
	if err != nil {
		sheetMsg := opt.SheetMessage
		if sheetMsg == "" {
			sheetMsg = "无法读取工作表“%s”"
		}
		return nil, apperr.Field("file", sheetMsg, sheet)
	}
	t := &Table{Sheet: sheet, Rows: rows}
	if opt.MaxRows > 0 && len(t.Data()) > opt.MaxRows {
		return nil, apperr.Field("file", "一次最多导入 %d 行，请分批导入", opt.MaxRows)
	}
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
