package files

import (
	"mime"
	"testing"
)

func TestContentDispositionASCIIFallback(t *testing.T) {
	cases := []struct{ name, fallback, ascii string }{
		{"合法性审查台账.xlsx", "legal-reviews-ledger.xlsx", "legal-reviews-ledger.xlsx"},
		{"现场照片 IMG_0042.jpg", "", "IMG_0042.jpg"},
		{"清河司审〔2026〕3号 法律审查意见书.docx", "", "2026-3.docx"},
		{"整改报告.pdf", "", "download.pdf"},
		{"整改报告.pdf", "ＡＢ", "download.pdf"}, // a fallback with no ASCII is ignored
		{"report \"final\".txt", "", "report-final.txt"},
		{"报告.中文", "", "download"},
		// Names that merely start with "download" are names like any other.
		{"下载登记表.xlsx", "downloads-2026.xlsx", "downloads-2026.xlsx"},
		{"download-2026 清单.pdf", "", "download-2026.pdf"},
	}
	for _, c := range cases {
		h := ContentDisposition(c.name, c.fallback)
		typ, params, err := mime.ParseMediaType(h)
		if err != nil || typ != "attachment" {
			t.Fatalf("%q: %q %v", c.name, h, err)
		}
		// mime decodes filename* into filename (the UTF-8 name wins).
		if params["filename"] != c.name {
			t.Errorf("%q: UTF-8 name decoded as %q", c.name, params["filename"])
		}
		// The plain filename parameter, as a client ignoring filename* reads it.
		want := `attachment; filename=` + quoteIfNeeded(c.ascii) + `; filename*=UTF-8''`
		if len(h) < len(want) || h[:len(want)] != want {
			t.Errorf("%q: header %q, want prefix %q", c.name, h, want)
		}
	}
}

func quoteIfNeeded(s string) string {
	return mime.FormatMediaType("x", map[string]string{"filename": s})[len("x; filename="):]
}
