package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"fazhi/internal/enforcement"
	"fazhi/internal/exam"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db/dbtest"

	"github.com/xuri/excelize/v2"
)

// examRecords are the exam records of one authorization fixture: an
// officer linked to the in- and out-of-scope accounts, an exam requiring
// both (organised by the in- and out-of-scope units), and a passed exam of
// clerk_sj (the certificate).
type examRecords struct {
	officer map[bool]*enforcement.Officer
	exam    map[bool]*exam.Exam
	passed  *exam.Exam
	clerk   context.Context // clerk_sj as a candidate
}

var examByFixture sync.Map

func examSys() context.Context {
	return auth.With(context.Background(), auth.SystemActor("authz exam"))
}

func examInput(fx *authzFixture, in bool, title string) exam.ExamInput {
	now := time.Now()
	return exam.ExamInput{Purpose: examPurposeEnforcement, UnitID: fx.Unit(in).ID, Title: title, DurationMin: 30, PassMark: 10, MaxAttempts: 3,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(48 * time.Hour),
		Quotas: []exam.Quota{{Topic: "行政处罚法", Kind: exam.KindSingle, Count: 5, Points: 2}, {Topic: "行政处罚法", Kind: exam.KindJudge, Count: 5, Points: 2}}}
}

// examFor creates an exam requiring clerk_sj (and the fixture's account of
// in) and returns it.
func (r *examRecords) examForClerk(t *testing.T, fx *authzFixture, title string) *exam.Exam {
	t.Helper()
	svc, sys := fx.App.Exam(), examSys()
	e, err := svc.CreateExam(sys, examInput(fx, true, fmt.Sprintf("%s%d", title, fx.Next())))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddCandidates(sys, e.ID, exam.CandidatesInput{UserIDs: []int64{auth.From(r.clerk).UserID}}); err != nil {
		t.Fatal(err)
	}
	return e
}

