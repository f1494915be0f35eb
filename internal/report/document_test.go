package report

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	osexec "os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/pdf"
	"fazhi/internal/platform/testenv"
)

// pdfPages runs pdftotext, one string per page.
func pdfPages(t *testing.T, b []byte) []string {
	t.Helper()
	if _, err := osexec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: make doc-deps")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := osexec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v %s", err, out)
	}
	return strings.Split(strings.TrimRight(string(out), "\f"), "\f")
}

// keepPDF writes the PDF and its page images under FAZHI_PDF_OUT for a
// person to look at.
func keepPDF(t *testing.T, name string, b []byte) {
	dir := testenv.PDFOut
	if dir == "" {
		return
	}
	p := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := osexec.LookPath("pdftoppm"); err == nil {
		if out, err := osexec.Command("pdftoppm", "-r", "70", "-png", p, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}

func docXML(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			x, _ := io.ReadAll(rc)
			rc.Close()
			return string(x)
		}
	}
	t.Fatal("no word/document.xml")
	return ""
}

// The Word file reads back as the report's text in 公文 layout (the
// official fonts named, A4 with the GB/T 9704 margins) and the PDF's text
// extracts as the Chinese written, with page numbers.
func TestWordAndPDFReadBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		conv := pdf.New(pdf.Config{Soffice: "-"})
		f.s.deps.PDF = conv
		r := f.create(t, drafter, 1, 2025)
		b, name, err := f.s.Word(f.as(drafter), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if name != r.Title+".docx" {
			t.Fatalf("name %s", name)
		}
		text, err := docx.Text(b)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		want = append(want, "示范区人民政府", "关于2025年度法治政府建设情况的报告", "一、主要举措和成效", "（一）坚持依法科学民主决策",
			"二、党政主要负责人履行推进法治建设第一责任人职责情况", "三、存在的不足和原因", "四、下一年度工作安排", "五、其他需要报告的情况")
		walkParas(r.Sections, func(p *Paragraph) { want = append(want, p.Rendered) })
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("Word text lacks %q", w)
			}
		}
		x := docXML(t, b)
		for _, w := range []string{docx.FontTitle, docx.FontBody, docx.FontH1, docx.FontH2, `w:w="11906"`, `w:h="16838"`,
			`w:top="2098"`, `w:left="1587"`} {
			if !strings.Contains(x, w) {
				t.Errorf("document.xml lacks %s", w)
			}
		}
		if t.Name() != "TestWordAndPDFReadBack/sqlite" {
			return // the PDF once is enough
		}
		out, pname, err := f.s.PDF(f.as(drafter), r.ID)
		if err != nil {
			if strings.Contains(err.Error(), "font") || strings.Contains(err.Error(), "字体") {
				t.Skip(err)
			}
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(out), "%PDF-") || !strings.HasSuffix(pname, ".pdf") {
			t.Fatalf("not a PDF: %s", pname)
		}
		keepPDF(t, "annual-report", out)
		pages := pdfPages(t, out)
		if len(pages) < 2 {
			t.Fatalf("%d pages", len(pages))
		}
		squash := strings.NewReplacer(" ", "", "\n", "", "\u3000", "")
		// Page numbers out, so that a paragraph running over a page reads on.
		all := squash.Replace(regexp.MustCompile(`—\s*\d+\s*—`).ReplaceAllString(strings.Join(pages, ""), ""))
		for _, w := range want {
			if !strings.Contains(all, squash.Replace(w)) {
				t.Errorf("PDF text lacks %q", w)
			}
		}
		for i, p := range pages {
			if !regexp.MustCompile(`—\s*` + itoa(i+1) + `\s*—`).MatchString(p) {
				t.Errorf("page %d has no page number", i+1)
			}
		}
		// The PDF embeds its font (a subset), so it reads the same anywhere.
		if !bytes.Contains(out, []byte("/FontFile2")) {
			t.Error("the PDF embeds no TrueType font")
		}
		// The portal's PDF is the published version's; before publication
		// there is none.
		if _, _, err := f.s.PublicPDF(context.Background(), r.ID); err == nil {
			t.Fatal("unpublished report has a public PDF")
		}
	})
}
