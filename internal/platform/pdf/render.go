package pdf

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fazhi/internal/platform/docx"

	"github.com/signintech/gopdf"
)

// paragraph is what the pure-Go renderer reads of a <w:p>.
type paragraph struct {
	text                    string
	size                    float64 // pt
	align                   string  // left, center, right, both
	firstLine, hanging      float64 // pt
	left, right             float64 // pt
	borderTop, borderBottom float64 // pt line widths, 0 for none
}

// readParagraphs pulls the paragraphs of word/document.xml.
func readParagraphs(doc []byte) ([]paragraph, error) {
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		return nil, fmt.Errorf("pdf: not a .docx: %w", err)
	}
	var body io.ReadCloser
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			if body, err = f.Open(); err != nil {
				return nil, err
			}
		}
	}
	if body == nil {
		return nil, fmt.Errorf("pdf: .docx without word/document.xml")
	}
	defer body.Close()
	dec := xml.NewDecoder(body)
	var out []paragraph
	var p *paragraph
	var text strings.Builder
	inText, inPPr, inBdr := false, false, false
	twip := func(a []xml.Attr, name string) float64 {
		for _, x := range a {
			if x.Name.Local == name {
				v, _ := strconv.ParseFloat(x.Value, 64)
				return v / 20
			}
		}
		return 0
	}
	attr := func(a []xml.Attr, name string) string {
		for _, x := range a {
			if x.Name.Local == name {
				return x.Value
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("pdf: document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				p = &paragraph{size: docx.SizeBody, align: "left"}
				text.Reset()
			case "pPr":
				inPPr = true
			case "pBdr":
				inBdr = true
			case "top", "bottom":
				if inBdr && p != nil {
					w, _ := strconv.ParseFloat(attr(t.Attr, "sz"), 64)
					if t.Name.Local == "top" {
						p.borderTop = w / 8
					} else {
						p.borderBottom = w / 8
					}
				}
			case "jc":
				if inPPr && p != nil {
					p.align = attr(t.Attr, "val")
				}
			case "ind":
				if inPPr && p != nil {
					p.firstLine, p.hanging = twip(t.Attr, "firstLine"), twip(t.Attr, "hanging")
					p.left, p.right = twip(t.Attr, "left"), twip(t.Attr, "right")
				}
			case "tab":
				// A tab in the text (not a tab stop of pPr/tabs): render
				// sets what follows it flush with the right indent.
				if p != nil && !inPPr {
					text.WriteByte('\t')
				}
			case "sz":
				if !inPPr && p != nil {
					if v, err := strconv.ParseFloat(attr(t.Attr, "val"), 64); err == nil {
						p.size = v / 2
					}
				}
			case "t":
				inText = true
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "pPr":
				inPPr = false
			case "pBdr":
				inBdr = false
			case "t":
				inText = false
			case "p":
				if p != nil {
					p.text = text.String()
					out = append(out, *p)
					p = nil
				}
			}
		case xml.CharData:
			if inText && p != nil {
				text.Write(t)
			}
		}
	}
	return out, nil
}

// Page geometry in points.
const (
	pageW, pageH = 595.28, 841.89
	mmPt         = 72 / 25.4
)

var (
	top    = docx.MarginTop * mmPt
	left   = docx.MarginLeft * mmPt
	bottom = pageH - docx.MarginBottom*mmPt
	width  = pageW - (docx.MarginLeft+docx.MarginRight)*mmPt
	// pitch is the grid's line pitch: 22 lines in the type area.
	pitch = (bottom - top) / docx.LinesPerPage
)

func wideRune(r rune) bool { return r >= 0x2E80 }

