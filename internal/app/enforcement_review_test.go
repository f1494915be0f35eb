package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/enforcement"
	"fazhi/internal/legalreview"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db/dbtest"
)

// 重大执法决定法制审核 through the legalreview module: the case sends itself
// to review (kind 重大执法决定, linked to the case); while it runs the
// decision date is refused; the 司法局 reviewer approves and concludes in
// legalreview; the decision is then recorded, the case reads the passed
// outcome and the rule enforcement.major_review does not hit.
func TestEnforcementMajorDecisionLegalReview(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, err := New(ctx, Config{DB: dsn, DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(a.Close)
		sys := auth.With(ctx, auth.SystemActor("enforcement review test"))
		o := org.NewService(a.DB)
		root := scalar[int64](t, a, "SELECT MIN(id) FROM org_unit_refs")
		sj, err := o.CreateUnit(sys, org.UnitInput{Code: "ENR-SJ", Name: "区司法局（测试）", Type: org.TypeDepartment, ParentID: root})
		if err != nil {
			t.Fatal(err)
		}
		sc, err := o.CreateUnit(sys, org.UnitInput{Code: "ENR-SC", Name: "区市场监管局（测试）", Type: org.TypeDepartment, ParentID: root})
		if err != nil {
			t.Fatal(err)
		}
		user := func(name string, unit int64, role string) context.Context {
			u, err := o.CreateUser(sys, org.UserInput{Username: name, Name: name, UnitID: unit, Password: org.DemoPassword, Roles: []org.Assignment{{Role: role}}})
			if err != nil {
				t.Fatal(err)
			}
			act, err := o.LoadActor(ctx, u.ID)
			if err != nil {
				t.Fatal(err)
			}
			return auth.With(ctx, act)
		}
		reviewer := user("enr_reviewer", sj.ID, org.RoleSupervisor)
		clerk := user("enr_clerk", sc.ID, org.RoleClerk)
		lr := a.LegalReview()
		def, _ := json.Marshal(map[string]any{"code": "enr.check", "name": "法制审核", "steps": []map[string]any{{"key": "check", "name": "法制审核",
			"kind": "single", "assignees": []map[string]any{{"user_id": auth.From(reviewer).UserID}}, "deadline_days": 5, "opinion_required": true}}})
		if _, err := lr.CreateChain(sys, legalreview.ChainInput{Code: "enr.check", Name: "重大执法决定法制审核", Kind: string(legalreview.KindEnforcement),
			ReviewerUnitID: sj.ID, NumberPrefix: "清河司审", Definition: def}); err != nil {
			t.Fatal(err)
		}

		svc := a.Enforcement()
		b, err := svc.CreateBody(sys, enforcement.BodyInput{UnitID: sc.ID, Name: "清河区市场监督管理局（测试）", Kind: "statutory", LegalBasis: "三定规定", Categories: "市场监管"})
		if err != nil {
			t.Fatal(err)
		}
		var officers []int64
		for _, c := range []string{"ENR-1", "ENR-2"} {
			of, err := svc.CreateOfficer(sys, enforcement.OfficerInput{UnitID: sc.ID, Name: "执法员" + c, CertNo: c, CertKind: "admin",
				CertAuthority: "清河市人民政府", CertIssuedOn: "2024-01-01", CertExpiresOn: "2030-12-31"})
			if err != nil {
				t.Fatal(err)
			}
			officers = append(officers, of.ID)
		}
		today := calendar.Today(time.Now()).String()
		in := enforcement.CaseInput{BodyID: b.ID, Kind: "penalty", Title: "某建筑公司无证施工", PartyType: "organisation", PartyName: "某建筑公司",
			Procedure: "general", AmountFen: 500, Major: true, FiledOn: today, OfficerIDs: officers}
		c, err := svc.CreateCase(clerk, in)
		if err != nil {
			t.Fatal(err)
		}
		got, err := svc.OpenLegalReview(clerk, c.ID, enforcement.LegalReviewInput{Summary: "拟处罚款，案情复杂"})
		if err != nil || got.Status != enforcement.ReviewPending || got.ReviewID == 0 {
			t.Fatalf("open: %+v %v", got, err)
		}
		r, err := lr.Get(reviewer, got.ReviewID)
		if err != nil || r.Kind != legalreview.KindEnforcement || r.SubjectType != legalreview.EnforcementSubject || r.SubjectID != c.ID ||
			r.UnitID != sc.ID || !strings.Contains(r.Title, c.Code) {
			t.Fatalf("the review in legalreview: %+v %v", r, err)
		}
		if _, err := svc.OpenLegalReview(clerk, c.ID, enforcement.LegalReviewInput{Summary: "再次送审"}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second review while one runs: %v", err)
		}
		in.DecidedOn, in.Version = today, c.Version
		if _, err := svc.UpdateCase(clerk, c.ID, in); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), fmt.Sprintf("法制审核（第 %d 号）尚未办结", r.ID)) {
			t.Fatalf("decision while the review runs: %v", err)
		}
		if r, err = lr.Act(reviewer, r.ID, legalreview.ActInput{Action: "approve", Opinion: "事实清楚，证据确凿，适用依据正确", Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err = lr.Conclude(reviewer, r.ID, legalreview.ConcludeInput{Conclusion: "passed", Summary: "审核通过", Version: r.Version}); err != nil {
			t.Fatal(err)
		}
		c, err = svc.UpdateCase(clerk, c.ID, in)
		if err != nil {
			t.Fatalf("decision after the passed review: %v", err)
		}
		if c.LegalReview == nil || !c.LegalReview.Passed() || c.LegalReview.FinishedOn != today {
			t.Fatalf("the case's review: %+v", c.LegalReview)
		}
		for _, h := range c.OpenHits {
			if h.Rule == "enforcement.major_review" {
				t.Fatalf("major_review hit after a passed review: %+v", h)
			}
		}
		if n := scalar[int64](t, a, "SELECT COUNT(*) FROM enforcement_cases WHERE id = ? AND review_passed = 1", c.ID); n != 1 {
			t.Fatalf("review_passed not stored (figures read it): %d", n)
		}
	})
}
