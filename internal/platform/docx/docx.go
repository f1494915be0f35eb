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

// The type area is 156 × 225 mm: 22 lines of 28 characters of 三号 (16 pt).
const (
	// LinesPerPage and CharsPerLine are GB/T 9704-2012 §5.2.2's grid.
	LinesPerPage = 22
	CharsPerLine = 28
	// linePitch is 225 mm / 22 lines in twips (28.95 pt).
	linePitch = 579
	// charSpace is the document grid's character pitch as Word stores it:
	// (156 mm / 28 − 16 pt) in 1/4096 pt rounded down, i.e. 15.794 pt per character so
	// that 28 三号 characters fill a line (27 would without it).
	charSpace = -842
	// footerTwips puts the page number's top 7 mm under the type area
	// (GB/T 9704-2012 §7.5): 35 mm − 7 mm − one 四号 line ≈ 22 mm.
	footerTwips = 1247
)

var lineTwips = fmt.Sprint(linePitch)

// FontPageNumber is the page numbers' font (4号 宋体, GB/T 9704-2012 §7.5).
const FontPageNumber = "宋体"

// Fallbacks name, for each official font, the free or common font a machine
// without it should use; they go into the file's font table (w:altName)
// and into the fontconfig aliases of the PDF converter.
var Fallbacks = map[string][]string{
	FontTitle:      {"方正小标宋_GBK", "Noto Serif CJK SC", "宋体"},
	FontBody:       {"仿宋", "FangSong", "Fandol FangSong", "Noto Serif CJK SC"},
	FontH1:         {"SimHei", "Noto Sans CJK SC"},
	FontH2:         {"楷体", "KaiTi", "Fandol Kai", "Noto Serif CJK SC"},
	FontPageNumber: {"SimSun", "Noto Serif CJK SC"},
}

func init() {
	// wordZero logs every paragraph to stdout at info level; a server must
	// not write that to its output.
	document.SetGlobalLevel(document.LogLevelSilent)
	document.SetGlobalOutput(io.Discard)
}

// Doc is a document being written in 公文 layout.
type Doc struct {
	d *document.Document
	// heading counters for the four levels 一、（一）1．（1）
	levels [4]int
	// colophon (版记): how many lines its paragraphs take, 0 for none;
	// they are written last and finish puts them at the page's foot
	colophonLines int
}

// New returns an empty A4 document with the 公文 margins and line grid.
func New() (*Doc, error) {
	d := document.New()
	ps := document.DefaultPageSettings()
	ps.Size = document.PageSizeA4
	ps.Orientation = document.OrientationPortrait
	ps.MarginTop, ps.MarginLeft, ps.MarginBottom, ps.MarginRight = MarginTop, MarginLeft, MarginBottom, MarginRight
	ps.DocGridType = document.DocGridLines
	ps.DocGridLinePitch = linePitch
	if err := d.SetPageSettings(ps); err != nil {
		return nil, fmt.Errorf("docx: page settings: %w", err)
	}
	// Page numbers: "— N —" in 4号 宋体, odd pages right and even pages
	// left, one character in from the edge of the type area. The footers'
	// content is written by finish (wordZero has no field runs with fonts).
	for _, t := range []document.HeaderFooterType{document.HeaderFooterTypeDefault, document.HeaderFooterTypeEven} {
		if err := d.AddFormattedFooter(t, &document.HeaderFooterConfig{Text: "page"}); err != nil {
			return nil, fmt.Errorf("docx: footer: %w", err)
		}
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
		p.Properties.Indentation = &document.Indentation{FirstLine: twips(indentChars, size)}
	}
	return p
}

// twips is n characters of a size-pt font in twips.
func twips(n float64, size int) string { return fmt.Sprint(int(n*float64(size)*20 + 0.5)) }

