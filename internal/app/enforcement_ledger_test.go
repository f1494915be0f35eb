package app

import (
	"context"
	"strconv"
	"testing"

	"fazhi/internal/enforcement"
	"fazhi/internal/finding"
	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db/dbtest"
)

// A rule hit on a case reaches the real findings ledger as one 系统规则预警
// problem of the case's unit, is not raised twice, and is closed in the
// ledger when the case is corrected (through the wired adapters).
func TestEnforcementHitsInFindingsLedger(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, err := New(ctx, Config{DB: dsn, DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Close)
		sys := auth.With(ctx, auth.SystemActor("enforcement ledger test"))
		o := org.NewService(a.DB)
		root := scalar[int64](t, a, "SELECT MIN(id) FROM org_unit_refs")
		u, err := o.CreateUnit(sys, org.UnitInput{Code: "ENF-T", Name: "区市场监管局", Type: org.TypeDepartment, ParentID: root})
		if err != nil {
			t.Fatal(err)
		}
		svc := a.Enforcement()
		b, err := svc.CreateBody(sys, enforcement.BodyInput{UnitID: u.ID, Name: "清河区市场监督管理局", Kind: "statutory", LegalBasis: "三定规定", Categories: "市场监管"})
		if err != nil {
			t.Fatal(err)
		}
		var officers []int64
		for _, c := range []string{"ENF-1", "ENF-2"} {
			of, err := svc.CreateOfficer(sys, enforcement.OfficerInput{UnitID: u.ID, Name: "执法员" + c, CertNo: c, CertKind: "admin",
				CertAuthority: "清河市人民政府", CertIssuedOn: "2024-01-01", CertExpiresOn: "2030-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			officers = append(officers, of.ID)
		}
		in := enforcement.CaseInput{BodyID: b.ID, Kind: "penalty", Title: "无照经营", PartyType: "organisation", PartyName: "某公司",
			Procedure: "general", AmountFen: 100000, FiledOn: "2026-03-02", DecidedOn: "2026-04-01", DisclosedOn: "2026-04-02",
			OfficerIDs: officers[:1]}
		c, err := svc.CreateCase(sys, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.OpenHits) != 1 {
			t.Fatalf("hits %+v", c.OpenHits)
		}
		fid := c.OpenHits[0].FindingID
		f, err := a.Engines().Findings.Get(sys, fid)
		if err != nil {
			t.Fatal(err)
		}
		if f.Source != string(finding.SourceAutoRule) || f.UnitID != u.ID || f.SourceRef != c.Code || f.Status != string(finding.StatusOpen) || f.RectifyDue == "" {
			t.Fatalf("finding %+v", f.Finding)
		}
		in.Version, in.Title = c.Version, "无照经营（补正）"
		if c, err = svc.UpdateCase(sys, c.ID, in); err != nil {
			t.Fatal(err)
		}
		if n := scalar[int](t, a, "SELECT COUNT(*) FROM findings WHERE source = 'auto_rule' AND source_ref = ?", c.Code); n != 1 {
			t.Fatalf("%d findings for one hit", n)
		}
		in.Version, in.OfficerIDs = c.Version, officers
		if _, err = svc.UpdateCase(sys, c.ID, in); err != nil {
			t.Fatal(err)
		}
		f, err = a.Engines().Findings.Get(sys, fid)
		if err != nil {
			t.Fatal(err)
		}
		if f.Status != string(finding.StatusClosed) || f.ClosedOn == "" || len(f.Events) < 2 || f.Events[len(f.Events)-1].Action != "auto_close" {
			t.Fatalf("finding after correction %+v events %+v", f.Finding, f.Events)
		}
		if n := scalar[int](t, a, "SELECT COUNT(*) FROM jobs WHERE group_key = ? AND status = 'pending'", "finding:"+strconv.FormatInt(fid, 10)); n != 0 {
			t.Fatalf("escalation of a resolved finding still pending: %d", n)
		}
	})
}
