package pdf

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/testenv"
)

// threePageLetter is a letter long enough for three pages.
func threePageLetter(t *testing.T) []byte {
	t.Helper()
	d, err := docx.New()
	if err != nil {
		t.Fatal(err)
	}
	d.Title("关于《清河区老旧小区改造三年行动方案》\n的法律审查意见书")
	d.DocNumber("清河司审〔2026〕12号")
	d.Blank()
	d.Addressee("区住房城乡建设局")
	d.Para("你单位于2026年9月28日报送的《清河区老旧小区改造三年行动方案》（重大行政决策事项）收悉。根据《重大行政决策程序暂行条例》第二十五条至第二十八条的规定，我局从决策权限、决策程序和决策内容等方面进行了合法性审查。现提出意见如下：")
	d.Heading(1, "审查结论")
	d.Para("经审查，结论为修改后通过。")
	d.Heading(1, "具体意见")
	for i := 1; i <= 4; i++ {
		d.Heading(2, fmt.Sprintf("关于第%s部分", docx.ChineseNumber(i)))
		for j := 1; j <= 3; j++ {
			d.Heading(3, "条款依据")
			d.Para("方案第五条关于补偿标准的规定缺乏上位法依据，建议删除或者修改为按照《国有土地上房屋征收与补偿条例》及本市有关规定执行；涉及居民出资部分，应当充分征求居民意见并依法公示。")
		}
		d.Heading(4, "其他")
	}
	d.Para("请根据上述意见修改完善后按程序办理，并在系统中反馈审查意见采纳情况。")
	d.Attachments("审查意见清单", "公平竞争审查表")
	d.Signature("清河区司法局", time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC))
	d.Colophon([]string{"区政府办公室"}, "清河区司法局办公室", time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC))
	b, err := d.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfText runs pdftotext, one string per page.
func pdfText(t *testing.T, b []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\f"), "\f")
}

// keep writes the PDF and its page images to $FAZHI_PDF_OUT (testenv.PDFOut),
// for a person to look at.
func keep(t *testing.T, name string, b []byte) {
	dir := testenv.PDFOut
	if dir == "" {
		return
	}
	p := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("pdftoppm"); err == nil {
		if out, err := exec.Command("pdftoppm", "-r", "60", "-png", p, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
	}
}

func checkLetterPDF(t *testing.T, b []byte) {
	t.Helper()
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 20)])
	}
	pages := pdfText(t, b)
	if len(pages) < 3 {
		t.Fatalf("%d pages, want at least 3", len(pages))
	}
	all := strings.Join(pages, "\n")
	squash := strings.NewReplacer(" ", "", "\n", "")
	for _, want := range []string{"法律审查意见书", "清河司审〔2026〕12号", "区住房城乡建设局：", "一、审查结论", "（一）关于第一部分", "1．条款依据", "（1）其他",
		"附件：1．审查意见清单", "清河区司法局", "2026年10月9日", "抄送：区政府办公室。", "2026年10月9日印发"} {
		if !strings.Contains(squash.Replace(all), squash.Replace(want)) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	for i, p := range pages {
		if !regexp.MustCompile(fmt.Sprintf(`—\s*%d\s*—`, i+1)).MatchString(p) {
			t.Errorf("page %d has no page number:\n%s", i+1, p)
		}
	}
}

func TestGoPDFRendersTheLetter(t *testing.T) {
	c := New(Config{Soffice: "-"})
	if c.Engine() != "gopdf" {
		t.Fatalf("engine %s", c.Engine())
	}
	if _, err := c.fontPath(); err != nil {
		t.Skip(err)
	}
	b, err := c.FromDOCX(context.Background(), threePageLetter(t))
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "letter-gopdf", b)
	checkLetterPDF(t, b)
	// A missing font is a clear error, not a blank PDF.
	if _, err := New(Config{Soffice: "-", FontPath: "/nonexistent.ttf"}).FromDOCX(context.Background(), threePageLetter(t)); err == nil ||
		!strings.Contains(err.Error(), "/nonexistent.ttf") {
		t.Fatalf("missing font: %v", err)
	}
}

func TestLibreOfficeConvertsTheLetter(t *testing.T) {
	c := New(Config{})
	if c.Engine() != "libreoffice" {
		t.Skip("LibreOffice not installed")
	}
	b, err := c.FromDOCX(context.Background(), threePageLetter(t))
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "letter-libreoffice", b)
	checkLetterPDF(t, b)
	// Grid: each full body line holds 28 characters.
	full := 0
	for _, p := range pdfText(t, b) {
		for _, l := range strings.Split(p, "\n") {
			l = strings.TrimSpace(l)
			if strings.HasPrefix(l, "方案第五条") {
				if n := len([]rune(strings.ReplaceAll(l, " ", ""))); n != 26 { // 28 less the two-character indent
					t.Errorf("first body line holds %d characters, want 26: %q", n, l)
				}
				full++
			}
		}
	}
	if full == 0 {
		t.Error("no body line found")
	}
}

func TestFontConfigAliasesOfficialFonts(t *testing.T) {
	fc := FontConfig()
	for _, want := range []string{"<family>仿宋_GB2312</family><prefer><family>仿宋</family>", "<family>方正小标宋简体</family>", "Noto Serif CJK SC", "/etc/fonts/fonts.conf"} {
		if !strings.Contains(fc, want) {
			t.Errorf("fonts.conf lacks %s:\n%s", want, fc)
		}
	}
}
