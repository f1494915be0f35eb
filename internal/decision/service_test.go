package decision

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fakeReview stands in for the legalreview module: Open makes a pending
// review; tests conclude it with pass/fail.
type fakeReview struct {
	next     int64
	outcomes map[int64]ReviewOutcome
	opened   []ReviewRequest
}

func newFakeReview() *fakeReview { return &fakeReview{next: 500, outcomes: map[int64]ReviewOutcome{}} }

func (f *fakeReview) Open(_ context.Context, r ReviewRequest) (int64, error) {
	f.next++
	f.opened = append(f.opened, r)
	f.outcomes[r.SubjectID] = ReviewOutcome{ReviewID: f.next, Status: ReviewPending}
	return f.next, nil
}

func (f *fakeReview) Outcome(_ context.Context, subjectType string, id int64) (ReviewOutcome, error) {
	if subjectType != SubjectType {
		return ReviewOutcome{}, fmt.Errorf("unexpected subject type %q", subjectType)
	}
	o, ok := f.outcomes[id]
	if !ok {
		return ReviewOutcome{Status: ReviewNone}, nil
	}
	return o, nil
}

// Letter hands out a stand-in opinion letter numbered by the review id.
func (f *fakeReview) Letter(_ context.Context, reviewID int64) (ReviewLetter, error) {
	no := fmt.Sprintf("清河司审〔2026〕%d号", reviewID-500)
	return ReviewLetter{Number: no, Name: "法律审查意见书-" + no + ".docx", DOCX: []byte("PK docx " + no),
		PDFName: "法律审查意见书-" + no + ".pdf", PDF: []byte("%PDF-1.7 " + no)}, nil
}

func (f *fakeReview) conclude(id int64, status, on string) {
	o := f.outcomes[id]
	o.Status, o.FinishedOn = status, on
	f.outcomes[id] = o
}

// fakeFiles serves evidence files for the archive.
type fakeFiles map[int64]struct {
	name, body string
	owner      int64
}

func (f fakeFiles) Open(_ context.Context, id int64) (string, io.ReadCloser, error) {
	e, ok := f[id]
	if !ok {
		return "", nil, apperr.New(apperr.NotFound, "文件不存在")
	}
	return e.name, io.NopCloser(strings.NewReader(e.body)), nil
}

func (f fakeFiles) Owner(_ context.Context, id int64) (string, int64, error) {
	e, ok := f[id]
	if !ok {
		return "", 0, apperr.New(apperr.NotFound, "文件不存在")
	}
	return SubjectType, e.owner, nil
}

type fixture struct {
	s        *Service
	d        *db.DB
	review   *fakeReview
	files    fakeFiles
	ctx      context.Context // district-wide actor with every permission
	district int64
	dept     int64 // 区发展改革委: responsible unit
	other    int64 // 区生态环境局
	catItem  int64
	orgs     map[string]int64 // assessing organisations in the pool, by name
}

// org returns the pool record of the assessing organisation name, creating
// it (with a credit code of its own) on first use.
func (f *fixture) org(t *testing.T, name string) int64 {
	t.Helper()
	if id, ok := f.orgs[name]; ok {
		return id
	}
	e := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Kind: PoolOrg, Name: name, Field: "决策评估", CreditCode: fmt.Sprintf("91500000%09dX", len(f.orgs)+1)}))(t)
	f.orgs[name] = e.ID
	return e.ID
}

// now is 2026-11-20 10:00 in Shanghai.
var testNow = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	units := []struct {
		id           int64
		code, name   string
		parent, path string
	}{
		{1, "D", "渝北区人民政府", "", "/1/"},
		{2, "D-FGW", "区发展改革委", "1", "/1/2/"},
		{3, "D-STJ", "区生态环境局", "1", "/1/3/"},
	}
	for _, u := range units {
		var parent any
		if u.parent != "" {
			parent = u.parent
		}
		if _, err := d.Exec(ctx, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (?, ?, ?, 'department', ?, ?)", u.id, u.code, u.name, parent, u.path); err != nil {
			t.Fatal(err)
		}
	}
	if d.Dialect() == db.Postgres {
		if _, err := d.Exec(ctx, "SELECT setval('org_units_id_seq', 10)"); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{d: d, review: newFakeReview(), files: fakeFiles{}, district: 1, dept: 2, other: 3, orgs: map[string]int64{}}
	f.s = NewService(Deps{DB: d, Units: org.NewService(d), Review: f.review, Files: f.files})
	f.s.Now = func() time.Time { return testNow }
	all := auth.Scope{All: true}
	f.ctx = auth.With(audit.WithClient(ctx, audit.Client{IP: "10.1.1.1"}), &auth.Actor{UserID: 7, Username: "sifaju", Name: "司法局张三", UnitID: 1, UnitPath: "/1/",
		Perms: map[string]auth.Scope{PermRead: all, PermWrite: all, PermApprove: all, PermCertify: all}})
	if err := f.s.SeedCategories(f.ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}

// wantErr checks the error's code and that its message contains msg.
func wantErr(t *testing.T, err error, code apperr.Code, msg string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s error containing %q, got nil", code, msg)
	}
	e := apperr.As(err)
	if e == nil || e.Code != code {
		t.Fatalf("want %s error, got %v", code, err)
	}
	if !strings.Contains(e.Error(), msg) {
		t.Fatalf("want message containing %q, got %q", msg, e.Error())
	}
}