// attempt starts a fresh attempt of clerk_sj.
func (r *examRecords) attempt(t *testing.T, fx *authzFixture) *exam.Paper {
	t.Helper()
	p, err := fx.App.Exam().Start(r.clerk, r.examForClerk(t, fx, "授权测试作答").ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func examRecs(t *testing.T, fx *authzFixture) *examRecords {
	t.Helper()
	if r, ok := examByFixture.Load(fx); ok {
		return r.(*examRecords)
	}
	svc, en, sys := fx.App.Exam(), fx.App.Enforcement(), examSys()
	recs := &examRecords{officer: map[bool]*enforcement.Officer{}, exam: map[bool]*exam.Exam{}}
	uid, name, unit, err := fx.App.Org.UserByUsername(sys, "clerk_sj")
	if err != nil {
		t.Fatal(err)
	}
	recs.clerk = auth.With(context.Background(), &auth.Actor{UserID: uid, Username: "clerk_sj", Name: name, UnitID: unit, Perms: map[string]auth.Scope{exam.PermTake: {All: true}}})
	for _, in := range []bool{true, false} {
		w := ndWhere(in)
		o, err := en.CreateOfficer(sys, enfOfficer(fx, in, "授权测试"+w+"考生", "AZ-KS-"+w))
		if err != nil {
			t.Fatal(err)
		}
		username := map[bool]string{true: "az_in", false: "az_out"}[in]
		if o, err = en.LinkAccount(sys, o.ID, enforcement.AccountInput{Username: username, Version: o.Version}); err != nil {
			t.Fatal(err)
		}
		e, err := svc.CreateExam(sys, examInput(fx, in, "授权测试"+w+"考试"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddCandidates(sys, e.ID, exam.CandidatesInput{UserIDs: []int64{fx.User(in)}}); err != nil {
			t.Fatal(err)
		}
		recs.officer[in], recs.exam[in] = o, e
	}
	recs.passed = recs.examForClerk(t, fx, "授权测试已通过")
	p, err := svc.Start(recs.clerk, recs.passed.ID)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := svc.DemoAnswers(recs.clerk, p.AttemptID, 1, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveAnswers(recs.clerk, p.AttemptID, ans); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Submit(recs.clerk, p.AttemptID); err != nil {
		t.Fatal(err)
	}
	examByFixture.Store(fx, recs)
	return recs
}

func questionWorkbook(t *testing.T, stem string) []byte {
	f := excelize.NewFile()
	defer f.Close()
	_ = f.SetSheetName("Sheet1", exam.QuestionSheet)
	head := []any{"题型", "专题", "难度", "题干", "答案"}
	row := []any{"判断题", "授权测试专题", "容易", stem, "对"}
	_ = f.SetSheetRow(exam.QuestionSheet, "A1", &head)
	_ = f.SetSheetRow(exam.QuestionSheet, "A2", &row)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func init() {
	manage, read, take := exam.PermManage, exam.PermRead, exam.PermTake
	xlsxType := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	// Only the candidate (clerk_sj) reaches an attempt or a certificate;
	// the other roles that may sit exams are told it does not exist.
	notCandidate := map[string]int{"supervisor": 404, "head": 404, "leader": 404}
	question := func(t *testing.T, fx *authzFixture) *exam.Question {
		q, err := fx.App.Exam().CreateQuestion(examSys(), exam.QuestionInput{Kind: "judge", Topic: "授权测试专题", Difficulty: "easy",
			Stem: fmt.Sprintf("授权测试判断题%d", fx.Next()), Answer: "T"})
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	routes := map[string]authzRoute{
		"GET /api/exam/meta": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq { return authzReq{Path: "/api/exam/meta"} }},
		"GET /api/exam/questions": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/exam/questions?topic=行政处罚法"}
		}},
		"GET /api/exam/questions/export.xlsx": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/exam/questions/export.xlsx?topic=行政复议法"}
		}},
		"POST /api/exam/questions/import": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/exam/questions/import", Raw: questionWorkbook(t, fmt.Sprintf("授权测试导入题%d", fx.Next())), ContentType: xlsxType}
		}},
		"POST /api/exam/questions": {Perm: manage, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/exam/questions", Body: map[string]any{"kind": "single", "topic": "授权测试专题", "difficulty": "medium",
				"stem": fmt.Sprintf("授权测试单选题%d", fx.Next()), "options": []string{"甲", "乙"}, "answer": "B"}}
		}},
		"GET /api/exam/questions/{id}": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/questions/%d", question(t, fx).ID)}
		}},
		"PUT /api/exam/questions/{id}": {Perm: manage, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			q := question(t, fx)
			return authzReq{Path: fmt.Sprintf("/api/exam/questions/%d", q.ID), Body: map[string]any{"kind": "judge", "topic": q.Topic, "difficulty": "hard",
				"stem": q.Stem, "answer": "F", "version": q.Version}}
		}},
		"GET /api/exam/exams": {Perm: manage, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			examRecs(t, fx)
			return authzReq{Path: "/api/exam/exams?q=授权测试" + ndWhere(in) + "考试", Marker: "授权测试" + ndWhere(in) + "考试"}
		}},
		"POST /api/exam/exams": {Perm: manage, Scoped: true, OK: 201, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			b, _ := json.Marshal(examInput(fx, in, fmt.Sprintf("授权测试新考试%d", fx.Next())))
			var body map[string]any
			_ = json.Unmarshal(b, &body)
			return authzReq{Path: "/api/exam/exams", Body: body}
		}},
		"GET /api/exam/exams/{id}": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d", examRecs(t, fx).exam[in].ID)}
		}},
		"PUT /api/exam/exams/{id}": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			e, err := fx.App.Exam().CreateExam(examSys(), examInput(fx, in, fmt.Sprintf("授权测试待改考试%d", fx.Next())))
			if err != nil {
				t.Fatal(err)
			}
			body := examInput(fx, in, e.Title+"（修改）")
			body.Version = e.Version
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d", e.ID), Body: body}
		}},
		"DELETE /api/exam/exams/{id}": {Perm: manage, Scoped: true, OK: 204, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			e, err := fx.App.Exam().CreateExam(examSys(), examInput(fx, in, fmt.Sprintf("授权测试待删考试%d", fx.Next())))
			if err != nil {
				t.Fatal(err)
			}
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d?version=%d", e.ID, e.Version)}
		}},
		"POST /api/exam/exams/{id}/candidates": {Perm: manage, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d/candidates", examRecs(t, fx).exam[in].ID), Body: map[string]any{"user_ids": []int64{fx.User(in)}}}
		}},
		"GET /api/exam/exams/{id}/coverage": {Perm: read, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d/coverage", examRecs(t, fx).exam[in].ID)}
		}},
		"GET /api/exam/candidates": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			examRecs(t, fx)
			return authzReq{Path: "/api/exam/candidates?q=授权测试", Marker: "授权测试" + ndWhere(in) + "考生"}
		}},
		"GET /api/exam/candidates/export.xlsx": {Perm: read, List: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			examRecs(t, fx)
			return authzReq{Path: "/api/exam/candidates/export.xlsx?q=授权测试", Marker: "授权测试" + ndWhere(in) + "考生", Xlsx: true}
		}},
		"GET /api/exam/my": {Perm: take, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq { return authzReq{Path: "/api/exam/my"} }},
		"POST /api/exam/exams/{id}/start": {Perm: take, OK: 200, Deny: notCandidate, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			r := examRecs(t, fx)
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d/start", r.examForClerk(t, fx, "授权测试开考").ID)}
		}},
		"GET /api/exam/attempts/{id}": {Perm: take, OK: 200, Deny: notCandidate, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/attempts/%d", examRecs(t, fx).attempt(t, fx).AttemptID)}
		}},
		"PUT /api/exam/attempts/{id}/answers": {Perm: take, OK: 200, Deny: notCandidate, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			p := examRecs(t, fx).attempt(t, fx)
			return authzReq{Path: fmt.Sprintf("/api/exam/attempts/%d/answers", p.AttemptID), Body: map[string]any{"answers": []map[string]any{{"pos": 1, "answer": "A"}}}}
		}},
		"POST /api/exam/attempts/{id}/submit": {Perm: take, OK: 200, Deny: notCandidate, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/attempts/%d/submit", examRecs(t, fx).attempt(t, fx).AttemptID)}
		}},
		"GET /api/exam/exams/{id}/certificate.docx": {Perm: take, OK: 200, Deny: notCandidate, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: fmt.Sprintf("/api/exam/exams/%d/certificate.docx", examRecs(t, fx).passed.ID)}
		}},
		// enforcement's side
		"GET /api/enforcement/training": {Perm: enforcement.PermRead, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			return authzReq{Path: "/api/enforcement/training"}
		}},
		"PUT /api/enforcement/officers/{id}/account": {Perm: enforcement.PermWrite, Scoped: true, OK: 200, Req: func(t *testing.T, fx *authzFixture, in bool) authzReq {
			o := examRecs(t, fx).officer[in]
			username := map[bool]string{true: "az_in", false: "az_out"}[in]
			return authzReq{Path: fmt.Sprintf("/api/enforcement/officers/%d/account", o.ID),
				Body: map[string]any{"username": username, "version": fx.Version(t, "enforcement_officers", o.ID)}}
		}},
	}
	for k, v := range routes {
		authzRoutes[k] = v
	}
}

