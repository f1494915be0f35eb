package app

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"fazhi/internal/casereview"
	"fazhi/internal/enforcement"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// crRecords are the case-review records of one authorization fixture, in
// the in-scope and out-of-scope units: a body with a closed case and an
// officer, a rubric, a draft plan and a drawn plan reviewing the unit with
// a reviewer of the other unit, a notice, a monitor, a contact point and a
// feedback record.
type crRecords struct {
	rubric   *casereview.Rubric
	body     map[bool]*enforcement.Body
	officer  map[bool]int64
	draft    map[bool]*casereview.Plan
	drawn    map[bool]*casereview.Plan
	file     map[bool]*casereview.File
	notice   map[bool]*casereview.Notice
	monitor  map[bool]*casereview.Monitor
	contact  map[bool]*casereview.Contact
	feedback map[bool]string
}

var crByFixture sync.Map

func crSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz casereview"))
}

func crRecs(t *testing.T, fx *authzFixture) *crRecords {
	t.Helper()
	if r, ok := crByFixture.Load(fx); ok {
		return r.(*crRecords)
	}
	en, svc, sys := fx.App.Enforcement(), fx.App.CaseReview(), crSys()
	r := &crRecords{body: map[bool]*enforcement.Body{}, officer: map[bool]int64{}, draft: map[bool]*casereview.Plan{}, drawn: map[bool]*casereview.Plan{},
		file: map[bool]*casereview.File{}, notice: map[bool]*casereview.Notice{}, monitor: map[bool]*casereview.Monitor{}, contact: map[bool]*casereview.Contact{},
		feedback: map[bool]string{}}
	d := casereview.DefaultRubric()
	var err error
	if r.rubric, err = svc.CreateRubric(sys, casereview.RubricInput{Name: fmt.Sprintf("评查授权测试标准%d", fx.Next()), Definition: d.Definition, ExcellentMin: 90, PassMin: 60}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []bool{true, false} {
		w := ndWhere(in)
		b, err := en.CreateBody(sys, enforcement.BodyInput{UnitID: fx.Unit(in).ID, Name: "评查授权测试" + w + "执法主体", Kind: "statutory", LegalBasis: "三定规定", Categories: "市场监管"})
		if err != nil {
			t.Fatal(err)
		}
		r.body[in] = b
		o, err := en.CreateOfficer(sys, enfOfficer(fx, in, "评查授权测试"+w+"评查员", fmt.Sprintf("CR-%s-1", w)))
		if err != nil {
			t.Fatal(err)
		}
		r.officer[in] = o.ID
		for i := range 2 {
			c := enfCase(b.ID, o.ID, fmt.Sprintf("评查授权测试%s办结案件%d", w, i))
			c.ServedOn, c.ClosedOn = "2026-04-03", "2026-04-10"
			if _, err := en.CreateCase(sys, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, in := range []bool{true, false} {
		w := ndWhere(in)
		r.draft[in] = crPlan(t, fx, r, in, "草稿", false)
		r.drawn[in] = crPlan(t, fx, r, in, "已抽取", true)
		files, err := svc.ListFiles(sys, casereview.FileFilter{PlanID: r.drawn[in].ID}, db.ListReq{})
		if err != nil || len(files.Items) == 0 {
			t.Fatalf("drawn fixture: %v %+v", err, files)
		}
		r.file[in] = &files.Items[0]
		r.notice[in] = crNotice(t, fx, r, in, "评查授权测试"+w+"监督事由")
		if r.monitor[in], err = svc.CreateMonitor(sys, casereview.MonitorInput{UnitID: fx.Unit(in).ID, Name: "评查授权测试" + w + "监督员",
			AppointedOn: "2026-01-01", TermEnd: "2028-12-31"}); err != nil {
			t.Fatal(err)
		}
		if r.contact[in], err = svc.CreateContact(sys, casereview.ContactInput{UnitID: fx.Unit(in).ID, Name: "评查授权测试" + w + "联系企业",
			ContactPerson: "张三", EstablishedOn: "2026-01-01"}); err != nil {
			t.Fatal(err)
		}
		r.feedback[in] = "评查授权测试" + w + "反馈内容"
		if _, err := svc.AddFeedback(sys, casereview.FeedbackInput{Source: "contact", ContactID: r.contact[in].ID, UnitID: fx.Unit(in).ID,
			ReceivedOn: "2026-05-01", Content: r.feedback[in]}); err != nil {
			t.Fatal(err)
		}
	}
	crByFixture.Store(fx, r)
	return r
}

// crPlan opens a plan of the record's unit reviewing that unit, with the
// other unit's officer as reviewer, drawn when asked.
func crPlan(t *testing.T, fx *authzFixture, r *crRecords, in bool, label string, drawIt bool) *casereview.Plan {
	t.Helper()
	svc, sys := fx.App.CaseReview(), crSys()
	p, err := svc.CreatePlan(sys, casereview.PlanInput{Year: 2026, Title: fmt.Sprintf("评查授权测试%s%s计划%d", ndWhere(in), label, fx.Next()), UnitID: fx.Unit(in).ID,
		RubricID: r.rubric.ID, UnitIDs: []int64{fx.Unit(in).ID}, PerUnit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddReviewers(sys, p.ID, casereview.ReviewersInput{OfficerIDs: []int64{r.officer[!in]}}); err != nil {
		t.Fatal(err)
	}
	if p, err = svc.GetPlan(sys, p.ID); err != nil {
		t.Fatal(err)
	}
	if drawIt {
		if p, err = svc.Commit(sys, p.ID, casereview.VersionInput{Version: p.Version}); err != nil {
			t.Fatal(err)
		}
		if p, err = svc.Draw(sys, p.ID, casereview.VersionInput{Version: p.Version}); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

func crNotice(t *testing.T, fx *authzFixture, r *crRecords, in bool, subject string) *casereview.Notice {
	t.Helper()
	n, err := fx.App.CaseReview().Issue(crSys(), casereview.NoticeInput{Kind: "opinion", BodyID: r.body[in].ID, IssuerID: fx.Unit(in).ID, Subject: subject,
		Items: []string{"执法文书不规范"}, IssuedOn: riToday()})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func init() {
	read, write, manage := casereview.PermRead, casereview.PermWrite, casereview.PermManage
	const base = "/api/case-review"
	path := func(f func(r *crRecords, in bool) string) func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: base + f(crRecs(t, fx), in)}
		}
	}
	list := func(p string, xlsx bool, marker func(r *crRecords, in bool) string) func(t *testing.T, fx *authzFixture, in bool) authzReq {
		return func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx)
			return authzReq{Path: base + p, Marker: marker(r, in), Xlsx: xlsx}
		}
	}
	planMarker := func(r *crRecords, in bool) string { return r.draft[in].Title }
	fileMarker := func(r *crRecords, in bool) string { return r.file[in].CaseTitle }
	noticeMarker := func(r *crRecords, in bool) string { return r.notice[in].Subject }
	monitorMarker := func(r *crRecords, in bool) string { return r.monitor[in].Name }
	contactMarker := func(r *crRecords, in bool) string { return r.contact[in].Name }
	feedbackMarker := func(r *crRecords, in bool) string { return r.feedback[in] }
	planBody := func(t *testing.T, fx *authzFixture, in bool) map[string]any {
		return map[string]any{"year": 2026, "title": fmt.Sprintf("评查授权测试新计划%d", fx.Next()), "unit_id": fx.Unit(in).ID,
			"rubric_id": crRecs(t, fx).rubric.ID, "unit_ids": []int64{fx.Unit(in).ID}, "per_unit": 1}
	}
	rubricBody := func(name string) map[string]any {
		d := casereview.DefaultRubric()
		return map[string]any{"name": name, "definition": d.Definition, "excellent_min": 90, "pass_min": 60}
	}
	routes := map[string]authzRoute{
		"GET /api/case-review/rubrics": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq { return authzReq{Path: base + "/rubrics"} }},
		"POST /api/case-review/rubrics": {Perm: manage, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: base + "/rubrics", Body: rubricBody(fmt.Sprintf("评查授权测试新标准%d", fx.Next()))}
		}},
		"PUT /api/case-review/rubrics/{id}": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx).rubric
			b := rubricBody(r.Name)
			b["version"] = fx.Version(t, "review_rubrics", r.ID)
			return authzReq{Path: fmt.Sprintf("%s/rubrics/%d", base, r.ID), Body: b}
		}},
		"GET /api/case-review/plans":             {Perm: read, List: true, OK: 200, Req: list("/plans?page_size=500", false, planMarker)},
		"GET /api/case-review/plans/export.xlsx": {Perm: read, List: true, OK: 200, Req: list("/plans/export.xlsx", true, planMarker)},
		"POST /api/case-review/plans": {Perm: manage, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: base + "/plans", Body: planBody(t, fx, in)}
		}},
		"GET /api/case-review/plans/{id}": {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/plans/%d", r.draft[in].ID) })},
		"PUT /api/case-review/plans/{id}": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := crRecs(t, fx).draft[in]
			b := planBody(t, fx, in)
			b["title"], b["version"] = p.Title, fx.Version(t, "review_plans", p.ID)
			return authzReq{Path: fmt.Sprintf("%s/plans/%d", base, p.ID), Body: b}
		}},
		"GET /api/case-review/plans/{id}/reviewers": {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/plans/%d/reviewers", r.draft[in].ID) })},
		"POST /api/case-review/plans/{id}/reviewers": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx)
			return authzReq{Path: fmt.Sprintf("%s/plans/%d/reviewers", base, r.draft[in].ID), Body: map[string]any{"officer_ids": []int64{r.officer[!in]}}}
		}},
		"DELETE /api/case-review/plans/{id}/reviewers/{officer_id}": {Perm: manage, Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx)
			p := crPlan(t, fx, r, in, "一次性", false)
			return authzReq{Path: fmt.Sprintf("%s/plans/%d/reviewers/%d", base, p.ID, r.officer[!in])}
		}},
		"POST /api/case-review/plans/{id}/commit": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := crPlan(t, fx, crRecs(t, fx), in, "一次性", false)
			return authzReq{Path: fmt.Sprintf("%s/plans/%d/commit", base, p.ID), Body: map[string]any{"version": p.Version}}
		}},
		"POST /api/case-review/plans/{id}/draw": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := crPlan(t, fx, crRecs(t, fx), in, "一次性", false)
			p, err := fx.App.CaseReview().Commit(crSys(), p.ID, casereview.VersionInput{Version: p.Version})
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("%s/plans/%d/draw", base, p.ID), Body: map[string]any{"version": p.Version}}
		}},
		"GET /api/case-review/plans/{id}/draw/{name}": {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string {
			return fmt.Sprintf("/plans/%d/draw/result.json", r.drawn[in].ID)
		})},
		"GET /api/case-review/plans/{id}/rankings":    {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/plans/%d/rankings", r.drawn[in].ID) })},
		"GET /api/case-review/plans/{id}/report.docx": {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/plans/%d/report.docx", r.drawn[in].ID) })},
		"GET /api/case-review/files":                  {Perm: read, List: true, OK: 200, Req: list("/files?page_size=500", false, fileMarker)},
		"GET /api/case-review/files/export.xlsx":      {Perm: read, List: true, OK: 200, Req: list("/files/export.xlsx", true, fileMarker)},
		"GET /api/case-review/files/{id}":             {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/files/%d", r.file[in].ID) })},
		"PUT /api/case-review/files/{id}/score": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx)
			p := crPlan(t, fx, r, in, "评分", true)
			files, err := fx.App.CaseReview().ListFiles(crSys(), casereview.FileFilter{PlanID: p.ID}, db.ListReq{})
			if err != nil {
				t.Fatal(err)
			}
			f := files.Items[0]
			return authzReq{Path: fmt.Sprintf("%s/files/%d/score", base, f.ID), Body: map[string]any{"reviewer_id": r.officer[!in], "reviewed_on": riToday(),
				"deductions": []map[string]any{{"code": "A1", "reason": "文书格式不规范"}}, "version": f.Version}}
		}},
		"GET /api/case-review/notices":             {Perm: read, List: true, OK: 200, Req: list("/notices?page_size=500", false, noticeMarker)},
		"GET /api/case-review/notices/export.xlsx": {Perm: read, List: true, OK: 200, Req: list("/notices/export.xlsx", true, noticeMarker)},
		"POST /api/case-review/notices": {Perm: manage, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx)
			return authzReq{Path: base + "/notices", Body: map[string]any{"kind": "suggestion", "body_id": r.body[in].ID, "issuer_id": fx.Unit(in).ID,
				"subject": "授权测试", "items": []string{"问题"}, "issued_on": riToday()}}
		}},
		"GET /api/case-review/notices/{id}":               {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/notices/%d", r.notice[in].ID) })},
		"GET /api/case-review/notices/{id}/document.docx": {Perm: read, Scoped: true, OK: 200, Req: path(func(r *crRecords, in bool) string { return fmt.Sprintf("/notices/%d/document.docx", r.notice[in].ID) })},
		"PUT /api/case-review/notices/{id}/reply": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			n := crNotice(t, fx, crRecs(t, fx), in, "评查授权测试答复")
			return authzReq{Path: fmt.Sprintf("%s/notices/%d/reply", base, n.ID), Body: map[string]any{"replied_on": riToday(), "reply": "已整改", "version": n.Version}}
		}},
		"GET /api/case-review/monitors":             {Perm: read, List: true, OK: 200, Req: list("/monitors?page_size=500", false, monitorMarker)},
		"GET /api/case-review/monitors/export.xlsx": {Perm: read, List: true, OK: 200, Req: list("/monitors/export.xlsx", true, monitorMarker)},
		"POST /api/case-review/monitors": {Perm: manage, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: base + "/monitors", Body: map[string]any{"unit_id": fx.Unit(in).ID, "name": "新监督员", "appointed_on": "2026-01-01", "term_end": "2028-12-31"}}
		}},
		"PUT /api/case-review/monitors/{id}": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			m := crRecs(t, fx).monitor[in]
			return authzReq{Path: fmt.Sprintf("%s/monitors/%d", base, m.ID), Body: map[string]any{"unit_id": m.UnitID, "name": m.Name, "appointed_on": m.AppointedOn,
				"term_end": m.TermEnd, "identity": "律师", "version": fx.Version(t, "enforcement_monitors", m.ID)}}
		}},
		"GET /api/case-review/contacts":             {Perm: read, List: true, OK: 200, Req: list("/contacts?page_size=500", false, contactMarker)},
		"GET /api/case-review/contacts/export.xlsx": {Perm: read, List: true, OK: 200, Req: list("/contacts/export.xlsx", true, contactMarker)},
		"POST /api/case-review/contacts": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: base + "/contacts", Body: map[string]any{"unit_id": fx.Unit(in).ID, "name": "新联系企业", "contact_person": "李四", "established_on": "2026-01-01"}}
		}},
		"PUT /api/case-review/contacts/{id}": {Perm: write, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			c := crRecs(t, fx).contact[in]
			return authzReq{Path: fmt.Sprintf("%s/contacts/%d", base, c.ID), Body: map[string]any{"unit_id": c.UnitID, "name": c.Name, "contact_person": "王五",
				"established_on": c.EstablishedOn, "version": fx.Version(t, "enterprise_contacts", c.ID)}}
		}},
		"GET /api/case-review/feedback":             {Perm: read, List: true, OK: 200, Req: list("/feedback?page_size=500", false, feedbackMarker)},
		"GET /api/case-review/feedback/export.xlsx": {Perm: read, List: true, OK: 200, Req: list("/feedback/export.xlsx", true, feedbackMarker)},
		"POST /api/case-review/feedback": {Perm: write, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := crRecs(t, fx)
			return authzReq{Path: base + "/feedback", Body: map[string]any{"source": "contact", "contact_id": r.contact[in].ID, "unit_id": fx.Unit(in).ID,
				"received_on": "2026-06-01", "content": "企业反映检查频繁"}}
		}},
		"GET /api/case-review/figures": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: base + "/figures?from=2026-01-01&to=2026-12-31"}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}
