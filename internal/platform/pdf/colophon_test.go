package pdf

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/docx"
)

// word is one word of pdftotext -bbox output: its page and bottom edge.
type word struct {
	page int
	yMax float64
	text string
}

func pdfWords(t *testing.T, b []byte) []word {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	var words []word
	page := 0
	re := regexp.MustCompile(`<word [^>]*yMax="([0-9.]+)">([^<]*)</word>`)
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "<page ") {
			page++
		}
		if m := re.FindStringSubmatch(l); m != nil {
			y, _ := strconv.ParseFloat(m[1], 64)
			words = append(words, word{page, y, m[2]})
		}
	}
	return words
}

// TestLibreOfficePutsTheColophonAtTheFoot: the 版记 prints on the last page
// with its last line on the type area's lower edge (A4 842 pt less the
// 35 mm bottom margin: 742.7 pt), whether the body ends high on a one-page
// letter or on the third page.
func TestLibreOfficePutsTheColophonAtTheFoot(t *testing.T) {
	c := New(Config{})
	if c.Engine() != "libreoffice" {
		t.Skip("LibreOffice not installed")
	}
	short := func() []byte {
		d, err := docx.New()
		if err != nil {
			t.Fatal(err)
		}
		d.Title("法律审查意见书")
		d.DocNumber("清河司审〔2026〕3号")
		d.Addressee("区市场监管局")
		d.Para("经审查，结论为审查通过。请按程序办理。")
		d.Signature("清河区司法局", time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC))
		d.Colophon([]string{"区人民政府"}, "清河区司法局", time.Date(2026, 10, 9, 0, 0, 0, 0, time.UTC))
		b, err := d.Bytes()
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	typeAreaBottom := 841.89 - docx.MarginBottom/25.4*72
	for name, doc := range map[string][]byte{"one-page": short(), "three-page": threePageLetter(t)} {
		b, err := c.FromDOCX(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		keep(t, "colophon-"+name, b)
		words := pdfWords(t, b)
		last := words[len(words)-1].page
		var cc, printed, date *word
		for i := range words {
			w := &words[i]
			switch {
			case strings.HasPrefix(w.text, "抄送"):
				cc = w
			case strings.HasSuffix(w.text, "印发"):
				printed = w
			case strings.HasPrefix(w.text, "2026") && printed == nil && cc == nil:
				date = w // the signature's date comes before the 版记
			}
		}
		if cc == nil || printed == nil || date == nil {
			t.Fatalf("%s: 抄送 %v, 印发 %v, date %v not found", name, cc, printed, date)
		}
		if cc.page != last || printed.page != last {
			t.Errorf("%s: 版记 on pages %d/%d, last page %d", name, cc.page, printed.page, last)
		}
		if printed.yMax > typeAreaBottom+2 || printed.yMax < typeAreaBottom-12 {
			t.Errorf("%s: 印发 line ends at %.1f pt, want on the type area's last line (bottom %.1f pt)", name, printed.yMax, typeAreaBottom)
		}
		if d := printed.yMax - cc.yMax; d < 20 || d > 40 {
			t.Errorf("%s: 抄送 %.1f pt above the 印发 line, want one line (29 pt)", name, d)
		}
		if name == "one-page" && cc.yMax-date.yMax < 200 {
			t.Errorf("one-page: 版记 follows the signature (%.1f pt below it) instead of sitting at the foot", cc.yMax-date.yMax)
		}
	}
}