func (f *fixture) publishedItem(t *testing.T) int64 {
	t.Helper()
	cats := must(f.s.ListCategories(f.ctx, true))(t)
	c := must(f.s.CreateCatalogue(f.ctx, CatalogueInput{Year: 2026, UnitID: f.district}))(t)
	c = must(f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Kind: cats[0].Kinds[0], Title: "城区学校布局规划调整", UnitID: f.dept}))(t)
	c = must(f.s.ApproveCatalogue(f.ctx, c.ID, ApproveInput{Version: c.Version, PartyAgreedOn: "2026-01-20", PartyNote: "区委常委会2026年第2次会议"}))(t)
	c = must(f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version, PublishedOn: "2026-01-25"}))(t)
	return c.Items[0].ID
}

// walk takes a new decision up to (not including) the step named.
func (f *fixture) walk(t *testing.T, until Step) *Detail {
	t.Helper()
	if f.catItem == 0 {
		f.catItem = f.publishedItem(t)
	}
	f.files[900] = struct {
		name, body string
		owner      int64
	}{"起草说明.docx", "草案起草说明的内容", 0}
	d := must(f.s.Start(f.ctx, StartInput{Title: "城区学校布局规划调整", CatalogueItemID: f.catItem, UnitID: f.dept, DecisionBody: "渝北区人民政府",
		StartedOn: "2026-03-02", Proposer: "区教委", Reason: "学位供需矛盾突出", Approver: "区政府第10次常务会议"}))(t)
	f.files[900] = struct {
		name, body string
		owner      int64
	}{"起草说明.docx", "草案起草说明的内容", d.ID}
	step := func(s Step, fn func() (*Detail, error)) bool {
		if s == until {
			return false
		}
		d = must(fn())(t)
		return true
	}
	if !step(StepDraft, func() (*Detail, error) {
		return f.s.RecordDraft(f.ctx, d.ID, DraftInput{Version: d.Version, DraftData: DraftData{Options: []string{"方案一：新建两所小学", "方案二：扩建现有学校"},
			CostBenefit: "方案一投资2.1亿元，新增学位3600个", Summary: "调整城区中小学布局"}, DoneOn: "2026-04-10", FileIDs: []int64{900}})
	}) {
		return d
	}
	if !step(StepConsultation, func() (*Detail, error) {
		d = must(f.s.OpenConsultation(f.ctx, d.ID, ConsultationInput{Version: d.Version, Channels: []string{"区政府网站"}, Summary: "征求意见稿全文",
			CommentStart: "2026-09-01", CommentEnd: "2026-10-08"}))(t)
		return f.s.CloseConsultation(f.ctx, d.ID, CloseInput{Version: d.Version, Feedback: "共收到意见12条，采纳5条", DoneOn: "2026-10-15"})
	}) {
		return d
	}
	if !step(StepExpert, func() (*Detail, error) {
		e := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "李教授", Field: "教育规划", Employer: "西南大学", OrgID: f.org(t, "西南大学")}))(t)
		d = must(f.s.AddOpinion(f.ctx, d.ID, OpinionInput{Version: d.Version, ExpertID: e.ID, Opinion: "方案一可行", Signed: true, SignedOn: "2026-10-16"}))(t)
		return f.s.CompleteExpert(f.ctx, d.ID, CompleteExpertInput{Version: d.Version, Summary: "专家一致认为方案一可行", DoneOn: "2026-10-16"})
	}) {
		return d
	}
	if !step(StepRisk, func() (*Detail, error) {
		return f.s.RecordRisk(f.ctx, d.ID, RiskInput{Version: d.Version, RiskData: RiskData{AssessorID: f.org(t, "重庆某社会风险评估中心"), Report: "风险可控",
			RiskPoints: []string{"拆迁安置"}, Measures: []string{"提前公示安置方案"}, ContingencyPlan: "成立应急处置小组", Level: "低"}, DoneOn: "2026-10-20"})
	}) {
		return d
	}
	if !step(StepLegalReview, func() (*Detail, error) {
		d = must(f.s.SubmitLegalReview(f.ctx, d.ID, SubmitReviewInput{Version: d.Version, Summary: "请审查草案"}))(t)
		f.review.conclude(d.ID, ReviewPassed, "2026-11-02")
		return f.s.RefreshLegalReview(f.ctx, d.ID, VersionInput{Version: d.Version})
	}) {
		return d
	}
	if !step(StepCollective, func() (*Detail, error) {
		return f.s.RecordCollective(f.ctx, d.ID, collective(d.Version))
	}) {
		return d
	}
	if !step(StepPartyReport, func() (*Detail, error) {
		return f.s.RecordPartyReport(f.ctx, d.ID, PartyReportInput{Version: d.Version, PartyReportData: PartyReportData{Committee: "中共渝北区委", ReportedOn: "2026-11-06", Reply: "同意"}})
	}) {
		return d
	}
	if !step(StepPublication, func() (*Detail, error) {
		return f.s.Publish(f.ctx, d.ID, PublicationInput{Version: d.Version, PublicationData: PublicationData{PublishedOn: "2026-11-10", Channels: []string{"区政府网站", "渝北时报"},
			AdoptionNote: "采纳公众意见5条", Text: "关于城区学校布局规划调整的决定"}})
	}) {
		return d
	}
	return d
}

func collective(version int) CollectiveInput {
	return CollectiveInput{Version: version, MeetingType: "常务会议", MeetingName: "区政府第25次常务会议", MeetingOn: "2026-11-05",
		Attendees: []string{"王区长", "赵副区长", "钱副区长"}, Votes: []Vote{{Name: "赵副区长", Opinion: "agree"}, {Name: "钱副区长", Opinion: "disagree", Note: "建议分期实施"}},
		HeadName: "王区长", HeadDecision: "adopt"}
}

func TestCatalogueGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		cats := must(f.s.ListCategories(f.ctx, true))(t)
		if len(cats) != 5 || cats[0].Name != "公共服务" || len(cats[0].Kinds) == 0 {
			t.Fatalf("seeded categories: %+v", cats)
		}
		c := must(f.s.CreateCatalogue(f.ctx, CatalogueInput{Year: 2026, UnitID: f.district}))(t)
		if c.Title != "渝北区人民政府2026年度重大行政决策事项目录" || c.Status != CatalogueDraft {
			t.Fatalf("catalogue: %+v", c)
		}
		_, err := f.s.CreateCatalogue(f.ctx, CatalogueInput{Year: 2026, UnitID: f.district})
		wantErr(t, err, apperr.Conflict, "已存在")

		// empty catalogue, missing party agreement, bad kind
		_, err = f.s.ApproveCatalogue(f.ctx, c.ID, ApproveInput{Version: c.Version, PartyAgreedOn: "2026-01-20", PartyNote: "区委常委会"})
		wantErr(t, err, apperr.Precondition, "还没有决策事项")
		_, err = f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Kind: "不存在的种类", Title: "x", UnitID: f.dept})
		wantErr(t, err, apperr.Invalid, "不属于类别")
		c = must(f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Title: "城区学校布局规划调整", UnitID: f.dept}))(t)
		_, err = f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version - 1, CategoryID: cats[0].ID, Title: "旧版本", UnitID: f.dept})
		wantErr(t, err, apperr.Conflict, "已被他人修改")

		// a decision cannot start from a catalogue the party committee has not agreed
		_, err = f.s.Start(f.ctx, StartInput{Title: "t", CatalogueItemID: c.Items[0].ID, UnitID: f.dept, DecisionBody: "区政府", Reason: "r", Approver: "a", StartedOn: "2026-03-02"})
		wantErr(t, err, apperr.Precondition, "尚未经党委同意并审定")

		_, err = f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version})
		wantErr(t, err, apperr.Precondition, "目录未经党委同意并审定，不得公布")
		_, err = f.s.ApproveCatalogue(f.ctx, c.ID, ApproveInput{Version: c.Version})
		wantErr(t, err, apperr.Precondition, "须经同级党委同意")

		c = must(f.s.ApproveCatalogue(f.ctx, c.ID, ApproveInput{Version: c.Version, PartyAgreedOn: "2026-01-20", PartyNote: "区委常委会2026年第2次会议"}))(t)
		if c.Status != CatalogueApproved || c.ApprovedBy != "司法局张三" {
			t.Fatalf("approved: %+v", c)
		}
		_, err = f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Title: "再加一项", UnitID: f.dept})
		wantErr(t, err, apperr.Precondition, "不能再增删改事项")
		_, err = f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version, PublishedOn: "2026-01-19"})
		wantErr(t, err, apperr.Invalid, "不能早于党委同意日期")
		c = must(f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version, PublishedOn: "2026-01-25"}))(t)
		if c.Status != CataloguePublished || c.PublishedOn != "2026-01-25" {
			t.Fatalf("published: %+v", c)
		}
		det := must(f.s.Start(f.ctx, StartInput{Title: "城区学校布局规划调整", CatalogueItemID: c.Items[0].ID, UnitID: f.dept, DecisionBody: "区政府", Reason: "r", Approver: "a", StartedOn: "2026-03-02"}))(t)
		if det.Code != "JC-2026-001" || det.Stage != StepDraft || det.CatalogueItem != "城区学校布局规划调整" {
			t.Fatalf("started: %+v", det.Decision)
		}
		c = must(f.s.GetCatalogue(f.ctx, c.ID))(t)
		if len(c.Items[0].DecisionIDs) != 1 || c.Items[0].DecisionIDs[0] != det.ID {
			t.Fatalf("item does not link to its decision: %+v", c.Items[0])
		}
	})
}

// The 30-day comment period is counted by the calendar: from 2026-09-01,
// 30 days end on 2026-10-01, which is 国庆节; the period runs to the first
// working day after the holiday, 2026-10-08 (worked out by hand from the
// 2026 schedule: 10-01…10-07 off).
func TestCommentPeriodThroughCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		minEnd, expl, err := f.s.CommentWindow(calendar.MustDate("2026-09-01"))
		if err != nil {
			t.Fatal(err)
		}
		if minEnd.String() != "2026-10-08" {
			t.Fatalf("minimum end: want 2026-10-08, got %s (%s)", minEnd, expl)
		}
		if !strings.Contains(expl, "国庆节") {
			t.Fatalf("explanation should name the holiday: %s", expl)
		}
		det := f.walk(t, StepConsultation)
		in := ConsultationInput{Version: det.Version, Channels: []string{"区政府网站"}, Summary: "征求意见稿", CommentStart: "2026-09-01", CommentEnd: "2026-10-07"}
		_, err = f.s.OpenConsultation(f.ctx, det.ID, in)
		wantErr(t, err, apperr.Precondition, "不得少于30日")
		wantErr(t, err, apperr.Precondition, "2026-10-08")

		// a shorter period with a recorded reason is accepted and the reason kept
		in.ShortReason = "上级要求限期出台，经区政府同意缩短"
		det = must(f.s.OpenConsultation(f.ctx, det.ID, in))(t)
		var data ConsultationData
		if err := unmarshal(det.Timeline[2].Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.ShortReason != in.ShortReason || data.MinimumEnd != "2026-10-08" || data.Rule != RuleComment || det.Consultation != ConsultOpen {
			t.Fatalf("consultation record: %+v", data)
		}

		// 30 days or more needs no reason, and a reason given anyway is not kept
		det2 := f.walk(t, StepConsultation)
		det2 = must(f.s.OpenConsultation(f.ctx, det2.ID, ConsultationInput{Version: det2.Version, Channels: []string{"区政府网站"}, Summary: "征求意见稿",
			CommentStart: "2026-09-01", CommentEnd: "2026-10-08", ShortReason: "无"}))(t)
		data = ConsultationData{}
		if err := unmarshal(det2.Timeline[2].Data, &data); err != nil {
			t.Fatal(err)
		}
		if data.ShortReason != "" {
			t.Fatalf("reason kept for a full period: %q", data.ShortReason)
		}
	})
}

func TestProcedureGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)

		// no legality review before drafting
		det := f.walk(t, StepDraft)
		_, err := f.s.SubmitLegalReview(f.ctx, det.ID, SubmitReviewInput{Version: det.Version, Summary: "送审"})
		wantErr(t, err, apperr.Precondition, "决策草案尚未拟订，不得送请合法性审查")
		// nor before public participation, expert review and risk assessment
		det = must(f.s.RecordDraft(f.ctx, det.ID, DraftInput{Version: det.Version, DraftData: DraftData{Options: []string{"方案一"}, CostBenefit: "c", Summary: "s"}, DoneOn: "2026-04-10"}))(t)
		_, err = f.s.SubmitLegalReview(f.ctx, det.ID, SubmitReviewInput{Version: det.Version, Summary: "送审"})
		wantErr(t, err, apperr.Precondition, "尚未完成“公众参与”")

		// consultation cannot close before the period has run
		det = must(f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"网站"}, Summary: "稿", CommentStart: "2026-11-01", CommentEnd: "2026-12-08"}))(t)
		_, err = f.s.CloseConsultation(f.ctx, det.ID, CloseInput{Version: det.Version, Feedback: "f", DoneOn: "2026-10-15"})
		wantErr(t, err, apperr.Precondition, "期满后方可结束征求意见")
		_, err = f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"网站"}, Summary: "稿", CommentStart: "2026-11-01", CommentEnd: "2026-12-08"})
		wantErr(t, err, apperr.Precondition, "不能重新发布")

		// skipping needs a reason and only some steps may be skipped
		_, err = f.s.Skip(f.ctx, det.ID, SkipInput{Version: det.Version, Step: StepRisk})
		wantErr(t, err, apperr.Invalid, "无需进行的理由")
		_, err = f.s.Skip(f.ctx, det.ID, SkipInput{Version: det.Version, Step: StepLegalReview, Reason: "r"})
		wantErr(t, err, apperr.Invalid, "不能标记为无需进行")
		det = must(f.s.Skip(f.ctx, det.ID, SkipInput{Version: det.Version, Step: StepRisk, Reason: "不涉及社会稳定、公共安全风险"}))(t)
		if det.Timeline[4].State != StateNotRequired {
			t.Fatalf("risk state: %s", det.Timeline[4].State)
		}
		_, err = f.s.RecordRisk(f.ctx, det.ID, RiskInput{Version: det.Version, RiskData: RiskData{Assessor: "a", Report: "r", RiskPoints: []string{"p"}, Measures: []string{"m"}, ContingencyPlan: "c", Level: "低"}, DoneOn: "2026-10-20"})
		wantErr(t, err, apperr.Precondition, "不得重复评估")

		// expert neutrality
		inHouse := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "周工", Field: "规划", Employer: "区发展改革委"}))(t)
		byUnit := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "吴工", Field: "规划", Employer: "某设计院", UnitID: f.dept}))(t)
		outside := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "郑教授", Field: "规划", Employer: "重庆大学"}))(t)
		op := OpinionInput{Version: det.Version, ExpertID: inHouse.ID, Opinion: "可行", Signed: true, SignedOn: "2026-11-10"}
		_, err = f.s.AddOpinion(f.ctx, det.ID, op)
		wantErr(t, err, apperr.Precondition, "来自决策承办单位")
		op.ExpertID = byUnit.ID
		_, err = f.s.AddOpinion(f.ctx, det.ID, op)
		wantErr(t, err, apperr.Precondition, "来自决策承办单位")
		op.ExpertID, op.ConflictDeclared = outside.ID, true
		_, err = f.s.AddOpinion(f.ctx, det.ID, op)
		wantErr(t, err, apperr.Precondition, "应当回避")
		op.ConflictDeclared, op.Signed = false, false
		_, err = f.s.AddOpinion(f.ctx, det.ID, op)
		wantErr(t, err, apperr.Invalid, "须经专家本人署名")
		_, err = f.s.CompleteExpert(f.ctx, det.ID, CompleteExpertInput{Version: det.Version, Summary: "s", DoneOn: "2026-10-16"})
		wantErr(t, err, apperr.Precondition, "尚未登记专家书面论证意见")
		op.Signed = true
		det = must(f.s.AddOpinion(f.ctx, det.ID, op))(t)
		if len(det.Opinions) != 1 || det.Opinions[0].ExpertName != "郑教授" {
			t.Fatalf("opinions: %+v", det.Opinions)
		}

		// stale version
		_, err = f.s.CompleteExpert(f.ctx, det.ID, CompleteExpertInput{Version: det.Version - 1, Summary: "s", DoneOn: "2026-10-16"})
		wantErr(t, err, apperr.Conflict, "已被他人修改")

		// the full walk: collective decision refused while the review is pending or failed
		full := f.walk(t, StepCollective)
		f.review.conclude(full.ID, ReviewPending, "")
		_, err = f.s.RecordCollective(f.ctx, full.ID, collective(full.Version))
		wantErr(t, err, apperr.Precondition, MsgNoLegalReview)
		f.review.conclude(full.ID, ReviewFailed, "2026-11-03")
		_, err = f.s.RecordCollective(f.ctx, full.ID, collective(full.Version))
		wantErr(t, err, apperr.Precondition, MsgNoLegalReview)
		// never submitted at all
		delete(f.review.outcomes, full.ID)
		_, err = f.s.RecordCollective(f.ctx, full.ID, collective(full.Version))
		wantErr(t, err, apperr.Precondition, MsgNoLegalReview)
		f.review.conclude(full.ID, ReviewPassedWithChanges, "2026-11-02")

		// no party report and no publication before the collective decision
		_, err = f.s.RecordPartyReport(f.ctx, full.ID, PartyReportInput{Version: full.Version, PartyReportData: PartyReportData{Committee: "区委", ReportedOn: "2026-11-06", Reply: "同意"}})
		wantErr(t, err, apperr.Precondition, "尚未经集体讨论决定")
		pub := PublicationInput{Version: full.Version, PublicationData: PublicationData{PublishedOn: "2026-11-10", Channels: []string{"网站"}, AdoptionNote: "n", Text: "t"}}
		_, err = f.s.Publish(f.ctx, full.ID, pub)
		wantErr(t, err, apperr.Precondition, "决策未经集体讨论决定，不得公布")

		// the head speaks last; departing from the majority needs a reason
		in := collective(full.Version)
		in.Votes = append(in.Votes, Vote{Name: "王区长", Opinion: "agree"})
		_, err = f.s.RecordCollective(f.ctx, full.ID, in)
		wantErr(t, err, apperr.Invalid, "行政首长应当最后发表意见")
		in = collective(full.Version)
		in.Votes = []Vote{{Name: "赵副区长", Opinion: "disagree"}, {Name: "钱副区长", Opinion: "disagree", Note: "时机不成熟"}}
		_, err = f.s.RecordCollective(f.ctx, full.ID, in)
		wantErr(t, err, apperr.Invalid, "应当在会上说明理由")
		in.DepartureReason = "学位缺口紧迫，必须本年度启动"
		full = must(f.s.RecordCollective(f.ctx, full.ID, in))(t)
		var cd CollectiveData
		if err := unmarshal(full.Timeline[6].Data, &cd); err != nil {
			t.Fatal(err)
		}
		if len(cd.Dissent) != 2 || cd.ReviewStatus != ReviewPassedWithChanges || full.CollectiveOn != "2026-11-05" || full.Stage != StepPartyReport {
			t.Fatalf("collective record: %+v stage %s", cd, full.Stage)
		}

		// no publication before the party-committee report
		pub.Version = full.Version
		_, err = f.s.Publish(f.ctx, full.ID, pub)
		wantErr(t, err, apperr.Precondition, "未向同级党委请示报告，不得公布")
		// no archive, implementation or evaluation before publication
		_, err = f.s.Archive(f.ctx, full.ID, ArchiveInput{Version: full.Version, ArchiveNo: "A-1", Keeper: "k"})
		wantErr(t, err, apperr.Precondition, "决策尚未公布，不得归档")
		_, err = f.s.RecordImplementation(f.ctx, full.ID, ImplementationInput{Version: full.Version, ImplementationData: ImplementationData{ExecutionUnit: "区教委", Plan: "p"}})
		wantErr(t, err, apperr.Precondition, "决策尚未公布")
		_, err = f.s.RecordEvaluation(f.ctx, full.ID, EvaluationInput{Version: full.Version, EvaluationData: EvaluationData{EvaluatorID: f.org(t, "重庆市某决策评估研究院"), Trigger: "t", Conclusion: "c"}, DoneOn: "2026-11-18"})
		wantErr(t, err, apperr.Precondition, "决策尚未公布实施")

		full = must(f.s.RecordPartyReport(f.ctx, full.ID, PartyReportInput{Version: full.Version, PartyReportData: PartyReportData{Committee: "中共渝北区委", ReportedOn: "2026-11-06", Reply: "同意"}}))(t)
		pub.Version = full.Version
		full = must(f.s.Publish(f.ctx, full.ID, pub))(t)
		if full.Status != StatusPublished || full.PublishedOn != "2026-11-10" {
			t.Fatalf("published: %+v", full.Decision)
		}

		// progress needs the execution unit first
		_, err = f.s.AddProgress(f.ctx, full.ID, ProgressInput{Version: full.Version, ReportedOn: "2026-11-15", Content: "c", Percent: 10})
		wantErr(t, err, apperr.Precondition, "尚未明确决策执行单位")
		full = must(f.s.RecordImplementation(f.ctx, full.ID, ImplementationInput{Version: full.Version, ImplementationData: ImplementationData{ExecutionUnit: "区教委", Plan: "分两期实施"}}))(t)
		full = must(f.s.AddProgress(f.ctx, full.ID, ProgressInput{Version: full.Version, ReportedOn: "2026-11-15", Content: "完成选址", Percent: 20}))(t)

		// post-evaluation: not by an earlier assessor (the risk assessor, an
		// expert's institution), known by the pool's records
		ev := EvaluationInput{Version: full.Version, EvaluationData: EvaluationData{EvaluatorID: f.org(t, "重庆某社会风险评估中心"), Trigger: "群众反映较多", Conclusion: "效果良好"}, DoneOn: "2026-11-18"}
		_, err = f.s.RecordEvaluation(f.ctx, full.ID, ev)
		wantErr(t, err, apperr.Precondition, "应当委托其他第三方")
		ev.EvaluatorID = f.org(t, "西南大学")
		_, err = f.s.RecordEvaluation(f.ctx, full.ID, ev)
		wantErr(t, err, apperr.Precondition, "应当委托其他第三方")
		ev.EvaluatorID = f.org(t, "重庆市某决策评估研究院")
		full = must(f.s.RecordEvaluation(f.ctx, full.ID, ev))(t)

		full = must(f.s.Archive(f.ctx, full.ID, ArchiveInput{Version: full.Version, ArchiveNo: "JC-2026-档-01", Keeper: "档案员"}))(t)
		if full.Status != StatusArchived || full.Stage != StepArchive {
			t.Fatalf("archived: %s %s", full.Status, full.Stage)
		}
		_, err = f.s.AddProgress(f.ctx, full.ID, ProgressInput{Version: full.Version, ReportedOn: "2026-11-18", Content: "c", Percent: 30})
		wantErr(t, err, apperr.Precondition, "已归档")

		// a rejected decision stops
		rej := f.walk(t, StepCollective)
		in = collective(rej.Version)
		in.HeadDecision, in.Votes = "reject", []Vote{{Name: "赵副区长", Opinion: "disagree"}}
		rej = must(f.s.RecordCollective(f.ctx, rej.ID, in))(t)
		_, err = f.s.RecordPartyReport(f.ctx, rej.ID, PartyReportInput{Version: rej.Version, PartyReportData: PartyReportData{Committee: "区委", ReportedOn: "2026-11-06", Reply: "同意"}})
		wantErr(t, err, apperr.Precondition, "集体讨论决定未通过")

		// every write was audited
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM audit_events WHERE action LIKE 'decision.%'").Scan(&n); err != nil || n < 30 {
			t.Fatalf("audit events: %d (%v)", n, err)
		}
	})
}

