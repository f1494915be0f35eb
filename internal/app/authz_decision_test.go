package app

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"fazhi/internal/decision"
	"fazhi/internal/org"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// passedReview stands in for legalreview when the matrix needs decisions
// past the collective decision: the state lives in the database, so a
// second decision.Service over the same database walks them there.
type passedReview struct {
	mu   sync.Mutex
	next int64
}

func (p *passedReview) Open(context.Context, decision.ReviewRequest) (int64, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next++
	return 900000 + p.next, nil
}

func (p *passedReview) Outcome(_ context.Context, _ string, id int64) (decision.ReviewOutcome, error) {
	return decision.ReviewOutcome{ReviewID: 900000 + id, Status: decision.ReviewPassed, FinishedOn: "2026-02-10"}, nil
}

func decSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz decision"))
}

// decAt creates a decision in the in- or out-of-scope unit and walks it up
// to (not including) step; "" walks through publication. Steps before the
// legality review use the app's service; later ones the walker with a
// passed review.
func decAt(t *testing.T, fx *authzFixture, in bool, until decision.Step) *decision.Detail {
	t.Helper()
	svc := fx.App.Decision()
	svc.CommentsPerHour = 100000
	if fx.decWalker == nil {
		fx.decWalker = decision.NewService(decision.Deps{DB: fx.DB, Units: org.NewService(fx.DB), Calendar: fx.App.Calendar, Rules: fx.App.Rules, Review: &passedReview{}})
	}
	walker := fx.decWalker
	ctx := decSys()
	n := fx.Next()
	d, err := svc.Start(ctx, decision.StartInput{Title: fmt.Sprintf("授权测试决策%d", n), UnitID: fx.Unit(in).ID, DecisionBody: "清河区人民政府",
		StartedOn: "2026-01-02", Reason: "授权测试", Approver: "区政府"})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		step decision.Step
		do   func() (*decision.Detail, error)
	}{
		{decision.StepDraft, func() (*decision.Detail, error) {
			return svc.RecordDraft(ctx, d.ID, decision.DraftInput{Version: d.Version, DraftData: decision.DraftData{Options: []string{"方案一"}, CostBenefit: "成本", Summary: "草案"}, DoneOn: "2026-01-05"})
		}},
		{decision.StepConsultation, func() (*decision.Detail, error) {
			d, err := svc.OpenConsultation(ctx, d.ID, decision.ConsultationInput{Version: d.Version, Channels: []string{"网站"}, Summary: "征求意见稿", CommentStart: "2026-01-06", CommentEnd: "2026-02-06"})
			if err != nil {
				return nil, err
			}
			return svc.CloseConsultation(ctx, d.ID, decision.CloseInput{Version: d.Version, Feedback: "采纳情况", DoneOn: "2026-02-07"})
		}},
		{decision.StepExpert, func() (*decision.Detail, error) {
			return svc.Skip(ctx, d.ID, decision.SkipInput{Version: d.Version, Step: decision.StepExpert, Reason: "非专业性事项"})
		}},
		{decision.StepRisk, func() (*decision.Detail, error) {
			return svc.Skip(ctx, d.ID, decision.SkipInput{Version: d.Version, Step: decision.StepRisk, Reason: "无社会稳定风险"})
		}},
		{decision.StepLegalReview, func() (*decision.Detail, error) {
			d, err := walker.SubmitLegalReview(ctx, d.ID, decision.SubmitReviewInput{Version: d.Version, Summary: "送审"})
			if err != nil {
				return nil, err
			}
			return walker.RefreshLegalReview(ctx, d.ID, decision.VersionInput{Version: d.Version})
		}},
		{decision.StepCollective, func() (*decision.Detail, error) {
			return walker.RecordCollective(ctx, d.ID, decCollective(d.Version))
		}},
		{decision.StepPartyReport, func() (*decision.Detail, error) {
			return walker.RecordPartyReport(ctx, d.ID, decision.PartyReportInput{Version: d.Version, PartyReportData: decision.PartyReportData{Committee: "区委", ReportedOn: "2026-02-12", Reply: "同意"}})
		}},
		{decision.StepPublication, func() (*decision.Detail, error) {
			return walker.Publish(ctx, d.ID, decision.PublicationInput{Version: d.Version, PublicationData: decision.PublicationData{PublishedOn: "2026-02-13", Channels: []string{"网站"}, AdoptionNote: "说明", Text: "决定"}})
		}},
	}
	for _, s := range steps {
		if s.step == until {
			break
		}
		if d, err = s.do(); err != nil {
			t.Fatalf("walk to %s: %v", s.step, err)
		}
	}
	return d
}

