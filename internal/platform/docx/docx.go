// Package docx renders Word documents in the 公文 layout of GB/T 9704-2012
// over github.com/ZeroHawkeye/wordZero: A4 paper, 37 mm top / 28 mm left /
// 35 mm bottom / 26 mm right margins, 22 lines of 28 pt, the title in
// 方正小标宋简体 二号, body text in 仿宋_GB2312 三号, level-1 headings in 黑体 and
// level-2 headings in 楷体_GB2312. The files name the official fonts so that
// they print right on government desktops (where those fonts are installed);
// other machines substitute.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ZeroHawkeye/wordZero/pkg/document"
)

// Official fonts named in generated files.
const (
	FontTitle = "方正小标宋简体"
	FontBody  = "仿宋_GB2312"
	FontH1    = "黑体"
	FontH2    = "楷体_GB2312"
)

// Font sizes in points (号 → pt): 二号 22, 三号 16, 四号 14.
const (
	SizeTitle = 22
	SizeBody  = 16
	SizeSmall = 14
)

// Page margins in millimetres (GB/T 9704-2012 §5.2.1: 天头 37 mm, 订口 28 mm;
// a 156 × 225 mm text block on A4 leaves 35 mm bottom and 26 mm right).
const (
	MarginTop    = 37.0
	MarginLeft   = 28.0
	MarginBottom = 35.0
	MarginRight  = 26.0
)

// lineTwips is the fixed 28 pt line pitch (22 lines on the page) in twips.
const lineTwips = "560"

func init() {
	// wordZero logs every paragraph to stdout at info level; a server must
	// not write that to its output.
	document.SetGlobalLevel(document.LogLevelSilent)
	document.SetGlobalOutput(io.Discard)
}

// Doc is a document being written in 公文 layout.
type Doc struct {
	d *document.Document
}

// New returns an empty A4 document with the 公文 margins and line grid.
func New() (*Doc, error) {
	d := document.New()
	ps := document.DefaultPageSettings()
	ps.Size = document.PageSizeA4
	ps.Orientation = document.OrientationPortrait
	ps.MarginTop, ps.MarginLeft, ps.MarginBottom, ps.MarginRight = MarginTop, MarginLeft, MarginBottom, MarginRight
	ps.DocGridType = document.DocGridLines
	ps.DocGridLinePitch = 560
	if err := d.SetPageSettings(ps); err != nil {
		return nil, fmt.Errorf("docx: page settings: %w", err)
	}
	return &Doc{d: d}, nil
}

// Underlying returns the wordZero document for anything the helpers lack.
func (x *Doc) Underlying() *document.Document { return x.d }

func (x *Doc) para(text, font string, size int, align document.AlignmentType, indentChars float64) *document.Paragraph {
	p := x.d.AddFormattedParagraph(text, &document.TextFormat{FontFamily: font, FontSize: size})
	p.SetAlignment(align)
	if p.Properties == nil {
		p.Properties = &document.ParagraphProperties{}
	}
	p.Properties.Spacing = &document.Spacing{Line: lineTwips, LineRule: "exact"}
	if indentChars > 0 {
		// One character of 三号 is 16 pt = 320 twips.
		p.Properties.Indentation = &document.Indentation{FirstLine: fmt.Sprint(int(indentChars * float64(size) * 20))}
	}
	return p
}

// Title writes the document title (方正小标宋简体 二号, centred). Long titles
// may be split into lines by the caller, one call per line.
func (x *Doc) Title(text string) {
	p := x.para(text, FontTitle, SizeTitle, document.AlignCenter, 0)
	p.Properties.Spacing = &document.Spacing{Line: "700", LineRule: "exact"}
}

// DocNumber writes the 发文字号 line (仿宋 三号, centred), e.g. 清河司审〔2026〕12号.
func (x *Doc) DocNumber(number string) {
	x.para(number, FontBody, SizeBody, document.AlignCenter, 0)
}

// Blank writes an empty body line.
func (x *Doc) Blank() { x.para("", FontBody, SizeBody, document.AlignLeft, 0) }

// Addressee writes the 主送机关 line, flush left, ending with a full-width colon.
func (x *Doc) Addressee(name string) {
	if !strings.HasSuffix(name, "：") {
		name += "："
	}
	x.para(name, FontBody, SizeBody, document.AlignLeft, 0)
}

// Heading1 writes a level-1 heading (黑体, "一、…").
func (x *Doc) Heading1(text string) { x.para(text, FontH1, SizeBody, document.AlignLeft, 2) }

// Heading2 writes a level-2 heading (楷体_GB2312, "（一）…").
func (x *Doc) Heading2(text string) { x.para(text, FontH2, SizeBody, document.AlignLeft, 2) }

// Para writes a body paragraph (仿宋_GB2312 三号, first line indented two characters).
func (x *Doc) Para(text string) { x.para(text, FontBody, SizeBody, document.AlignJustify, 2) }

// Signature writes the issuing body and date right-aligned, four characters
// from the right margin as usual for documents without a seal image.
func (x *Doc) Signature(issuer string, date time.Time) {
	for _, line := range []string{issuer, ChineseDate(date)} {
		p := x.para(line, FontBody, SizeBody, document.AlignRight, 0)
		p.Properties.Indentation = &document.Indentation{Right: fmt.Sprint(4 * SizeBody * 20)}
	}
}

// Note writes a smaller closing note such as "（联系人：…）".
func (x *Doc) Note(text string) { x.para(text, FontBody, SizeSmall, document.AlignLeft, 2) }

// Bytes serialises the document.
func (x *Doc) Bytes() ([]byte, error) {
	b, err := x.d.ToBytes()
	if err != nil {
		return nil, fmt.Errorf("docx: serialise: %w", err)
	}
	return b, nil
}

// DocNumberText formats a 发文字号: prefix, year in 六角括号 〔〕, sequence
// without leading zeros, "号" (GB/T 9704-2012 §7.2.4): 清河司审〔2026〕12号.
func DocNumberText(prefix string, year, seq int) string {
	return fmt.Sprintf("%s〔%d〕%d号", prefix, year, seq)
}

// ChineseDate formats a date the way 公文 print it: 2026年9月22日.
func ChineseDate(t time.Time) string {
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}

// Text returns the visible text of a .docx (word/document.xml), one line per
// paragraph. Tests use it to read generated documents back.
func Text(docx []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		return "", fmt.Errorf("docx: not a zip file: %w", err)
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		return paragraphsText(rc)
	}
	return "", fmt.Errorf("docx: word/document.xml missing")
}

func paragraphsText(r io.Reader) (string, error) {
	dec := xml.NewDecoder(r)
	var b strings.Builder
	inText := false
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return b.String(), nil
		}
		if err != nil {
			return "", fmt.Errorf("docx: document.xml: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			inText = t.Name.Local == "t"
		case xml.EndElement:
			if t.Name.Local == "p" {
				b.WriteByte('\n')
			}
			inText = false
		case xml.CharData:
			if inText {
				b.Write(t)
			}
		}
	}
}
