package pdf

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// LibreOffice lays out a "lines and characters" grid by giving each
// character whole grid cells: with the 公文 pitch (15.79 pt, narrower than
// 三号) every character takes two cells and a line holds 14. Word and WPS
// compress characters to the pitch instead. forLibreOffice therefore
// converts a copy without the grid and with characters 0.25 pt tighter
// (w:spacing −5 twips in the document defaults): 28 characters of 三号 then
// fill the 156 mm line as in Word, and every paragraph's exact 28.95 pt
// line spacing gives the 22 lines (LibreOffice's line grid would give a
// 二号 title line two grid lines, as Noto CJK's line height exceeds the
// pitch). The .docx handed to users keeps the standard grid.
func forLibreOffice(doc []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		return nil, fmt.Errorf("pdf: not a .docx: %w", err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	grid := regexp.MustCompile(`<w:docGrid w:type="linesAndChars"([^>]*?) w:charSpace="-?\d+"`)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		switch f.Name {
		case "word/document.xml":
			b = grid.ReplaceAll(b, []byte(`<w:docGrid w:type="default"$1`))
		case "word/styles.xml":
			b = []byte(strings.Replace(string(b), "<w:rPrDefault><w:rPr>", `<w:rPrDefault><w:rPr><w:spacing w:val="-5"/>`, 1))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(b); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
