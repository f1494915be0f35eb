package normdoc

import (
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Edits go through update.Run: a zero (missing) version is a validation
// error naming 版本号 on the field version, and nothing is written — on a
// document step, on submitting for review (before any review is opened) and
// on the issuing-body list; the version read succeeds beside it.
func TestZeroVersionIsInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		doc := m(f.s.CreateDraft(f.clerk, DraftInput{IssuerID: f.civil.ID, Title: "清河区社区养老服务管理办法", Summary: "养老", DraftedOn: "2026-08-01"}))
		version := func(err error) {
			t.Helper()
			wantCode(t, err, apperr.Invalid, "版本号")
			if e := apperr.As(err); len(e.Fields) != 1 || e.Fields[0].Field != "version" {
				t.Fatalf("fields %+v", e.Fields)
			}
		}
		before := f.snap(doc.ID)
		_, err := f.s.UpdateDraft(f.clerk, doc.ID, DraftInput{IssuerID: f.civil.ID, Title: "改名", Summary: "养老", DraftedOn: "2026-08-01"})
		version(err)
		_, err = f.s.SubmitReview(f.clerk, doc.ID, VersionInput{})
		version(err)
		if after := f.snap(doc.ID); after != before || len(f.rv.opened) != 0 {
			t.Fatalf("a refused edit wrote something: %+v → %+v, reviews opened %d", before, after, len(f.rv.opened))
		}
		doc = m(f.s.UpdateDraft(f.clerk, doc.ID, DraftInput{IssuerID: f.civil.ID, Title: "清河区社区养老服务管理规定", Summary: "养老", DraftedOn: "2026-08-01", Version: doc.Version}))
		if doc.Title != "清河区社区养老服务管理规定" || doc.Version != before.version+1 {
			t.Fatalf("edit with the version read: %+v", doc)
		}
		// A stale version stays a conflict.
		_, err = f.s.UpdateDraft(f.clerk, doc.ID, DraftInput{IssuerID: f.civil.ID, Title: "再改", Summary: "养老", DraftedOn: "2026-08-01", Version: doc.Version - 1})
		wantCode(t, err, apperr.Conflict, "已被他人修改")

		in := IssuerInput{UnitID: f.civil.UnitID, Name: f.civil.Name, Prefix: f.civil.Prefix, ListedOn: "2021-01-01", Basis: "依法设立"}
		_, err = f.s.UpdateIssuer(f.admin, f.civil.ID, in)
		version(err)
		in.Version = f.civil.Version
		is, err := f.s.UpdateIssuer(f.admin, f.civil.ID, in)
		if err != nil || is.Basis != "依法设立" || is.Version != f.civil.Version+1 {
			t.Fatalf("issuer edit with the version read: %+v %v", is, err)
		}
	})
}