// Title writes the document title (方正小标宋简体 二号, centred). A title
// with "\n" is set on several lines (GB/T 9704-2012 §7.3.1: 回行时要做到词意
// 完整，排列对称).
func (x *Doc) Title(text string) {
	for line := range strings.SplitSeq(text, "\n") {
		x.para(line, FontTitle, SizeTitle, document.AlignCenter, 0)
	}
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

// Heading writes a numbered heading of level 1–4 (GB/T 9704-2012 §7.3.3):
// "一、" in 黑体, "（一）" in 楷体_GB2312, "1．" and "（1）" in 仿宋_GB2312,
// indented two characters. The number is counted here and resets under a
// higher level; text is the heading without its number.
func (x *Doc) Heading(level int, text string) {
	level = min(max(level, 1), 4)
	x.levels[level-1]++
	for i := level; i < len(x.levels); i++ {
		x.levels[i] = 0
	}
	n := x.levels[level-1]
	font := FontBody
	var num string
	switch level {
	case 1:
		num, font = ChineseNumber(n)+"、", FontH1
	case 2:
		num, font = "（"+ChineseNumber(n)+"）", FontH2
	case 3:
		num = fmt.Sprintf("%d．", n)
	case 4:
		num = fmt.Sprintf("（%d）", n)
	}
	p := x.para(num+text, font, SizeBody, document.AlignJustify, 2)
	p.Properties.KeepNext = &document.KeepNext{}
}

// Para writes a body paragraph (仿宋_GB2312 三号, first line indented two characters).
func (x *Doc) Para(text string) { x.para(text, FontBody, SizeBody, document.AlignJustify, 2) }

// Attachments writes the 附件说明 under the body after a blank line
// (GB/T 9704-2012 §7.3.4): "附件：" two characters in, several attachments
// numbered "1．", continuation lines aligned with the first name.
func (x *Doc) Attachments(names ...string) {
	if len(names) == 0 {
		return
	}
	x.Blank()
	for i, name := range names {
		name = strings.TrimRight(name, "。；;，,")
		text := name
		if len(names) > 1 {
			text = fmt.Sprintf("%d．%s", i+1, name)
		}
		head := "附件："
		if i > 0 {
			head = ""
		}
		p := x.para(head+text, FontBody, SizeBody, document.AlignLeft, 0)
		// Left edge at 5 characters (2 + "附件："), the first line pulled
		// back by three characters to print "附件：".
		p.Properties.Indentation = &document.Indentation{Left: twips(5, SizeBody)}
		if i == 0 {
			p.Properties.Indentation.FirstLine = "-" + twips(3, SizeBody) // finish turns it into w:hanging
		}
		if len(names) > 1 {
			// Wrapped lines align with the name, after "1．".
			p.Properties.Indentation.Left = twips(6, SizeBody)
			p.Properties.Indentation.FirstLine = "-" + twips(1, SizeBody) // finish turns it into w:hanging
			if i == 0 {
				p.Properties.Indentation.FirstLine = "-" + twips(4, SizeBody) // finish turns it into w:hanging
			}
		}
	}
}

// Signature writes the issuing body over the date after a blank line
// (GB/T 9704-2012 §7.3.5.1): the date four characters in from the right,
// the issuing body centred over it. A body wider than the date plus four
// characters stays two characters in, and the date is centred under it.
func (x *Doc) Signature(issuer string, date time.Time) {
	x.Blank()
	d := ChineseDate(date)
	wi, wd := Width(issuer), Width(d)
	ri, rd := 4+(wd-wi)/2, 4.0
	if ri < 2 {
		ri, rd = 2, 2+(wi-wd)/2
	}
	for _, l := range []struct {
		text  string
		right float64
	}{{issuer, ri}, {d, rd}} {
		p := x.para(l.text, FontBody, SizeBody, document.AlignRight, 0)
		p.Properties.Indentation = &document.Indentation{Right: twips(l.right, SizeBody)}
		p.Properties.KeepNext = &document.KeepNext{}
	}
}

// Width is the width of s in characters of its font: CJK and full-width
// characters count one, ASCII (digits in dates) half.
func Width(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

// Colophon writes the 版记 (GB/T 9704-2012 §7.4) at the foot of the last
// page: a thick rule, the 抄送 line (4号 仿宋, one character in from each
// side, ending with "。"), a thin rule, the 印发机关 one character in from
// the left and "YYYY年M月D日印发" one character in from the right, and a
// closing thick rule on the type area's last line. finish moves the
// paragraphs into a text box anchored to the bottom of the type area (body
// text above it only), so the block sits at the foot of the page the body
// ends on whatever the body's length. It must be the last thing written.
func (x *Doc) Colophon(cc []string, printer string, printed time.Time) {
	thick := &document.ParagraphBorderLine{Val: "single", Color: "000000", Sz: "8", Space: "1"} // 1 pt ≈ 0.35 mm
	thin := &document.ParagraphBorderLine{Val: "single", Color: "000000", Sz: "6", Space: "1"}  // 0.75 pt ≈ 0.25 mm
	line := func(text string) *document.Paragraph {
		p := x.para(text, FontBody, SizeSmall, document.AlignLeft, 0)
		p.Properties.Indentation = &document.Indentation{Left: twips(1, SizeSmall), Right: twips(1, SizeSmall)}
		// The marker finish replaces with the frame's properties.
		p.Properties.ParagraphStyle = &document.ParagraphStyle{Val: colophonMarker}
		return p
	}
	x.colophonLines = 1
	if len(cc) > 0 {
		text := "抄送：" + strings.Join(cc, "，") + "。"
		x.colophonLines += colophonCCLines(text)
		p := line(text)
		// Wrapped lines align after "抄送：".
		p.Properties.Indentation.Left = twips(4, SizeSmall)
		p.Properties.Indentation.FirstLine = "-" + twips(3, SizeSmall) // finish turns it into w:hanging
		p.Properties.ParagraphBorder = &document.ParagraphBorder{Top: thick, Bottom: thin}
	}
	p := line(printer + "\t" + fmt.Sprintf("%d年%d月%d日印发", printed.Year(), int(printed.Month()), printed.Day()))
	p.Properties.ParagraphBorder = &document.ParagraphBorder{Bottom: thick}
	if len(cc) == 0 {
		p.Properties.ParagraphBorder.Top = thick
	}
	// A right tab at the type area's right edge less the indents.
	width := (210-MarginLeft-MarginRight)/25.4*1440 - 2*float64(SizeSmall*20)
	p.Properties.Tabs = &document.Tabs{Tabs: []document.TabDef{{Val: "right", Pos: fmt.Sprint(int(width))}}}
}

// colophonCCLines is how many lines the 抄送 paragraph takes: the type
// area holds 156 mm ÷ 14 pt ≈ 31.6 characters of 4号; the first line
// starts one character in, wrapped lines four, and each ends one
// character before the right edge.
func colophonCCLines(text string) int {
	perLine := (210 - MarginLeft - MarginRight) / 25.4 * 72 / SizeSmall
	first, rest := int(perLine-2), int(perLine-5)
	w := int(Width(text) + 0.5)
	if w <= first {
		return 1
	}
	return 1 + (w-first+rest-1)/rest
}

// colophonMarker is the paragraph style Colophon's paragraphs carry until
// finish replaces it with the frame that puts them at the page's foot.
const colophonMarker = "FazhiColophon"

// Note writes a smaller closing note such as "（联系人：…）".
func (x *Doc) Note(text string) { x.para(text, FontBody, SizeSmall, document.AlignLeft, 2) }

// Bytes serialises the document and finishes what wordZero cannot write:
// the section (grid with character pitch, footer distance, footers in
// schema order), the page-number footers, document defaults (zh-CN, 仿宋
// 三号), even/odd footers in the settings and the font table with fallbacks.
func (x *Doc) Bytes() ([]byte, error) {
	b, err := x.d.ToBytes()
	if err != nil {
		return nil, fmt.Errorf("docx: serialise: %w", err)
	}
	return finish(b, x.colophonLines)
}

// ChineseNumber writes 1–99 in Chinese numerals (一, 十, 十一, 二十一).
func ChineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n <= 0 || n >= 100:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n%10]
	case n%10 == 0:
		return digits[n/10] + "十"
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
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
