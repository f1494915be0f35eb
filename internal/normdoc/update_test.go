package normdoc

import (
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/update/updatetest"
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

// A clean-up campaign's edits (finish, publish) go through update.Run: a
// zero version is the validation error naming 版本号 and the campaign is not
// written (before: the zero version was answered as a conflict); a stale
// version stays a conflict; the version read succeeds.
func TestCleanupZeroVersionIsInvalid(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		doc := f.publishDoc(f.civil, "清河区养老服务补贴管理办法", "", "2022-03-01")
		mc := must[*Cleanup](t)
		c := mc(f.s.CreateCleanup(f.admin, CleanupInput{UnitID: f.mzj, Title: "2026年度规范性文件集中清理", StartedOn: "2026-10-01", DocumentIDs: []int64{doc.ID}}))
		c = mc(f.s.DecideItem(f.admin, c.ID, c.Items[0].ID, DecisionInput{Outcome: OutcomeKeep, Reason: "继续施行", Date: "2026-10-10"}))
		_, err := f.s.FinishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-20"})
		updatetest.WantVersionRequired(t, "finishing a clean-up", err)
		if now := mc(f.s.GetCleanup(f.admin, c.ID)); now.Status != CleanupOpen || now.Version != c.Version || now.FinishedOn != "" {
			t.Fatalf("a refused finish wrote the campaign: %+v", now)
		}
		_, err = f.s.FinishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-20", Version: c.Version + 1})
		wantCode(t, err, apperr.Conflict, "已被他人修改")
		c = mc(f.s.FinishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-20", Version: c.Version}))
		if c.Status != CleanupFinished || c.FinishedOn != "2026-10-20" {
			t.Fatalf("finish with the version read: %+v", c)
		}
		_, err = f.s.PublishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-25"})
		updatetest.WantVersionRequired(t, "publishing a clean-up", err)
		c = mc(f.s.PublishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-25", Version: c.Version}))
		if c.Status != CleanupPublished || c.PublishedOn != "2026-10-25" {
			t.Fatalf("publish with the version read: %+v", c)
		}
	})
}
