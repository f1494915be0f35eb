package docx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
)

// finish rewrites the parts of a wordZero document that it cannot write as
// GB/T 9704 wants them. Each rewrite fails loudly if wordZero's output
// changed shape, so an upgrade cannot silently lose a layout point.
func finish(in []byte, colophonLines int) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		return nil, fmt.Errorf("docx: finish: %w", err)
	}
	parts := map[string][]byte{}
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
		parts[f.Name] = b
	}
	rels := string(parts["word/_rels/document.xml.rels"])
	footerID := func(target string) (string, error) {
		m := regexp.MustCompile(`Id="(rId\d+)"[^>]*Target="` + regexp.QuoteMeta(target) + `"`).FindStringSubmatch(rels)
		if m == nil {
			return "", fmt.Errorf("docx: finish: no relationship for %s", target)
		}
		return m[1], nil
	}
	odd, err := footerID("footer1.xml")
	if err != nil {
		return nil, err
	}
	even, err := footerID("footereven.xml")
	if err != nil {
		return nil, err
	}
	parts["word/footer1.xml"] = []byte(footerXML(false))
	parts["word/footereven.xml"] = []byte(footerXML(true))

	doc := string(parts["word/document.xml"])
	sect := regexp.MustCompile(`(?s)<w:sectPr[^>]*>.*</w:sectPr>`)
	if !sect.MatchString(doc) {
		return nil, fmt.Errorf("docx: finish: no sectPr")
	}
	// CT_SectPr order: footer references, page size, margins, page numbers,
	// grid. The grid sets 22 lines of 28 characters.
	doc = sect.ReplaceAllLiteralString(doc, fmt.Sprintf(`<w:sectPr>`+
		`<w:footerReference w:type="default" r:id="%s"/><w:footerReference w:type="even" r:id="%s"/>`+
		`<w:pgSz w:w="11906" w:h="16838"/>`+
		`<w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="851" w:footer="%d" w:gutter="0"/>`+
		`<w:pgNumType w:fmt="decimal" w:start="1"/>`+
		`<w:docGrid w:type="linesAndChars" w:linePitch="%d" w:charSpace="%d"/></w:sectPr>`,
		odd, even, mm(MarginTop), mm(MarginRight), mm(MarginBottom), mm(MarginLeft), footerTwips, linePitch, charSpace))
	if doc, err = colophonBox(doc, colophonLines); err != nil {
		return nil, err
	}
	// Hanging indents (wordZero has no attribute for them) and tabs.
	doc = regexp.MustCompile(`w:firstLine="-(\d+)"`).ReplaceAllString(doc, `w:hanging="$1"`)
	doc = strings.ReplaceAll(doc, "&#x9;", `</w:t><w:tab/><w:t xml:space="preserve">`)
	doc = strings.ReplaceAll(doc, "\t", `</w:t><w:tab/><w:t xml:space="preserve">`)
	parts["word/document.xml"] = []byte(doc)

	styles := string(parts["word/styles.xml"])
	open := regexp.MustCompile(`<w:styles[^>]*>`).FindStringIndex(styles)
	if open == nil {
		return nil, fmt.Errorf("docx: finish: no w:styles")
	}
	// Document defaults: 仿宋_GB2312 三号, Chinese (zh-CN) as the East Asian
	// language, lines on the grid. Normal follows them.
	defaults := fmt.Sprintf(`<w:docDefaults><w:rPrDefault><w:rPr>%s<w:kern w:val="2"/><w:sz w:val="%d"/><w:szCs w:val="%d"/>`+
		`<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>`+
		`<w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:line="%d" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>`,
		rFonts(FontBody), 2*SizeBody, 2*SizeBody, linePitch)
	styles = styles[:open[1]] + defaults + styles[open[1]:]
	normal := regexp.MustCompile(`(?s)(w:styleId="Normal"[^>]*>.*?<w:rPr>).*?(</w:rPr>)`)
	if !normal.MatchString(styles) {
		return nil, fmt.Errorf("docx: finish: no Normal style")
	}
	styles = normal.ReplaceAllString(styles, "${1}"+rFonts(FontBody)+fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>`, 2*SizeBody, 2*SizeBody)+"${2}")
	parts["word/styles.xml"] = []byte(styles)

	// Settings: different odd and even footers; Chinese as the theme's
	// East Asian language. Font table: the official fonts with fallbacks.
	parts["word/settings.xml"] = []byte(xmlHead + `<w:settings xmlns:w="` + nsW + `">` +
		`<w:defaultTabStop w:val="420"/><w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>` +
		`<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/></w:compat></w:settings>`)
	parts["word/fontTable.xml"] = []byte(fontTable())
	rels = strings.Replace(rels, "</Relationships>",
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`+
			`<Relationship Id="rIdFontTable" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>`, 1)
	parts["word/_rels/document.xml.rels"] = []byte(rels)
	ct := string(parts["[Content_Types].xml"])
	ct = strings.Replace(ct, "</Types>",
		`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>`+
			`<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/></Types>`, 1)
	parts["[Content_Types].xml"] = []byte(ct)

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	// [Content_Types].xml first, as Office writes it; the rest sorted so the
	// same document gives the same bytes.
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "[Content_Types].xml") != (names[j] == "[Content_Types].xml") {
			return names[i] == "[Content_Types].xml"
		}
		return names[i] < names[j]
	})
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(parts[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

const (
	xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsW     = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
)

func mm(v float64) int { return int(v/25.4*1440 + 0.5) }

// colophonBox moves the 版记's paragraphs (those Colophon marked, lines
// lines high) into a text box as wide as the type area, anchored to the
// bottom of the type area with body text above and below it only
// (wrapTopAndBottom) and its text set from the box's bottom, so that the
// closing rule lies on the type area's lower edge of the page where the
// body ends. A DrawingML text box rather than a w:framePr frame: Word,
// WPS and LibreOffice all place it (LibreOffice ignores framePr).
func colophonBox(doc string, lines int) (string, error) {
	marker := `<w:pStyle w:val="` + colophonMarker + `"></w:pStyle>`
	first := strings.Index(doc, marker)
	if first < 0 {
		if lines > 0 {
			return "", fmt.Errorf("docx: finish: colophon paragraphs not found")
		}
		return doc, nil
	}
	start := strings.LastIndex(doc[:first], "<w:p>")
	last := strings.LastIndex(doc, marker)
	end := strings.Index(doc[last:], "</w:p>")
	if start < 0 || end < 0 {
		return "", fmt.Errorf("docx: finish: colophon paragraphs malformed")
	}
	end += last + len("</w:p>")
	body := strings.ReplaceAll(doc[start:end], marker, "")
	// Lines of exact pitch plus room for the rules and their spacing.
	const emuPerTwip = 635
	cx := mm(210-MarginLeft-MarginRight) * emuPerTwip
	cy := (lines*linePitch + 160) * emuPerTwip
	box := fmt.Sprintf(`<w:p><w:pPr><w:spacing w:line="20" w:lineRule="exact"/></w:pPr><w:r><w:drawing>`+
		`<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="0">`+
		`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>`+
		`<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>`+
		`<wp:extent cx="%[1]d" cy="%[2]d"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapTopAndBottom/>`+
		`<wp:docPr id="9704" name="版记"/><wp:cNvGraphicFramePr/>`+
		`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="%[3]s">`+
		`<wps:wsp xmlns:wps="%[3]s"><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%[1]d" cy="%[2]d"/></a:xfrm>`+
		`<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>`+
		`<wps:txbx><w:txbxContent>%[4]s</w:txbxContent></wps:txbx>`+
		`<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b" anchorCtr="0"><a:noAutofit/></wps:bodyPr>`+
		`</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r></w:p>`,
		cx, cy, nsWPS, body)
	return doc[:start] + box + doc[end:], nil
}

const nsWPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"

func rFonts(font string) string {
	return fmt.Sprintf(`<w:rFonts w:ascii="%[1]s" w:eastAsia="%[1]s" w:hAnsi="%[1]s" w:cs="%[1]s"/>`, font)
}

// footerXML is a page-number footer: "— N —" in 4号 宋体; odd pages right
// aligned one character in, even pages left aligned one character in.
func footerXML(even bool) string {
	jc, ind := "right", `w:right="280"`
	if even {
		jc, ind = "left", `w:left="280"`
	}
	rpr := `<w:rPr>` + rFonts(FontPageNumber) + fmt.Sprintf(`<w:sz w:val="%d"/><w:szCs w:val="%d"/></w:rPr>`, 2*SizeSmall, 2*SizeSmall)
	run := func(inner string) string { return `<w:r>` + rpr + inner + `</w:r>` }
	return xmlHead + `<w:ftr xmlns:w="` + nsW + `" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:line="240" w:lineRule="auto"/><w:ind ` + ind + `/><w:jc w:val="` + jc + `"/></w:pPr>` +
		run(`<w:t xml:space="preserve">— </w:t>`) +
		run(`<w:fldChar w:fldCharType="begin"/>`) + run(`<w:instrText xml:space="preserve"> PAGE </w:instrText>`) +
		run(`<w:fldChar w:fldCharType="separate"/>`) + run(`<w:t>1</w:t>`) + run(`<w:fldChar w:fldCharType="end"/>`) +
		run(`<w:t xml:space="preserve"> —</w:t>`) + `</w:p></w:ftr>`
}

// fontTable names each official font with its first fallback as w:altName
// and the GB2312 character set, so Word and WPS substitute sensibly.
func fontTable() string {
	var b strings.Builder
	b.WriteString(xmlHead + `<w:fonts xmlns:w="` + nsW + `">`)
	names := make([]string, 0, len(Fallbacks))
	for n := range Fallbacks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, `<w:font w:name="%s"><w:altName w:val="%s"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>`, n, Fallbacks[n][0])
	}
	b.WriteString(`</w:fonts>`)
	return b.String()
}