func TestScopeAndPermissions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, StepConsultation)
		own := auth.Scope{Ranges: []auth.UnitRange{{Path: "/1/3/", Subtree: true}}}
		other := auth.With(context.Background(), &auth.Actor{UserID: 9, Username: "clerk", UnitID: f.other, UnitPath: "/1/3/",
			Perms: map[string]auth.Scope{PermRead: own, PermWrite: own}})
		_, err := f.s.Detail(other, det.ID)
		wantErr(t, err, apperr.NotFound, "记录不存在")
		items, total := must2(listPage(f.s, other, ListQuery{}))(t)
		if total != 0 || len(items) != 0 {
			t.Fatalf("other unit sees %d decisions", total)
		}
		items, total = must2(listPage(f.s, f.ctx, ListQuery{Q: "学校"}))(t)
		if total != 1 || items[0].ID != det.ID {
			t.Fatalf("district sees %d", total)
		}
		_, err = f.s.Start(other, StartInput{Title: "t", UnitID: f.dept, DecisionBody: "b", Reason: "r", Approver: "a", StartedOn: "2026-03-02"})
		wantErr(t, err, apperr.NotFound, "记录不存在")
		_, err = f.s.Start(context.Background(), StartInput{})
		wantErr(t, err, apperr.Unauthenticated, "请先登录")
		readOnly := auth.With(context.Background(), &auth.Actor{UserID: 10, Username: "leader", Perms: map[string]auth.Scope{PermRead: {All: true}}})
		_, err = f.s.RecordDraft(readOnly, det.ID, DraftInput{Version: det.Version, DraftData: DraftData{Options: []string{"a"}, CostBenefit: "c", Summary: "s"}, DoneOn: "2026-04-10"})
		wantErr(t, err, apperr.Forbidden, "没有权限")
	})
}

