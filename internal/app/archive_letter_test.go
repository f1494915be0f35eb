package app

import (
	"bytes"
	"context"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/pdf"
)

// The decision archive gets a concluded review's opinion letter from
// legalreview: the .docx legalreview renders, its number, and a PDF printed
// from that same .docx.
func TestArchiveLetterFromLegalreview(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := demoApp(t, dsn)
		ctx := auth.With(context.Background(), auth.SystemActor("test"))
		id := scalar[int64](t, a, "SELECT id FROM legalreviews WHERE status = 'concluded' AND opinion_no <> '' ORDER BY id LIMIT 1")
		lr := a.LegalReview()
		// The pure-Go renderer: a LibreOffice start would make the test slow.
		l, err := decisionReview{lr: lr, pdf: pdf.New(pdf.Config{Soffice: "-"})}.Letter(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		rev, err := lr.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		_, name, err := lr.Letter(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if l.Number != rev.OpinionNo || l.Name != name || !bytes.HasPrefix(l.DOCX, []byte("PK")) {
			t.Fatalf("letter %q %q (%d bytes), want %q %q, a .docx", l.Number, l.Name, len(l.DOCX), rev.OpinionNo, name)
		}
		if !bytes.HasPrefix(l.PDF, []byte("%PDF")) || l.PDFName != "法律审查意见书-"+rev.OpinionNo+".pdf" {
			t.Fatalf("PDF %q (%d bytes, starts %q)", l.PDFName, len(l.PDF), l.PDF[:min(len(l.PDF), 8)])
		}
	})
}
