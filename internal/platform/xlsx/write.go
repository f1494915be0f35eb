// Package xlsx holds the ledger import/export helpers every module shares:
// a one-sheet streaming export with a styled, frozen, filterable header, and
// the reading side of imports (open with limits, header lookup, data rows,
// per-cell problems with sheet, row, column and a Chinese reason).
package xlsx

import (
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Column is one column of an exported sheet. Width 0 keeps the default.
type Column struct {
	Title string
	Width float64
}

// HeaderFill is the light fill behind the header row.
const HeaderFill = "#DDEBF7"

// Write streams a workbook with a single sheet to w: a bold, filled header
// row that stays frozen while scrolling and carries an autofilter, then the
// rows that rows adds (one call of add per row, values in column order).
func Write(w io.Writer, sheet string, cols []Column, rows func(add func(values ...any) error) error) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{HeaderFill}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		Border: []excelize.Border{
			{Type: "bottom", Color: "#9BC2E6", Style: 1},
		},
	})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	for i, c := range cols {
		if c.Width > 0 {
			if err := sw.SetColWidth(i+1, i+1, c.Width); err != nil {
				return err
			}
		}
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: style, Value: c.Title}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return err
	}
	n := 1
	add := func(values ...any) error {
		n++
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, values)
	}
	if err := rows(add); err != nil {
		return err
	}
	if len(cols) > 0 {
		last, err := excelize.CoordinatesToCellName(len(cols), n)
		if err != nil {
			return err
		}
		// The stream writer shares the worksheet, so the filter set here is
		// written out by Flush.
		if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
			return fmt.Errorf("xlsx: autofilter: %w", err)
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// Bytes is Write into memory, for handlers that send the file in one piece.
func Bytes(sheet string, cols []Column, rows func(add func(values ...any) error) error) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, sheet, cols, rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