func must2[T any](v T, n int, err error) func(*testing.T) (T, int) {
	return func(t *testing.T) (T, int) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v, n
	}
}

func TestPublicConsultation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, StepConsultation)
		pubCtx := context.Background()
		_, err := f.s.PublicGet(pubCtx, det.ID)
		wantErr(t, err, apperr.NotFound, "未公开征求意见")
		det = must(f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"区政府网站"}, Summary: "征求意见稿全文",
			CommentStart: "2026-11-01", CommentEnd: "2026-12-08"}))(t)

		wantErr(t, f.s.PublicComment(pubCtx, det.ID, CommentInput{Content: "好"}, "1.2.3.4"), apperr.Invalid, "至少 5 个字")
		wantErr(t, f.s.PublicComment(pubCtx, det.ID, CommentInput{Content: strings.Repeat("长", CommentMaxRunes+1)}, "1.2.3.4"), apperr.Invalid, "不能超过 2000 字")
		for i := range 5 {
			if err := f.s.PublicComment(pubCtx, det.ID, CommentInput{Author: "市民", Contact: "13800001111", Content: fmt.Sprintf("建议增加学位供给，第%d条", i)}, "1.2.3.4"); err != nil {
				t.Fatal(err)
			}
		}
		wantErr(t, f.s.PublicComment(pubCtx, det.ID, CommentInput{Content: "第六条意见内容"}, "1.2.3.4"), apperr.RateLimited, "每小时最多提交 5 条")
		if err := f.s.PublicComment(pubCtx, det.ID, CommentInput{Content: "另一个地址的意见"}, "5.6.7.8"); err != nil {
			t.Fatal(err)
		}
		// an hour later the address may comment again
		f.s.Now = func() time.Time { return testNow.Add(61 * time.Minute) }
		if err := f.s.PublicComment(pubCtx, det.ID, CommentInput{Content: "一小时后的意见"}, "1.2.3.4"); err != nil {
			t.Fatal(err)
		}
		p := must(f.s.PublicGet(pubCtx, det.ID))(t)
		if !p.Open || p.CommentCount != 7 || p.Summary != "征求意见稿全文" || p.CommentEnd != "2026-12-08" {
			t.Fatalf("public view: %+v", p)
		}
		list, total := must2(f.s.PublicList(pubCtx, "open", db.Page{}))(t)
		if total != 1 || list[0].ID != det.ID || list[0].CommentCount != 7 {
			t.Fatalf("public list: %d %+v", total, list)
		}
		// addresses are never stored
		var stored int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM decision_comments WHERE ip_hash LIKE '%1.2.3.4%'").Scan(&stored); err != nil || stored != 0 {
			t.Fatalf("address stored in clear: %d %v", stored, err)
		}
		comments, n := must2(f.s.ListComments(f.ctx, det.ID, db.Page{}))(t)
		if n != 7 || comments[0].Contact != "13800001111" {
			t.Fatalf("staff comments: %d %+v", n, comments[0])
		}
		if err := f.s.AnswerComment(f.ctx, det.ID, comments[0].ID, AnswerInput{Adopted: "not_adopted"}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("not adopted without reason: %v", err)
		}
		if err := f.s.AnswerComment(f.ctx, det.ID, comments[0].ID, AnswerInput{Adopted: "adopted"}); err != nil {
			t.Fatal(err)
		}
		// after the period, comments are refused
		f.s.Now = func() time.Time { return time.Date(2026, 12, 9, 2, 0, 0, 0, time.UTC) }
		wantErr(t, f.s.PublicComment(pubCtx, det.ID, CommentInput{Content: "期满后的意见"}, "9.9.9.9"), apperr.DeadlinePassed, "不在征求意见期内")
		det = must(f.s.CloseConsultation(f.ctx, det.ID, CloseInput{Version: det.Version, Feedback: "采纳意见3条", DoneOn: "2026-10-15"}))(t)
		p = must(f.s.PublicGet(pubCtx, det.ID))(t)
		if p.Open || p.Feedback != "采纳意见3条" || p.Consultation != ConsultClosed {
			t.Fatalf("closed view: %+v", p)
		}
	})
}

