package normdoc

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"fazhi/internal/platform/calendar"

	"fazhi/internal/legalreview"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The collective deliberation is the issuing body's act: a district-wide
// approver acting for another unit (the 司法局) is refused on the
// government's document; the government office, acting for exactly the
// government's unit, records it.
func TestDeliberationOnlyByTheIssuingBody(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		var rootPath, sfjPath string
		if err := d.QueryRow(t.Context(), "SELECT path FROM org_units WHERE id = ?", f.root).Scan(&rootPath); err != nil {
			t.Fatal(err)
		}
		if err := d.QueryRow(t.Context(), "SELECT path FROM org_units WHERE id = ?", f.sfj).Scan(&sfjPath); err != nil {
			t.Fatal(err)
		}
		doc := m(f.s.CreateDraft(f.admin, DraftInput{IssuerID: f.gov.ID, Title: "清河区政府规章以外文件", DraftedOn: "2026-11-02"}))
		doc = m(f.s.SubmitReview(f.admin, doc.ID, VersionInput{Version: doc.Version}))
		f.rv.conclude(doc.ID, legalreview.OutcomePassed, "2026-11-12")
		all := auth.Scope{All: true}
		sfjHead := actor(4, "head_sfj", f.sfj, map[string]auth.Scope{PermRead: all, PermWrite: all, PermApprove: all,
			PermCertify: {Ranges: []auth.UnitRange{{Path: sfjPath, Subtree: true}}}})
		in := DeliberationInput{Meeting: "区政府第30次常务会议", Date: "2026-11-16", Version: doc.Version}
		_, err := f.s.Deliberate(sfjHead, doc.ID, in)
		wantCode(t, err, apperr.Forbidden, "由制定机关（清河区人民政府）作出")
		office := actor(5, "zfb", f.root, map[string]auth.Scope{PermRead: all, PermCertify: {Ranges: []auth.UnitRange{{Path: rootPath}}}})
		doc = m(f.s.Deliberate(office, doc.ID, in))
		if doc.Status != StatusDeliberated {
			t.Fatalf("status %s after the office recorded the deliberation", doc.Status)
		}
	})
}

// The public library on a simulated clock: a document published today with
// its effective date a month later is 尚未施行 (and not in the in-force
// list) until that date, and 现行有效 from it. Future dates are refused for
// deliberation, registration and publication, naming the field.
func TestPublicLibraryNotInForceBeforeEffectiveDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow) // 2026-11-20
		clock := fixedNow
		f.s = NewService(d, f.s.cal, f.s.rules, f.rv, Options{Now: func() time.Time { return clock }})
		m := must[*Document](t)
		doc := m(f.s.CreateDraft(f.admin, DraftInput{IssuerID: f.gov.ID, Title: "清河区城市绿化管理办法", Summary: "绿化", DraftedOn: "2026-11-02"}))
		doc = m(f.s.SubmitReview(f.admin, doc.ID, VersionInput{Version: doc.Version}))
		f.rv.conclude(doc.ID, legalreview.OutcomePassed, "2026-11-16")
		_, err := f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "区政府常务会议", Date: "2026-11-21", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "审议日期不能晚于今天（2026-11-20）")
		doc = m(f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "区政府常务会议", Date: "2026-11-18", Version: doc.Version}))
		_, err = f.s.Register(f.admin, doc.ID, DateInput{Date: "2026-12-01", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "登记日期不能晚于今天")
		doc = m(f.s.Register(f.admin, doc.ID, DateInput{Date: "2026-11-19", Version: doc.Version}))
		_, err = f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-11-25", EffectiveOn: "2026-12-25", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "公布日期不能晚于今天")
		if e := apperr.As(err); len(e.Fields) == 0 || e.Fields[0].Field != "published_on" {
			t.Fatalf("field: %+v", e)
		}
		doc = m(f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-11-20", EffectiveOn: "2026-12-20", Version: doc.Version}))
		// The staff see what the public library says (one function decides):
		// the record, the ledger and its export.
		staff := func() (got, ledger, export string) {
			t.Helper()
			one, err := f.s.Get(f.admin, doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			page, err := f.s.List(f.admin, ListInput{Q: "绿化管理"})
			if err != nil || len(page.Items) != 1 {
				t.Fatalf("ledger: %+v %v", page.Items, err)
			}
			b, err := f.s.Export(f.admin, ListInput{Q: "绿化管理"})
			if err != nil {
				t.Fatal(err)
			}
			x, err := excelize.OpenReader(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			rows, err := x.GetRows("规范性文件台账")
			if err != nil || len(rows) != 2 {
				t.Fatalf("export rows %v %v", rows, err)
			}
			col := slices.Index(rows[0], "状态")
			if col < 0 {
				t.Fatalf("export header %v", rows[0])
			}
			return one.StatusLabel, page.Items[0].StatusLabel, rows[1][col]
		}
		if doc.StatusLabel != "尚未施行" {
			t.Errorf("publish answered status %q, want 尚未施行", doc.StatusLabel)
		}
		if a, b, c := staff(); a != "尚未施行" || b != "尚未施行" || c != "尚未施行" {
			t.Errorf("staff record/ledger/export before the effective date: %q %q %q, want 尚未施行", a, b, c)
		}

		validity := func(filter string) (string, int) {
			t.Helper()
			page, err := f.s.PublicList(context.Background(), PublicListInput{Q: "绿化管理", Validity: filter})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				if p.ID == doc.ID {
					return p.Validity, len(page.Items)
				}
			}
			return "", len(page.Items)
		}
		if v, _ := validity(""); v != "尚未施行" {
			t.Fatalf("published today, effective 2026-12-20: validity %q, want 尚未施行", v)
		}
		if v, _ := validity("in_force"); v != "" {
			t.Fatal("a document not yet in force is listed as in force")
		}
		if v, _ := validity("pending"); v != "尚未施行" {
			t.Fatalf("pending filter: %q", v)
		}
		one, err := f.s.PublicGet(context.Background(), doc.ID)
		if err != nil || one.Validity != "尚未施行" {
			t.Fatalf("public detail: %+v %v", one, err)
		}
		clock = time.Date(2026, 12, 19, 23, 0, 0, 0, calendar.Shanghai)
		if v, _ := validity(""); v != "尚未施行" {
			t.Fatalf("the day before: %q", v)
		}
		clock = time.Date(2026, 12, 20, 8, 0, 0, 0, calendar.Shanghai)
		if v, _ := validity("in_force"); v != "现行有效" {
			t.Fatalf("on the effective date: %q, want 现行有效", v)
		}
		if a, b, c := staff(); a != "现行有效" || b != "现行有效" || c != "现行有效" {
			t.Errorf("staff record/ledger/export on the effective date: %q %q %q, want 现行有效", a, b, c)
		}
	})
}

// A row whose publication date lies ahead (imported or recorded before the
// check existed) is not public until that day.
func TestPublicLibraryNothingBeforePublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		doc := f.publishDoc(f.gov, "清河区古树名木保护办法", "", "2026-11-20")
		if _, err := d.Exec(context.Background(), "UPDATE normdoc_documents SET published_on = ?, effective_on = ? WHERE id = ?", "2026-12-01", "2027-01-01", doc.ID); err != nil {
			t.Fatal(err)
		}
		page, err := f.s.PublicList(context.Background(), PublicListInput{Q: "古树名木"})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Items {
			if p.ID == doc.ID {
				t.Fatalf("listed before its publication date: %+v", p)
			}
		}
		if _, err := f.s.PublicGet(context.Background(), doc.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("public detail before publication: %v", err)
		}
	})
}
