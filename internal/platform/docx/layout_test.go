package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
)

func parts(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		out[f.Name] = string(x)
	}
	return out
}

// paragraphs splits document.xml into its <w:p> elements.
func paragraphs(doc string) []string {
	return regexp.MustCompile(`(?s)<w:p>.*?</w:p>`).FindAllString(doc, -1)
}

// para finds the paragraph whose text contains s.
func para(t *testing.T, doc, s string) string {
	t.Helper()
	for _, p := range paragraphs(doc) {
		if strings.Contains(p, s) {
			return p
		}
	}
	t.Fatalf("no paragraph with %q", s)
	return ""
}

func has(t *testing.T, what, xml string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(xml, w) {
			t.Errorf("%s lacks %s:\n%s", what, w, xml)
		}
	}
}

// TestLayoutXML reads a full 公文 back and checks each point of GB/T 9704-2012
// the builder is responsible for.
func TestLayoutXML(t *testing.T) {
	d, err := New()
	if err != nil {
		t.Fatal(err)
	}
	d.Title("关于《清河区老旧小区改造实施方案》\n的法律审查意见书")
	d.DocNumber(DocNumberText("清河司审", 2026, 12))
	d.Blank()
	d.Addressee("区住房城乡建设委")
	d.Para("你单位报送的送审稿收悉。")
	d.Heading(1, "审查结论")
	d.Heading(2, "制定主体")
	d.Heading(3, "权限")
	d.Heading(4, "依据")
	d.Heading(4, "程序")
	d.Heading(2, "内容")
	d.Heading(3, "条款")
	d.Heading(1, "具体意见")
	d.Attachments("审查意见清单", "公平竞争审查表。")
	d.Signature("清河区司法局", time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC))
	d.Colophon([]string{"区政府办公室", "区发展改革委"}, "清河区司法局办公室", time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC))
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	p := parts(t, b)
	doc := p["word/document.xml"]

	// Page: A4, margins 37/26/35/28 mm, grid 22 lines × 28 characters.
	has(t, "sectPr", doc, `<w:pgSz w:w="11906" w:h="16838"/>`, `w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"`,
		`<w:docGrid w:type="linesAndChars" w:linePitch="579" w:charSpace="-842"/>`)
	// 579 twips × 22 lines fit the 225 mm type area; 23 do not.
	area := float64(16838 - 2098 - 1984)
	if 22*579 > area || 23*579 <= area {
		t.Fatalf("line pitch does not give 22 lines: area %v", area)
	}
	// Character pitch: 16 pt + charSpace/4096 pt, × 28 fills 156 mm.
	pitch := 16 + float64(charSpace)/4096
	width := float64(11906-1587-1474) / 20
	if 28*pitch > width || 29*pitch <= width {
		t.Fatalf("char pitch %v pt gives not 28 per %v pt line", pitch, width)
	}
	// Section children in schema order.
	sect := regexp.MustCompile(`(?s)<w:sectPr>.*</w:sectPr>`).FindString(doc)
	last := -1
	for _, tag := range []string{"<w:footerReference w:type=\"default\"", "<w:footerReference w:type=\"even\"", "<w:pgSz", "<w:pgMar", "<w:pgNumType", "<w:docGrid"} {
		i := strings.Index(sect, tag)
		if i <= last {
			t.Fatalf("%s out of order in %s", tag, sect)
		}
		last = i
	}

	// Title: 二号 方正小标宋简体, centred, split over two lines.
	for _, line := range []string{"关于《清河区老旧小区改造实施方案》", "的法律审查意见书"} {
		has(t, "title", para(t, doc, line), `w:eastAsia="方正小标宋简体"`, `<w:sz w:val="44"`, `<w:jc w:val="center"`)
	}
	// Number: 仿宋 三号 centred.
	has(t, "number", para(t, doc, "清河司审〔2026〕12号"), `w:eastAsia="仿宋_GB2312"`, `<w:sz w:val="32"`, `<w:jc w:val="center"`)
	// Addressee: flush left, full-width colon.
	ad := para(t, doc, "区住房城乡建设委：")
	if strings.Contains(ad, "w:firstLine") {
		t.Error("addressee indented")
	}
	// Body: 仿宋 三号, two characters (640 twips) in, exact grid pitch.
	has(t, "body", para(t, doc, "你单位报送的送审稿收悉。"), `w:eastAsia="仿宋_GB2312"`, `<w:sz w:val="32"`, `w:firstLine="640"`, `w:line="579" w:lineRule="exact"`)
	// Heading levels: numbers counted and reset, fonts by level.
	for text, font := range map[string]string{"一、审查结论": FontH1, "（一）制定主体": FontH2, "1．权限": FontBody, "（1）依据": FontBody,
		"（2）程序": FontBody, "（二）内容": FontH2, "1．条款": FontBody, "二、具体意见": FontH1} {
		has(t, text, para(t, doc, text), `w:eastAsia="`+font+`"`, `w:firstLine="640"`)
	}
	// Attachments: "附件：1．" two characters in, the second item aligned
	// under the first name (hanging indents), trailing punctuation dropped.
	has(t, "attachment 1", para(t, doc, "附件：1．审查意见清单"), `w:left="1920"`, `w:hanging="1280"`)
	has(t, "attachment 2", para(t, doc, "2．公平竞争审查表<"), `w:left="1920"`, `w:hanging="320"`)
	// Issuing body centred over the date, the date four characters in from
	// the right: "2026年9月22日" is 6.5 characters wide (digits are half),
	// the body 6, so the body ends 4.25 characters (1360 twips) in.
	has(t, "issuer", para(t, doc, ">清河区司法局<"), `<w:jc w:val="right"`, `w:right="1360"`)
	has(t, "date", para(t, doc, "2026年9月22日<"), `<w:jc w:val="right"`, `w:right="1280"`)
	// A longer body: centred over the date, i.e. (w_body − w_date)/2 less in.
	d2, _ := New()
	d2.Signature("清河区人民政府办公室", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)) // 10 chars over 6.5
	b2, _ := d2.Bytes()
	doc2 := parts(t, b2)["word/document.xml"]
	has(t, "long issuer", para(t, doc2, "清河区人民政府办公室"), `w:right="720"`) // 4 − (10 − 6.5)/2 = 2.25 characters
	has(t, "its date", para(t, doc2, "2026年10月1日"), `w:right="1280"`)
	// 抄送 and 印发: 4号 仿宋, one character in, rules above and below, the
	// print date right-aligned at a tab, ending "印发".
	cc := para(t, doc, "抄送：区政府办公室，区发展改革委。")
	has(t, "抄送", cc, `<w:sz w:val="28"`, `w:eastAsia="仿宋_GB2312"`, `<w:top w:val="single"`, `<w:bottom w:val="single"`, `w:right="280"`)
	pr := para(t, doc, "清河区司法局办公室")
	has(t, "印发", pr, `<w:tab/>`, `2026年9月22日印发`, `<w:tab w:val="right"`, `<w:bottom w:val="single" w:color="000000" w:sz="8"`, `w:left="280"`)

	// The 版记 sits at the foot of the last page: its paragraphs are in one
	// text box as wide as the type area (156 mm), anchored to the bottom of
	// the type area, text above it only, set from the box's bottom; the box
	// is the body's last paragraph and no marker style is left behind.
	box := regexp.MustCompile(`(?s)<w:p><w:pPr>[^<]*<w:spacing[^>]*/></w:pPr><w:r><w:drawing><wp:anchor .*?</w:drawing></w:r></w:p>`).FindString(doc)
	has(t, "版记 box", box, `<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>`,
		`<wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>`, `<wp:wrapTopAndBottom/>`,
		`<wp:extent cx="5615940" cy="836930"/>`, `anchor="b"`, `<w:txbxContent>`, "抄送：区政府办公室，区发展改革委。", "2026年9月22日印发")
	if !strings.HasSuffix(strings.TrimSpace(doc[:strings.Index(doc, "<w:sectPr>")]), "</w:drawing></w:r></w:p>") {
		t.Error("the 版记 box is not the body's last paragraph")
	}
	if strings.Contains(doc, colophonMarker) || strings.Count(doc, "<w:drawing>") != 1 {
		t.Error("colophon marker left, or more than one box")
	}
	// A long 抄送 list wraps: the box grows by whole lines.
	if n := colophonCCLines("抄送：" + strings.Repeat("区", 40) + "。"); n != 2 {
		t.Errorf("抄送 of 44 characters takes %d lines, want 2", n)
	}
	if n := colophonCCLines("抄送：区政府办公室。"); n != 1 {
		t.Errorf("short 抄送 takes %d lines", n)
	}
	// A document without 版记 has no box.
	if strings.Contains(doc2, "<w:drawing>") {
		t.Error("box in a document without 版记")
	}

	// Page numbers: "— N —" 4号 宋体, odd right, even left, one character in.
	odd, even := p["word/footer1.xml"], p["word/footereven.xml"]
	for name, f := range map[string]string{"odd": odd, "even": even} {
		has(t, name+" footer", f, `— </w:t>`, `<w:instrText xml:space="preserve"> PAGE </w:instrText>`, ` —</w:t>`, `w:eastAsia="宋体"`, `<w:sz w:val="28"/>`)
	}
	has(t, "odd footer", odd, `<w:jc w:val="right"/>`, `w:right="280"`)
	has(t, "even footer", even, `<w:jc w:val="left"/>`, `w:left="280"`)
	has(t, "settings", p["word/settings.xml"], `<w:evenAndOddHeaders/>`, `w:eastAsia="zh-CN"`)
	has(t, "rels", p["word/_rels/document.xml.rels"], `Target="settings.xml"`, `Target="fontTable.xml"`, `Target="footereven.xml"`)
	has(t, "content types", p["[Content_Types].xml"], `/word/settings.xml`, `/word/fontTable.xml`)
	// Document defaults: zh-CN, 仿宋 三号.
	has(t, "defaults", p["word/styles.xml"], `<w:docDefaults>`, `<w:lang w:val="en-US" w:eastAsia="zh-CN"`, `w:eastAsia="仿宋_GB2312"`, `<w:sz w:val="32"/>`)
	// Fonts with fallbacks in the font table.
	has(t, "fonts", p["word/fontTable.xml"], `<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>`, `<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>`,
		`<w:font w:name="方正小标宋简体">`, `<w:font w:name="黑体">`)
}

func TestChineseNumberAndWidth(t *testing.T) {
	for n, want := range map[int]string{1: "一", 9: "九", 10: "十", 11: "十一", 20: "二十", 23: "二十三"} {
		if got := ChineseNumber(n); got != want {
			t.Errorf("ChineseNumber(%d) = %q", n, got)
		}
	}
	if Width("2026年9月22日") != 6.5 || Width("清河区司法局") != 6 {
		t.Errorf("widths %v %v", Width("2026年9月22日"), Width("清河区司法局"))
	}
}
