package xlsx

import (
	"bytes"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"

	"github.com/xuri/excelize/v2"
)

// streamed builds a workbook of rows×cols cells through excelize's stream
// writer; cell(r, c) gives each value.
func streamed(t *testing.T, rows, cols int, cell func(r, c int) any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for r := 1; r <= rows; r++ {
		vals := make([]any, cols)
		for c := range vals {
			vals[c] = cell(r, c)
		}
		name, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(name, vals); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func wantTooLarge(t *testing.T, what string, err error, limit string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != apperr.TooLarge || len(e.Fields) != 1 || e.Fields[0].Field != "file" || !strings.Contains(e.Message, limit) {
		t.Fatalf("%s: want too_large on file naming %q, got %v", what, limit, err)
	}
}

// Issue 10: a small upload that unpacks to far more than it weighs is
// refused while reading, with the limit named, before it is held whole.
func TestReadRefusesDecompressionBombs(t *testing.T) {
	// One 100 KB text repeated through the shared strings in 1,000 cells:
	// a file of a few hundred KB whose cells hold 100 MB of text.
	long := strings.Repeat("法", 100<<10/3)
	f := excelize.NewFile()
	for r := 1; r <= 1000; r++ {
		name, _ := excelize.CoordinatesToCellName(1, r)
		if err := f.SetCellStr("Sheet1", name, long); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if buf.Len() > 1<<20 {
		t.Fatalf("the bomb weighs %d bytes; want under 1 MB", buf.Len())
	}
	_, err := Read(buf.Bytes(), Options{})
	wantTooLarge(t, "shared-string bomb", err, "64 MB")

	// More rows than any import takes, even with no row limit asked for.
	rows := streamed(t, MaxSheetRows+1, 1, func(r, c int) any { return r })
	_, err = Read(rows, Options{})
	wantTooLarge(t, "rows", err, "100000 行")

	// A row wider than any ledger.
	wide := streamed(t, 2, 300, func(r, c int) any { return "x" })
	_, err = Read(wide, Options{})
	wantTooLarge(t, "columns", err, "256 列")

	// The declared unpacked size is checked before anything is read.
	big := streamed(t, 40000, 4, func(r, c int) any { return r*10 + c })
	_, err = Read(big, Options{MaxUnzipped: 1 << 20})
	wantTooLarge(t, "unpacked size", err, "上限 1 MB")

	// Within the limits the same reader returns every row.
	ok := streamed(t, 3000, 3, func(r, c int) any { return r*10 + c })
	tb, err := Read(ok, Options{})
	if err != nil || len(tb.Rows) != 3000 || tb.Rows[2999][2] != "30002" {
		t.Fatalf("ordinary sheet: %v rows, err %v", len(tb.Rows), err)
	}
}
