// Package pdf turns generated Word documents into PDF. Where LibreOffice is
// installed it converts the .docx headless (faithful layout, the official
// font names aliased by fontconfig to the free fonts installed); elsewhere a
// pure-Go renderer (signintech/gopdf with a TrueType CJK font loaded from
// disk) sets the document's paragraphs on the same 公文 page, so every
// generated document has a PDF on any machine.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fazhi/internal/platform/docx"
)

// Config says how to make PDFs. Zero values pick sensible defaults.
type Config struct {
	// Soffice is the LibreOffice binary; "" looks for soffice/libreoffice
	// on PATH. "-" disables LibreOffice (the pure-Go renderer is used).
	Soffice string
	// FontPath is the TrueType (glyf) CJK font for the pure-Go renderer;
	// "" tries DefaultFontPaths.
	FontPath string
	// LatinFontPath is the TrueType font for digits and Latin letters
	// (Droid Sans Fallback has none); "" tries DefaultLatinFontPaths.
	LatinFontPath string
	// Timeout bounds one LibreOffice conversion (default 60 s).
	Timeout time.Duration
}

// DefaultFontPaths are tried in order for the pure-Go renderer: Debian's
// fonts-droid-fallback (Apache-2.0, classic TrueType).
var DefaultFontPaths = []string{
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/truetype/droid/DroidSansFallback.ttf",
}

// DefaultLatinFontPaths are tried for digits and Latin text (fonts-dejavu).
var DefaultLatinFontPaths = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
}

// Converter makes PDFs from .docx files.
type Converter struct {
	cfg     Config
	soffice string

	once     sync.Once
	fontsDir string
	fontsErr error
}

// New returns a converter for cfg.
func New(cfg Config) *Converter {
	if cfg.Timeout == 0 {
		cfg.Timeout = 60 * time.Second
	}
	c := &Converter{cfg: cfg}
	switch cfg.Soffice {
	case "-":
	case "":
		for _, n := range []string{"soffice", "libreoffice"} {
			if p, err := exec.LookPath(n); err == nil {
				c.soffice = p
				break
			}
		}
	default:
		c.soffice = cfg.Soffice
	}
	return c
}

// Engine names the engine FromDOCX uses: "libreoffice" or "gopdf".
func (c *Converter) Engine() string {
	if c.soffice != "" {
		return "libreoffice"
	}
	return "gopdf"
}

// FromDOCX converts a .docx to PDF with LibreOffice when it is installed,
// otherwise with the pure-Go renderer.
func (c *Converter) FromDOCX(ctx context.Context, doc []byte) ([]byte, error) {
	if c.soffice != "" {
		return c.libreOffice(ctx, doc)
	}
	return c.Render(doc)
}

// Render sets the .docx's paragraphs with the pure-Go renderer.
func (c *Converter) Render(doc []byte) ([]byte, error) {
	font, err := c.fontPath()
	if err != nil {
		return nil, err
	}
	latin := ""
	paths := DefaultLatinFontPaths
	if c.cfg.LatinFontPath != "" {
		paths = []string{c.cfg.LatinFontPath}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			latin = p
			break
		}
	}
	return render(doc, font, latin)
}

func (c *Converter) fontPath() (string, error) {
	paths := DefaultFontPaths
	if c.cfg.FontPath != "" {
		paths = []string{c.cfg.FontPath}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("pdf: no TrueType CJK font at %s (install fonts-droid-fallback or set the font path)", strings.Join(paths, ", "))
}

// libreOffice converts in a private directory with its own profile, so
// conversions may run side by side, and with a fontconfig file that maps
// the official font names to the fonts installed here.
func (c *Converter) libreOffice(ctx context.Context, doc []byte) ([]byte, error) {
	fonts, err := c.fontConfig()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "fazhi-pdf-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	doc, err = forLibreOffice(doc)
	if err != nil {
		return nil, err
	}
	in := filepath.Join(dir, "document.docx")
	if err := os.WriteFile(in, doc, 0o600); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.soffice, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
		"-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf:writer_pdf_Export", "--outdir", dir, in)
	cmd.Env = append(os.Environ(), "FONTCONFIG_FILE="+fonts, "HOME="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("pdf: libreoffice: %w: %s", err, strings.TrimSpace(out.String()))
	}
	b, err := os.ReadFile(filepath.Join(dir, "document.pdf"))
	if err != nil {
		return nil, fmt.Errorf("pdf: libreoffice wrote no PDF: %s", strings.TrimSpace(out.String()))
	}
	return b, nil
}

// FontConfig is the fontconfig file the LibreOffice conversions use: the
// system configuration plus an alias from each official font to its
// fallbacks (docx.Fallbacks) and the free CJK fonts.
func FontConfig() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n" + `<!DOCTYPE fontconfig SYSTEM "fonts.dtd">` + "\n<fontconfig>\n")
	b.WriteString("  <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n")
	free := map[string][]string{
		docx.FontTitle:      {"Noto Serif CJK SC", "Droid Sans Fallback"},
		docx.FontBody:       {"Noto Serif CJK SC", "Droid Sans Fallback"},
		docx.FontH1:         {"Noto Sans CJK SC", "Droid Sans Fallback"},
		docx.FontH2:         {"Noto Serif CJK SC", "Droid Sans Fallback"},
		docx.FontPageNumber: {"Noto Serif CJK SC", "Droid Sans Fallback"},
	}
	for _, name := range []string{docx.FontTitle, docx.FontBody, docx.FontH1, docx.FontH2, docx.FontPageNumber} {
		fmt.Fprintf(&b, "  <alias binding=\"same\"><family>%s</family><prefer>", name)
		for _, f := range append(append([]string{}, docx.Fallbacks[name]...), free[name]...) {
			fmt.Fprintf(&b, "<family>%s</family>", f)
		}
		b.WriteString("</prefer></alias>\n")
	}
	// The title face: bold stands in for 小标宋.
	fmt.Fprintf(&b, "  <match target=\"pattern\"><test name=\"family\"><string>%s</string></test><edit name=\"weight\" mode=\"assign\"><const>bold</const></edit></match>\n", docx.FontTitle)
	b.WriteString("</fontconfig>\n")
	return b.String()
}

func (c *Converter) fontConfig() (string, error) {
	c.once.Do(func() {
		c.fontsDir, c.fontsErr = os.MkdirTemp("", "fazhi-fonts-")
		if c.fontsErr == nil {
			c.fontsErr = os.WriteFile(filepath.Join(c.fontsDir, "fonts.conf"), []byte(FontConfig()), 0o644)
		}
	})
	if c.fontsErr != nil {
		return "", c.fontsErr
	}
	return filepath.Join(c.fontsDir, "fonts.conf"), nil
}

// ErrNoText is returned for a document with nothing to print.
var ErrNoText = errors.New("pdf: the document has no text")