func decCollective(version int) decision.CollectiveInput {
	return decision.CollectiveInput{Version: version, MeetingType: "常务会议", MeetingName: "区政府常务会议", MeetingOn: "2026-02-11",
		Attendees: []string{"区长", "副区长"}, Votes: []decision.Vote{{Name: "副区长", Opinion: "agree"}}, HeadName: "区长", HeadDecision: "adopt"}
}

// decOpen is a decision in public consultation now, with one comment.
func decOpen(t *testing.T, fx *authzFixture, in bool) (*decision.Detail, int64) {
	t.Helper()
	svc := fx.App.Decision()
	d := decAt(t, fx, in, decision.StepConsultation)
	start := calendar.Today(time.Now()).AddDays(-1)
	end, _, err := svc.CommentWindow(start)
	if err != nil {
		t.Fatal(err)
	}
	d, err = svc.OpenConsultation(decSys(), d.ID, decision.ConsultationInput{Version: d.Version, Channels: []string{"网站"}, Summary: "征求意见稿", CommentStart: start.String(), CommentEnd: end.String()})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.PublicComment(context.Background(), d.ID, decision.CommentInput{Content: "授权测试的公众意见"}, "authz"); err != nil {
		t.Fatal(err)
	}
	cs, _, err := svc.ListComments(decSys(), d.ID, db.Page{})
	if err != nil || len(cs) == 0 {
		t.Fatalf("comments: %v", err)
	}
	return d, cs[0].ID
}

// decCatalogue makes a catalogue for a fresh unit under the in- or
// out-of-scope unit: draft with one item, approved, or published.
func decCatalogue(t *testing.T, fx *authzFixture, in bool, status decision.CatalogueStatus) *decision.Catalogue {
	t.Helper()
	svc := fx.App.Decision()
	ctx := decSys()
	c, err := svc.CreateCatalogue(ctx, decision.CatalogueInput{Year: 2026, UnitID: azSubUnit(t, fx, in)})
	if err != nil {
		t.Fatal(err)
	}
	cats, err := svc.ListCategories(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.AddItem(ctx, c.ID, decision.ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Title: "授权测试事项", UnitID: fx.Unit(in).ID}); err != nil {
		t.Fatal(err)
	}
	if status == decision.CatalogueDraft {
		return c
	}
	if c, err = svc.ApproveCatalogue(ctx, c.ID, decision.ApproveInput{Version: c.Version, PartyAgreedOn: "2026-01-10", PartyNote: "区委常委会"}); err != nil {
		t.Fatal(err)
	}
	if status == decision.CatalogueApproved {
		return c
	}
	if c, err = svc.PublishCatalogue(ctx, c.ID, decision.PublishInput{Version: c.Version, PublishedOn: "2026-01-12"}); err != nil {
		t.Fatal(err)
	}
	return c
}