// examKeyFields are what would give an answer key away.
var examKeyFields = []string{"answer", "key", "explanation", "correct"}

// The candidate's walk through every exam route as clerk_sj: the answer
// key never appears in any response (before, during and after the
// attempt), and the organisers' routes that hold keys refuse a candidate.
func TestExamCandidateNeverReceivesAnswers(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		fx := newAuthzFixture(t, dsn)
		r := examRecs(t, fx)
		cookie := fx.login(t, "clerk_sj")
		e := r.examForClerk(t, fx, "答案不外泄")
		var checked []string
		call := func(method, path string, body any) []byte {
			t.Helper()
			code, b := fx.do(t, method, authzReq{Path: path, Body: body}, cookie)
			checked = append(checked, fmt.Sprintf("%s %s → %d", method, path, code))
			if ct := http.DetectContentType(b); strings.HasPrefix(ct, "text/plain") || strings.HasPrefix(ct, "application/json") {
				var x any
				if json.Unmarshal(b, &x) == nil {
					walkKeys(t, method+" "+path, x)
				}
			}
			return b
		}
		for _, p := range []string{"/api/exam/questions", "/api/exam/questions/export.xlsx", "/api/exam/meta", "/api/exam/exams",
			fmt.Sprintf("/api/exam/exams/%d", e.ID), "/api/exam/questions/1"} {
			if code, _ := fx.do(t, "GET", authzReq{Path: p}, cookie); code != 403 {
				t.Errorf("candidate GET %s: %d, want 403", p, code)
			}
		}
		call("GET", "/api/exam/my", nil)
		var paper exam.Paper
		_ = json.Unmarshal(call("POST", fmt.Sprintf("/api/exam/exams/%d/start", e.ID), nil), &paper)
		if paper.AttemptID == 0 || len(paper.Questions) != 10 {
			t.Fatalf("start: %+v", paper)
		}
		call("PUT", fmt.Sprintf("/api/exam/attempts/%d/answers", paper.AttemptID), map[string]any{"answers": []map[string]any{{"pos": 1, "answer": "A"}, {"pos": 6, "answer": "T"}}})
		call("GET", fmt.Sprintf("/api/exam/attempts/%d", paper.AttemptID), nil)
		call("POST", fmt.Sprintf("/api/exam/exams/%d/start", e.ID), nil) // resumes
		call("POST", fmt.Sprintf("/api/exam/attempts/%d/submit", paper.AttemptID), nil)
		call("GET", fmt.Sprintf("/api/exam/attempts/%d", paper.AttemptID), nil)
		call("GET", "/api/exam/my", nil)
		call("GET", fmt.Sprintf("/api/exam/exams/%d/coverage", e.ID), nil)
		call("GET", fmt.Sprintf("/api/exam/candidates?exam_id=%d", e.ID), nil)
		if len(checked) != 10 {
			t.Errorf("walked %d routes: %v", len(checked), checked)
		}
	})
}

func walkKeys(t *testing.T, where string, x any) {
	switch x := x.(type) {
	case map[string]any:
		for k, v := range x {
			for _, bad := range examKeyFields {
				if k == bad {
					t.Errorf("%s: the response carries %q", where, k)
				}
			}
			walkKeys(t, where, v)
		}
	case []any:
		for _, v := range x {
			walkKeys(t, where, v)
		}
	}
}