func TestArchiveZip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, "")
		f.files[901] = struct {
			name, body string
			owner      int64
		}{"会议纪要（第25次）.pdf", "%PDF-1.4 纪要", det.ID}
		det = must(f.s.Archive(f.ctx, det.ID, ArchiveInput{Version: det.Version, ArchiveNo: "JC-2026-档-01", Keeper: "档案员"}))(t)
		must(f.s.AddCorrection(f.ctx, det.ID, CorrectionInput{Authority: "重庆市人民政府", CorrectedOn: "2026-11-18", Kind: "责令改正", Description: "补充听证程序"}))(t)
		// evidence on the collective step, added before archiving in real use;
		// here written directly to check the package copies it.
		if _, err := d.Exec(context.Background(), "UPDATE decision_steps SET file_ids = '[901]' WHERE decision_id = ? AND step = 'collective'", det.ID); err != nil {
			t.Fatal(err)
		}
		body, name, err := f.s.ArchivePackage(f.ctx, det.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(name, det.Code) || !strings.HasSuffix(name, ".zip") {
			t.Fatalf("name %q", name)
		}
		zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		entries := map[string]string{}
		for _, zf := range zr.File {
			if zf.Flags&0x800 == 0 {
				t.Errorf("%s: UTF-8 flag not set", zf.Name)
			}
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			entries[zf.Name] = string(b)
		}
		for _, want := range []string{IndexName, "01_决策启动/决策启动记录.txt", "02_拟订决策草案/附件900_起草说明.docx", "03_公众参与/公众参与记录.txt",
			"04_专家论证/专家意见_李教授.txt", "07_集体讨论决定/附件901_会议纪要（第25次）.pdf", "09_决策公布/决策公布记录.txt", "12_立卷归档/立卷归档记录.txt", "纠错记录.txt"} {
			if _, ok := entries[want]; !ok {
				t.Errorf("missing entry %s; have %v", want, keys(entries))
			}
		}
		if entries["02_拟订决策草案/附件900_起草说明.docx"] != "草案起草说明的内容" {
			t.Errorf("evidence content not copied")
		}
		ix := entries[IndexName]
		for _, want := range []string{"决策编号：" + det.Code, "1\t决策启动\t已完成\t2026-03-02\t司法局张三", "7\t集体讨论决定\t已完成\t2026-11-05",
			"07_集体讨论决定/附件901_会议纪要（第25次）.pdf", "9\t决策公布\t已完成\t2026-11-10", "11\t决策后评估\t未开始\t—", "12\t立卷归档\t已完成", "纠错记录.txt（1 条）"} {
			if !strings.Contains(ix, want) {
				t.Errorf("index lacks %q:\n%s", want, ix)
			}
		}
		coll := entries["07_集体讨论决定/集体讨论决定记录.txt"]
		for _, want := range []string{"会议类型：常务会议", "钱副区长：不同意（建议分期实施）", "行政首长决定：通过", "讨论时合法性审查结论：审查通过"} {
			if !strings.Contains(coll, want) {
				t.Errorf("collective summary lacks %q:\n%s", want, coll)
			}
		}
		if !strings.Contains(entries["03_公众参与/公众参与记录.txt"], "征求意见截止：2026-10-08") {
			t.Errorf("consultation summary: %s", entries["03_公众参与/公众参与记录.txt"])
		}

		// The opinion letter itself, as .docx and .pdf, named by its number;
		// the record gives the number, not the review's database id.
		var letterDir string
		for name := range entries {
			if strings.HasSuffix(name, ".pdf") && strings.Contains(name, "法律审查意见书-清河司审〔2026〕") {
				letterDir = path.Dir(name)
				no := strings.TrimSuffix(strings.TrimPrefix(path.Base(name), "法律审查意见书-"), ".pdf")
				if entries[letterDir+"/法律审查意见书-"+no+".docx"] != "PK docx "+no || entries[name] != "%PDF-1.7 "+no {
					t.Errorf("letter files for %s: %v", no, keys(entries))
				}
				rec := entries[letterDir+"/合法性审查记录.txt"]
				if !strings.Contains(rec, "法律审查意见书文号："+no) || strings.Contains(rec, "合法性审查编号") {
					t.Errorf("review record:\n%s", rec)
				}
				if !strings.Contains(ix, name) {
					t.Errorf("index does not list %s", name)
				}
			}
		}
		if letterDir != "06_合法性审查" {
			t.Errorf("no opinion letter in the legality review folder: %v", keys(entries))
		}
		// The law is named with its articles; times are Beijing time.
		rec := entries["06_合法性审查/合法性审查记录.txt"]
		if !strings.Contains(rec, "依据：《重大行政决策程序暂行条例》第二十五条至第二十八条") {
			t.Errorf("basis without the law:\n%s", rec)
		}
		stamp := regexp.MustCompile(`记录时间：(\S+ \S+)`)
		for name, body := range entries {
			if !strings.HasSuffix(name, ".txt") || name == ManifestName {
				continue
			}
			// Text records: UTF-8 with a BOM, CRLF line endings only.
			if !strings.HasPrefix(body, "\ufeff") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
				t.Errorf("%s is not BOM+CRLF text", name)
			}
			if m := stamp.FindStringSubmatch(body); m != nil {
				if _, err := time.ParseInLocation("2006-01-02 15:04:05", m[1], calendar.Shanghai); err != nil {
					t.Errorf("%s: time %q is not Beijing wall time", name, m[1])
				}
			}
		}
		// The manifest lists every other file with its SHA-256, and the
		// hashes verify.
		listed := map[string]bool{}
		for _, line := range strings.Split(strings.TrimSpace(entries[ManifestName]), "\n") {
			sum, name, ok := strings.Cut(line, "  ")
			if !ok {
				t.Fatalf("manifest line %q", line)
			}
			body, ok := entries[name]
			if !ok {
				t.Errorf("manifest lists %s, not in the archive", name)
				continue
			}
			h := sha256.Sum256([]byte(body))
			if hex.EncodeToString(h[:]) != sum {
				t.Errorf("hash of %s does not verify", name)
			}
			listed[name] = true
		}
		for name := range entries {
			if name != ManifestName && !listed[name] {
				t.Errorf("%s missing from the manifest", name)
			}
		}
	})
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestEvidenceMustBelongToDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, StepDraft)
		f.files[950] = struct {
			name, body string
			owner      int64
		}{"别的决策.pdf", "x", det.ID + 100}
		_, err := f.s.RecordDraft(f.ctx, det.ID, DraftInput{Version: det.Version, DraftData: DraftData{Options: []string{"a"}, CostBenefit: "c", Summary: "s"}, DoneOn: "2026-04-10", FileIDs: []int64{950}})
		wantErr(t, err, apperr.Invalid, "不属于本决策")
	})
}

func TestFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		figs := must(f.s.Figures(f.ctx, metric.Query{}))(t)
		if figs[0].Code != FigureLegalReviewRate || figs[0].Denominator != 0 || figs[1].Code != FigureCorrectedCount || figs[1].Value != 0 {
			t.Fatalf("empty figures: %+v", figs)
		}
		a := f.walk(t, StepPartyReport)
		f.walk(t, StepLegalReview) // not yet decided: not counted
		must(f.s.AddCorrection(f.ctx, a.ID, CorrectionInput{Authority: "重庆市人民政府", CorrectedOn: "2026-11-18", Kind: "撤销", Description: "程序违法"}))(t)
		figs = must(f.s.Figures(f.ctx, metric.Query{UnitID: f.district, From: "2026-01-01", To: "2026-12-31"}))(t)
		rate, corr := figs[0], figs[1]
		if rate.Value != 100 || rate.Numerator != 1 || rate.Denominator != 1 {
			t.Fatalf("legal_review_rate: %+v", rate)
		}
		if corr.Value != 1 || corr.Link != "/decisions?corrected=true&corrected_from=2026-01-01&corrected_to=2026-12-31&subtree_unit_id=1" {
			t.Fatalf("corrected_count: %+v", corr)
		}
		// the records behind each figure
		items, n := must2(listPage(f.s, f.ctx, ListQuery{Collective: true, CollectiveFrom: "2026-01-01", CollectiveTo: "2026-12-31", SubtreeUnitID: f.district}))(t)
		if n != 1 || items[0].ID != a.ID || items[0].CollectiveReview != ReviewPassed {
			t.Fatalf("records behind the rate: %d", n)
		}
		items, n = must2(listPage(f.s, f.ctx, ListQuery{Corrected: true}))(t)
		if n != 1 || items[0].Corrections != 1 {
			t.Fatalf("records behind corrected: %d", n)
		}
		// another period: nothing
		figs = must(f.s.Figures(f.ctx, metric.Query{From: "2025-01-01", To: "2025-12-31"}))(t)
		if figs[0].Denominator != 0 || figs[1].Value != 0 {
			t.Fatalf("2025 figures: %+v", figs)
		}
		// the subtree of another unit: nothing
		figs = must(f.s.Figures(f.ctx, metric.Query{UnitID: f.other}))(t)
		if figs[0].Denominator != 0 {
			t.Fatalf("other unit: %+v", figs[0])
		}
		x := must(f.s.Export(f.ctx, ListQuery{}))(t)
		if len(x) < 1000 || string(x[:2]) != "PK" {
			t.Fatalf("export is not an xlsx")
		}
	})
}

// listPage returns the first page of the decision list as (items, total, error).
func listPage(s *Service, ctx context.Context, q ListQuery) ([]Decision, int, error) {
	p, err := s.List(ctx, q, db.ListReq{})
	return p.Items, p.Total, err
}