func init() {
	read, write, approve, certify := decision.PermRead, decision.PermWrite, decision.PermApprove, decision.PermCertify
	path := func(d *decision.Detail, suffix string) string {
		return fmt.Sprintf("/api/decisions/%d%s", d.ID, suffix)
	}
	step := func(perm string, ok int, until decision.Step, suffix string, body func(d *decision.Detail) any) authzRoute {
		return authzRoute{Perm: perm, Scoped: true, OK: ok, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, until)
			return authzReq{Path: path(d, suffix), Body: body(d)}
		}}
	}
	routes := map[string]authzRoute{
		"GET /api/decision-categories": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-categories"}
		}},
		"POST /api/decision-categories": {Perm: approve, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-categories", Body: map[string]any{"name": fmt.Sprintf("授权测试类别%d", fx.Next()), "kinds": []string{"其他"}}}
		}},
		"PUT /api/decision-categories/{id}": {Perm: approve, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-categories/5", Body: map[string]any{"name": "其他重大事项", "kinds": []string{"重大公共建设项目", "政府投资", "其他"}, "sort": 5,
				"version": fx.Version(t, "decision_categories", 5)}}
		}},
		"GET /api/decision-catalogues": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := decCatalogue(t, fx, in, decision.CatalogueDraft)
			return authzReq{Path: "/api/decision-catalogues?page_size=500", Marker: c.Title}
		}},
		"POST /api/decision-catalogues": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-catalogues", Body: map[string]any{"year": 2026, "unit_id": azSubUnit(t, fx, in)}}
		}},
		"GET /api/decision-catalogues/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/decision-catalogues/%d", decCatalogue(t, fx, in, decision.CatalogueDraft).ID)}
		}},
		"POST /api/decision-catalogues/{id}/items": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := decCatalogue(t, fx, in, decision.CatalogueDraft)
			return authzReq{Path: fmt.Sprintf("/api/decision-catalogues/%d/items", c.ID), Body: map[string]any{"catalogue_version": c.Version,
				"category_id": c.Items[0].CategoryID, "title": "新增事项", "unit_id": fx.Unit(in).ID}}
		}},
		"PUT /api/decision-catalogue-items/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := decCatalogue(t, fx, in, decision.CatalogueDraft)
			it := c.Items[0]
			return authzReq{Path: fmt.Sprintf("/api/decision-catalogue-items/%d", it.ID), Body: map[string]any{"catalogue_version": c.Version,
				"category_id": it.CategoryID, "title": "修改后的事项", "unit_id": it.UnitID, "version": it.Version}}
		}},
		"DELETE /api/decision-catalogue-items/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := decCatalogue(t, fx, in, decision.CatalogueDraft)
			return authzReq{Path: fmt.Sprintf("/api/decision-catalogue-items/%d?catalogue_version=%d&version=%d", c.Items[0].ID, c.Version, c.Items[0].Version)}
		}},
		"POST /api/decision-catalogues/{id}/approve": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := decCatalogue(t, fx, in, decision.CatalogueDraft)
			return authzReq{Path: fmt.Sprintf("/api/decision-catalogues/%d/approve", c.ID), Body: map[string]any{"version": c.Version, "party_agreed_on": "2026-01-10", "party_note": "区委常委会"}}
		}},
		"POST /api/decision-catalogues/{id}/publish": {Perm: approve, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := decCatalogue(t, fx, in, decision.CatalogueApproved)
			return authzReq{Path: fmt.Sprintf("/api/decision-catalogues/%d/publish", c.ID), Body: map[string]any{"version": c.Version, "published_on": "2026-01-12"}}
		}},
		"GET /api/decision-experts": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-experts"}
		}},
		"POST /api/decision-experts": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-experts", Body: map[string]any{"name": "授权测试专家", "field": "法律", "employer": "某大学"}}
		}},
		"PUT /api/decision-experts/{id}": {Perm: write, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decision-experts/1", Body: map[string]any{"name": "周立群", "field": "城市规划", "employer": "清河大学建筑与城市规划学院",
				"version": fx.Version(t, "decision_experts", 1)}}
		}},
		"GET /api/decisions/procedure": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decisions/procedure"}
		}},
		"GET /api/decisions/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decisions/figures?from=2026-01-01&to=2026-12-31"}
		}},
		"GET /api/decisions": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, decision.StepDraft)
			return authzReq{Path: "/api/decisions?q=" + d.Code, Marker: d.Code}
		}},
		"GET /api/decisions/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, decision.StepDraft)
			return authzReq{Path: "/api/decisions/export.xlsx?q=" + d.Code, Marker: d.Code, Xlsx: true}
		}},
		"POST /api/decisions": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/decisions", Body: map[string]any{"title": "授权测试新决策", "unit_id": fx.Unit(in).ID, "decision_body": "清河区人民政府", "reason": "测试", "approver": "区长", "started_on": "2026-01-02"}}
		}},
		"GET /api/decisions/{id}": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path(decAt(t, fx, in, decision.StepDraft), "")}
		}},
		"GET /api/decisions/{id}/archive.zip": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: path(decAt(t, fx, in, decision.StepDraft), "/archive.zip")}
		}},
		"GET /api/decisions/{id}/comments": {Perm: read, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d, _ := decOpen(t, fx, in)
			return authzReq{Path: path(d, "/comments")}
		}},
		"PUT /api/decisions/{id}/comments/{comment_id}": {Perm: write, Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d, cid := decOpen(t, fx, in)
			return authzReq{Path: path(d, fmt.Sprintf("/comments/%d", cid)), Body: map[string]any{"adopted": "adopted"}}
		}},
		"GET /api/public/decisions": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/public/decisions"}
		}},
		"GET /api/public/decisions/{id}": {Perm: "", OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d, _ := decOpen(t, fx, in)
			return authzReq{Path: fmt.Sprintf("/api/public/decisions/%d", d.ID)}
		}},
		"POST /api/public/decisions/{id}/comments": {Perm: "", OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d, _ := decOpen(t, fx, in)
			return authzReq{Path: fmt.Sprintf("/api/public/decisions/%d/comments", d.ID), Body: map[string]any{"content": "公众通过门户提交的意见"}}
		}},
		"POST /api/decisions/{id}/draft": step(write, 200, decision.StepDraft, "/draft", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "options": []string{"方案"}, "cost_benefit": "成本", "summary": "草案", "done_on": "2026-01-05"}
		}),
		"POST /api/decisions/{id}/consultation": step(write, 200, decision.StepConsultation, "/consultation", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "channels": []string{"网站"}, "summary": "稿", "comment_start": "2026-01-06", "comment_end": "2026-02-06"}
		}),
		"POST /api/decisions/{id}/consultation/close": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, decision.StepConsultation)
			d, err := fx.App.Decision().OpenConsultation(decSys(), d.ID, decision.ConsultationInput{Version: d.Version, Channels: []string{"网站"}, Summary: "稿", CommentStart: "2026-01-06", CommentEnd: "2026-02-06"})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path(d, "/consultation/close"), Body: map[string]any{"version": d.Version, "feedback": "采纳情况", "done_on": "2026-02-07"}}
		}},
		"POST /api/decisions/{id}/skip": step(write, 200, decision.StepExpert, "/skip", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "step": "expert", "reason": "非专业性事项"}
		}),
		"POST /api/decisions/{id}/expert-opinions": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, decision.StepExpert)
			e, err := fx.App.Decision().SaveExpert(decSys(), 0, decision.ExpertInput{Name: fmt.Sprintf("专家%d", fx.Next()), Field: "法律", Employer: "某大学"})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path(d, "/expert-opinions"), Body: map[string]any{"version": d.Version, "expert_id": e.ID, "opinion": "可行", "signed": true, "signed_on": "2026-02-08"}}
		}},
		"POST /api/decisions/{id}/expert/complete": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, decision.StepExpert)
			e, err := fx.App.Decision().SaveExpert(decSys(), 0, decision.ExpertInput{Name: fmt.Sprintf("专家%d", fx.Next()), Field: "法律", Employer: "某大学"})
			if err != nil {
				t.Fatal(err)
			}
			if d, err = fx.App.Decision().AddOpinion(decSys(), d.ID, decision.OpinionInput{Version: d.Version, ExpertID: e.ID, Opinion: "可行", Signed: true, SignedOn: "2026-02-08"}); err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path(d, "/expert/complete"), Body: map[string]any{"version": d.Version, "summary": "综述", "done_on": "2026-02-08"}}
		}},
		"POST /api/decisions/{id}/risk": step(write, 200, decision.StepRisk, "/risk", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "assessor": "评估中心", "report": "报告", "risk_points": []string{"点"}, "measures": []string{"措施"}, "contingency_plan": "预案", "level": "低", "done_on": "2026-02-09"}
		}),
		"POST /api/decisions/{id}/legal-review": step(write, 200, decision.StepLegalReview, "/legal-review", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "summary": "请审查"}
		}),
		"POST /api/decisions/{id}/legal-review/refresh": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, decision.StepLegalReview)
			d, err := fx.App.Decision().SubmitLegalReview(azActor(t, fx, map[bool]string{true: "az_in", false: "az_out"}[in]), d.ID, decision.SubmitReviewInput{Version: d.Version, Summary: "请审查"})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path(d, "/legal-review/refresh"), Body: map[string]any{"version": d.Version}}
		}},
		// The collective decision, party-committee report and publication
		// are the decision body's acts (decision.certify for exactly the
		// government's unit, held by the government office's role only):
		// every role of the matrix — the responsible unit's head, the
		// district-wide supervisor — is refused (403). The app's legality
		// review has not passed either: the body would reach the gate
		// (decision service tests walk the allowed path).
		"POST /api/decisions/{id}/collective": step(certify, 422, decision.StepLegalReview, "/collective", func(d *decision.Detail) any {
			return decCollective(d.Version)
		}),
		"POST /api/decisions/{id}/party-report": step(certify, 200, decision.StepPartyReport, "/party-report", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "committee": "区委", "reported_on": "2026-02-12", "reply": "同意"}
		}),
		"POST /api/decisions/{id}/publication": step(certify, 200, decision.StepPublication, "/publication", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "published_on": "2026-02-13", "channels": []string{"网站"}, "adoption_note": "说明", "text": "决定"}
		}),
		"POST /api/decisions/{id}/implementation": step(write, 200, "", "/implementation", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "execution_unit": "区住建局", "plan": "方案"}
		}),
		"POST /api/decisions/{id}/progress": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, "")
			d, err := fx.App.Decision().RecordImplementation(decSys(), d.ID, decision.ImplementationInput{Version: d.Version, ImplementationData: decision.ImplementationData{ExecutionUnit: "区住建局", Plan: "方案"}})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path(d, "/progress"), Body: map[string]any{"version": d.Version, "reported_on": "2026-03-01", "content": "进展", "percent": 10}}
		}},
		"POST /api/decisions/{id}/evaluation": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			d := decAt(t, fx, in, "")
			// The evaluator is an assessing organisation of the pool.
			org, err := fx.App.Decision().SaveExpert(decSys(), 0, decision.ExpertInput{Kind: decision.PoolOrg, Name: fmt.Sprintf("授权测试评估院%d", fx.Next()),
				Field: "决策评估", CreditCode: fmt.Sprintf("91500000%09dX", fx.Next())})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: path(d, "/evaluation"), Body: map[string]any{"version": d.Version, "evaluator_id": org.ID, "trigger": "群众反映", "conclusion": "良好", "done_on": "2026-02-20"}}
		}},
		"POST /api/decisions/{id}/archive": step(write, 200, "", "/archive", func(d *decision.Detail) any {
			return map[string]any{"version": d.Version, "archive_no": "档-1", "keeper": "档案员"}
		}),
		"POST /api/decisions/{id}/evidence": step(write, 422, decision.StepDraft, "/evidence", func(d *decision.Detail) any {
			// file 999999 does not exist: allowed callers get the field error.
			return map[string]any{"version": d.Version, "step": "start", "file_ids": []int64{999999}}
		}),
		"POST /api/decisions/{id}/corrections": step(approve, 200, "", "/corrections", func(d *decision.Detail) any {
			return map[string]any{"authority": "市政府", "corrected_on": "2026-03-01", "kind": "责令改正", "description": "补充程序"}
		}),
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}

// azSubUnit creates a fresh office under the in- or out-of-scope unit (a
// catalogue is one per unit and year).
func azSubUnit(t *testing.T, fx *authzFixture, in bool) int64 {
	t.Helper()
	n := fx.Next()
	u, err := org.NewService(fx.DB).CreateUnit(decSys(), org.UnitInput{Code: fmt.Sprintf("AZ-DEC-%d", n), Name: fmt.Sprintf("授权测试科室%d", n),
		Type: org.TypeOffice, ParentID: fx.Unit(in).ID})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// azActor signs in username (for calls that need a real user, such as
// opening a legality review).
func azActor(t *testing.T, fx *authzFixture, username string) context.Context {
	t.Helper()
	a, err := demoPeople{fx.App.Org}.Actor(context.Background(), username)
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return auth.With(context.Background(), a)
}