// render sets paragraphs on A4 pages in the 公文 grid: 22 lines of 28
// characters (wide characters advance width/28), page numbers "— N —"
// odd right, even left, 7 mm under the type area.
func render(doc []byte, fontPath, latinPath string) ([]byte, error) {
	paras, err := readParagraphs(doc)
	if err != nil {
		return nil, err
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	if err := pdf.AddTTFFont("cjk", fontPath); err != nil {
		return nil, fmt.Errorf("pdf: font %s: %w", fontPath, err)
	}
	latin := "cjk"
	if latinPath != "" {
		if err := pdf.AddTTFFont("latin", latinPath); err != nil {
			return nil, fmt.Errorf("pdf: font %s: %w", latinPath, err)
		}
		latin = "latin"
	}
	// face picks the font for a character: CJK from the CJK font, the rest
	// (digits, Latin, dashes) from the Latin one.
	face := func(r rune, size float64) error {
		if wideRune(r) {
			return pdf.SetFont("cjk", "", size)
		}
		return pdf.SetFont(latin, "", size)
	}
	page := 0
	y := 0.0
	newPage := func() error {
		pdf.AddPage()
		page++
		y = top
		// Page number: 4号, one character in from the type area's edge.
		num := fmt.Sprintf("— %d —", page)
		if err := pdf.SetFont(latin, "", docx.SizeSmall); err != nil {
			return err
		}
		w, _ := pdf.MeasureTextWidth(num)
		x := left + float64(docx.SizeSmall)
		if page%2 == 1 {
			x = left + width - float64(docx.SizeSmall) - w
		}
		pdf.SetXY(x, bottom+7*mmPt)
		return pdf.Cell(nil, num)
	}
	if err := newPage(); err != nil {
		return nil, err
	}
	any := false
	for _, p := range paras {
		if err := pdf.SetFont("cjk", "", p.size); err != nil {
			return nil, err
		}
		adv := func(r rune) float64 {
			if wideRune(r) {
				// Body characters on the 28-per-line grid; larger type
				// (titles) at its own size.
				if p.size == docx.SizeBody {
					return width / docx.CharsPerLine
				}
				return p.size
			}
			_ = face(r, p.size)
			w, _ := pdf.MeasureTextWidth(string(r))
			return w
		}
		lines := wrap(p, adv)
		if p.borderTop > 0 {
			pdf.SetLineWidth(p.borderTop)
			pdf.Line(left, y+1, left+width, y+1)
		}
		for i, l := range lines {
			if y+pitch > bottom+0.5 {
				if err := newPage(); err != nil {
					return nil, err
				}
				if err := pdf.SetFont("cjk", "", p.size); err != nil {
					return nil, err
				}
			}
			lineLeft, lineWidth := left+p.left, width-p.left-p.right
			start := lineLeft
			if i == 0 {
				start += p.firstLine - p.hanging
			}
			lw := 0.0
			for _, r := range l {
				lw += adv(r)
			}
			switch p.align {
			case "center":
				start = lineLeft + (lineWidth-lw)/2
			case "right":
				start = lineLeft + lineWidth - lw
			}
			x := start
			base := y + (pitch-p.size)/2
			for _, r := range l {
				if r == '\t' {
					// A right tab: the rest ends at the right indent.
					rest := 0.0
					after := false
					for _, q := range l {
						if after {
							rest += adv(q)
						}
						if q == '\t' {
							after = true
						}
					}
					x = lineLeft + lineWidth - rest
					continue
				}
				if r != ' ' {
					if err := face(r, p.size); err != nil {
						return nil, err
					}
					pdf.SetXY(x, base)
					if err := pdf.Cell(nil, string(r)); err != nil {
						return nil, err
					}
					any = true
				}
				x += adv(r)
			}
			y += pitch
		}
		if p.borderBottom > 0 {
			pdf.SetLineWidth(p.borderBottom)
			pdf.Line(left, y-1, left+width, y-1)
		}
	}
	if !any {
		return nil, ErrNoText
	}
	return pdf.GetBytesPdf(), nil
}

// wrap breaks a paragraph into lines that fit between its indents. An
// empty paragraph is one blank line.
func wrap(p paragraph, adv func(rune) float64) [][]rune {
	avail := width - p.left - p.right
	var lines [][]rune
	var cur []rune
	w := p.firstLine - p.hanging
	for _, r := range p.text {
		a := adv(r)
		if r == '\t' {
			a = 0
		}
		if w+a > avail+0.01 && len(cur) > 0 {
			lines = append(lines, cur)
			cur, w = nil, 0
		}
		cur = append(cur, r)
		w += a
	}
	return append(lines, cur)
}
