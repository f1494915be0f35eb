package normdoc

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/legalreview"
	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fakeReviews stands in for the legality review module: Open records a
// pending review, and tests set the outcome.
type fakeReviews struct {
	next     int64
	outcomes map[int64]legalreview.Outcome
	opened   []legalreview.OpenInput
}

func newFakeReviews() *fakeReviews {
	return &fakeReviews{outcomes: map[int64]legalreview.Outcome{}}
}

func (f *fakeReviews) Open(ctx context.Context, in legalreview.OpenInput) (*legalreview.Review, error) {
	f.next++
	f.opened = append(f.opened, in)
	f.outcomes[in.SubjectID] = legalreview.Outcome{ReviewID: f.next, Status: legalreview.OutcomePending}
	return &legalreview.Review{ID: f.next, Kind: legalreview.Kind(in.Kind), Title: in.Title, UnitID: in.UnitID, SubjectType: in.SubjectType, SubjectID: in.SubjectID}, nil
}

func (f *fakeReviews) Outcome(ctx context.Context, subjectType string, subjectID int64) (legalreview.Outcome, error) {
	if o, ok := f.outcomes[subjectID]; ok {
		return o, nil
	}
	return legalreview.Outcome{Status: legalreview.OutcomeNone}, nil
}

func (f *fakeReviews) conclude(id int64, status, on string) {
	o := f.outcomes[id]
	o.Status, o.FinishedOn = status, on
	f.outcomes[id] = o
}

// fixture is a small org tree, an issuing-body list and actors.
type fixture struct {
	t        *testing.T
	d        *db.DB
	s        *Service
	rv       *fakeReviews
	root     int64 // 清河区人民政府
	sfj      int64 // 区司法局
	mzj      int64 // 区民政局
	jyj      int64 // 区教育局
	gov      *Issuer
	civil    *Issuer
	admin    context.Context // 司法局, everything district-wide
	clerk    context.Context // 民政局 clerk: read/write own subtree
	outsider context.Context // 教育局 clerk
}

func addUnit(t *testing.T, d *db.DB, code, name, typ string, parent int64, parentPath string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var p any
	if parent != 0 {
		p = parent
	}
	if err := d.QueryRow(ctx, "INSERT INTO org_units (code, name, type, parent_id, path) VALUES (?, ?, ?, ?, '') RETURNING id", code, name, typ, p).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("%s%d/", parentPath, id)
	if parentPath == "" {
		path = fmt.Sprintf("/%d/", id)
	}
	if _, err := d.Exec(ctx, "UPDATE org_units SET path = ? WHERE id = ?", path, id); err != nil {
		t.Fatal(err)
	}
	return id, path
}

func actor(id int64, name string, unit int64, perms map[string]auth.Scope) context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: id, Username: name, Name: name, UnitID: unit, Perms: perms})
}

func newFixture(t *testing.T, d *db.DB, now time.Time) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, rv: newFakeReviews()}
	var rootPath, mzjPath, jyjPath string
	f.root, rootPath = addUnit(t, d, "QH000000", "清河区人民政府", "district", 0, "")
	f.sfj, _ = addUnit(t, d, "QH101000", "区司法局", "department", f.root, rootPath)
	f.mzj, mzjPath = addUnit(t, d, "QH120000", "区民政局", "department", f.root, rootPath)
	f.jyj, jyjPath = addUnit(t, d, "QH103000", "区教育局", "department", f.root, rootPath)
	all := auth.Scope{All: true}
	f.admin = actor(1, "sifaju", f.sfj, map[string]auth.Scope{PermRead: all, PermWrite: all, PermApprove: all, PermCertify: all})
	own := func(p string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: p, Subtree: true}}} }
	f.clerk = actor(2, "clerk_mz", f.mzj, map[string]auth.Scope{PermRead: own(mzjPath), PermWrite: own(mzjPath)})
	f.outsider = actor(3, "clerk_jy", f.jyj, map[string]auth.Scope{PermRead: own(jyjPath), PermWrite: own(jyjPath)})
	f.s = NewService(d, calendar.Default(), calendar.DefaultRegistry(), f.rv, Options{Now: func() time.Time { return now }})
	var err error
	if f.gov, err = f.s.CreateIssuer(f.admin, IssuerInput{UnitID: f.root, Name: "清河区人民政府", Prefix: "清河府规", ListedOn: "2021-01-01"}); err != nil {
		t.Fatal(err)
	}
	if f.civil, err = f.s.CreateIssuer(f.admin, IssuerInput{UnitID: f.mzj, Name: "清河区民政局", Prefix: "清河民规", ListedOn: "2021-01-01"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func wantCode(t *testing.T, err error, code apperr.Code, contains string) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want %s error containing %q, got %v", code, contains, err)
	}
	if contains != "" && !strings.Contains(err.Error(), contains) {
		t.Fatalf("error %q does not contain %q", err.Error(), contains)
	}
}

func must[T any](t *testing.T) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// publishDoc walks a document through the whole procedure to publication
// on pub (all steps on that day).
func (f *fixture) publishDoc(issuer *Issuer, title, body, pub string) *Document {
	t := f.t
	t.Helper()
	m := must[*Document](t)
	d := m(f.s.CreateDraft(f.admin, DraftInput{IssuerID: issuer.ID, Title: title, Body: body, Summary: title, DraftedOn: pub}))
	d = m(f.s.SubmitReview(f.admin, d.ID, VersionInput{Version: d.Version}))
	f.rv.conclude(d.ID, legalreview.OutcomePassed, pub)
	d = m(f.s.Deliberate(f.admin, d.ID, DeliberationInput{Meeting: "区政府常务会议", Date: pub, Version: d.Version}))
	d = m(f.s.Register(f.admin, d.ID, DateInput{Date: pub, Version: d.Version}))
	return m(f.s.Publish(f.admin, d.ID, PublishInput{PublishedOn: pub, Version: d.Version}))
}

var fixedNow = time.Date(2026, 11, 20, 10, 0, 0, 0, calendar.Shanghai)

func TestIssuingBodyListGate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		// A body not on the list.
		_, err := f.s.CreateDraft(f.admin, DraftInput{IssuerID: 999, Title: "清河区某某办法", DraftedOn: "2026-11-01"})
		wantCode(t, err, apperr.Precondition, "不在制定主体清单内")
		// A clerk may draft for their own unit's listed body …
		doc, err := f.s.CreateDraft(f.clerk, DraftInput{IssuerID: f.civil.ID, Title: "清河区养老服务补贴管理办法", DraftedOn: "2026-11-01"})
		if err != nil || doc.Status != StatusDrafting || doc.UnitID != f.mzj {
			t.Fatalf("clerk draft: %+v %v", doc, err)
		}
		// … but not in another body's name.
		_, err = f.s.CreateDraft(f.outsider, DraftInput{IssuerID: f.civil.ID, Title: "清河区学校安全管理办法", DraftedOn: "2026-11-01"})
		wantCode(t, err, apperr.NotFound, "")
		// Nor see the other unit's draft.
		_, err = f.s.Get(f.outsider, doc.ID)
		wantCode(t, err, apperr.NotFound, "")
		// Removing the body from the list closes drafting.
		off := false
		if _, err := f.s.UpdateIssuer(f.admin, f.civil.ID, IssuerInput{UnitID: f.mzj, Name: f.civil.Name, Prefix: f.civil.Prefix, ListedOn: f.civil.ListedOn, Active: &off, Version: f.civil.Version}); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.CreateDraft(f.clerk, DraftInput{IssuerID: f.civil.ID, Title: "清河区殡葬管理暂行办法", DraftedOn: "2026-11-01"})
		wantCode(t, err, apperr.Precondition, "已移出制定主体清单")
		// A clerk cannot maintain the list.
		_, err = f.s.CreateIssuer(f.clerk, IssuerInput{UnitID: f.mzj, Name: "清河区民政局二", Prefix: "清河民", ListedOn: "2026-01-01"})
		wantCode(t, err, apperr.Forbidden, "")
		// Validation names the fields.
		_, err = f.s.CreateIssuer(f.admin, IssuerInput{Prefix: "清河府规〔2026〕"})
		e := apperr.As(err)
		if e == nil || len(e.Fields) != 4 {
			t.Fatalf("want 4 field errors (unit_id, name, prefix, listed_on), got %v", err)
		}
	})
}

func TestProcedureGates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		doc := m(f.s.CreateDraft(f.clerk, DraftInput{IssuerID: f.civil.ID, Title: "清河区养老服务补贴管理办法", Important: true, DraftedOn: "2026-08-01",
			Body: "为规范养老服务补贴发放，制定本办法。"}))

		// No collective deliberation without legality review.
		_, err := f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "局务会议", Date: "2026-09-01", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "未经合法性审核的规范性文件，不得提交集体审议")
		// No registration, publication or filing out of order.
		_, err = f.s.Register(f.admin, doc.ID, DateInput{Date: "2026-09-01", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "未经集体审议的规范性文件，不得统一登记编号")
		_, err = f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-09-01", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "未经统一登记编号")
		_, err = f.s.File(f.admin, doc.ID, FilingInput{FiledOn: "2026-09-01", FilingTo: "清河市人民政府", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "尚未公布")
		_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-09-01", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "尚未报送备案")

		// Important documents: evaluation and public comment first.
		_, err = f.s.SubmitReview(f.clerk, doc.ID, VersionInput{Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "评估论证、公开征求意见")
		doc = m(f.s.RecordEvaluation(f.clerk, doc.ID, EvaluationInput{Date: "2026-08-05", Note: "经评估，补贴标准可行", Version: doc.Version}))
		_, err = f.s.SubmitReview(f.clerk, doc.ID, VersionInput{Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "公开征求意见")
		// A comment period not yet over cannot be recorded as done.
		_, err = f.s.RecordComment(f.clerk, doc.ID, CommentInput{From: "2026-11-10", To: "2026-12-10", Summary: "x", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "尚未届满")
		doc = m(f.s.RecordComment(f.clerk, doc.ID, CommentInput{From: "2026-08-06", To: "2026-09-05", Count: 12, Summary: "采纳 8 条", Version: doc.Version}))
		// Stale version is a conflict, not an overwrite.
		_, err = f.s.SubmitReview(f.clerk, doc.ID, VersionInput{Version: doc.Version - 1})
		wantCode(t, err, apperr.Conflict, "")
		doc = m(f.s.SubmitReview(f.clerk, doc.ID, VersionInput{Version: doc.Version}))
		if doc.Status != StatusReviewing || doc.ReviewID == 0 || len(f.rv.opened) != 1 || f.rv.opened[0].Kind != "normdoc" || f.rv.opened[0].SubjectType != "normdoc" {
			t.Fatalf("after submit: %+v, opened %+v", doc, f.rv.opened)
		}
		// A draft in review cannot be edited or submitted twice.
		_, err = f.s.UpdateDraft(f.clerk, doc.ID, DraftInput{IssuerID: f.civil.ID, Title: "改标题", DraftedOn: "2026-08-01", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "只有起草中的文件可以修改")
		_, err = f.s.SubmitReview(f.clerk, doc.ID, VersionInput{Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "已在合法性审核中")

		// Review pending, then failed: deliberation refused.
		_, err = f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "局务会议", Date: "2026-09-20", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "合法性审核尚未完成")
		f.rv.conclude(doc.ID, legalreview.OutcomeFailed, "2026-09-15")
		_, err = f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "局务会议", Date: "2026-09-20", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "经合法性审核不合法")
		// A failed review may be resubmitted after revision.
		doc = m(f.s.SubmitReview(f.clerk, doc.ID, VersionInput{Version: doc.Version}))
		if len(f.rv.opened) != 2 {
			t.Fatalf("resubmission should open a second review, opened %d", len(f.rv.opened))
		}
		f.rv.conclude(doc.ID, legalreview.OutcomePassedWithChanges, "2026-09-25")
		// The clerk lacks normdoc.approve.
		_, err = f.s.Deliberate(f.clerk, doc.ID, DeliberationInput{Meeting: "局务会议", Date: "2026-09-28", Version: doc.Version})
		wantCode(t, err, apperr.Forbidden, "")
		_, err = f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "局务会议", Date: "2026-09-20", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "不能早于合法性审核完成日期")
		doc = m(f.s.Deliberate(f.admin, doc.ID, DeliberationInput{Meeting: "区民政局2026年第9次局务会议", Date: "2026-09-28", Version: doc.Version}))
		if doc.Status != StatusDeliberated || doc.ReviewStatus != legalreview.OutcomePassedWithChanges {
			t.Fatalf("after deliberation: %+v", doc)
		}

		// Numbering: per issuer and year, no gaps, no repeats.
		doc = m(f.s.Register(f.admin, doc.ID, DateInput{Date: "2026-09-29", Version: doc.Version}))
		if doc.DocNo != "清河民规〔2026〕1号" || doc.Status != StatusRegistered {
			t.Fatalf("doc no %q status %s", doc.DocNo, doc.Status)
		}
		second := f.publishDoc(f.civil, "清河区社会救助家庭经济状况核对办法", "", "2026-10-12")
		third := f.publishDoc(f.gov, "清河区政府投资项目管理办法", "", "2026-10-12")
		nextYear := f.publishDoc(f.civil, "清河区临时救助实施细则", "", "2025-12-30")
		if second.DocNo != "清河民规〔2026〕2号" || third.DocNo != "清河府规〔2026〕1号" || nextYear.DocNo != "清河民规〔2025〕1号" {
			t.Fatalf("numbers: %s %s %s", second.DocNo, third.DocNo, nextYear.DocNo)
		}
		_, err = f.s.Register(f.admin, second.ID, DateInput{Date: "2026-10-12", Version: second.Version})
		wantCode(t, err, apperr.Precondition, "已登记编号")

		// Publication: 30 days to take effect unless urgent with a reason.
		_, err = f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-09-30", EffectiveOn: "2026-10-15", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "不早于公布之日起30日（2026-10-30）")
		_, err = f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-09-30", EffectiveOn: "2026-10-15", Urgent: true, Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "说明理由")
		_, err = f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-09-30", ValidYears: 6, Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "有效期不得超过5年")
		doc = m(f.s.Publish(f.admin, doc.ID, PublishInput{PublishedOn: "2026-09-30", EffectiveOn: "2026-10-15", Urgent: true,
			UrgentReason: "冬季救助资金须于10月中旬发放", Version: doc.Version}))
		if doc.Status != StatusPublished || doc.EffectiveOn != "2026-10-15" || !doc.Urgent || doc.ExpiresOn != "2031-10-14" {
			t.Fatalf("published: %+v", doc)
		}
		if second.EffectiveOn != "2026-11-11" || second.ExpiresOn != "2031-11-10" {
			t.Fatalf("default effective/expiry: %s %s", second.EffectiveOn, second.ExpiresOn)
		}
		// Filing, once; then the review result.
		_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingPassed, Date: "2026-10-20", Version: doc.Version})
		wantCode(t, err, apperr.Precondition, "尚未报送备案")
		doc = m(f.s.File(f.admin, doc.ID, FilingInput{FiledOn: "2026-10-09", FilingTo: "清河市人民政府", Version: doc.Version}))
		_, err = f.s.File(f.admin, doc.ID, FilingInput{FiledOn: "2026-10-10", FilingTo: "清河市人民政府", Version: doc.Version})
		wantCode(t, err, apperr.Conflict, "已于 2026-10-09 报送备案")
		_, err = f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingCorrection, Date: "2026-10-20", Version: doc.Version})
		wantCode(t, err, apperr.Invalid, "审查意见")
		doc = m(f.s.RecordFilingResult(f.admin, doc.ID, FilingResultInput{Result: FilingRevoked, Date: "2026-10-20", Note: "第五条增设许可", Version: doc.Version}))
		if doc.Status != StatusRevoked || doc.EndedOn != "2026-10-20" {
			t.Fatalf("revoked: %+v", doc)
		}
		// The timeline shows every step in order with dates.
		keys := []string{}
		for _, st := range doc.Timeline {
			keys = append(keys, st.Key+"="+st.Date)
		}
		want := "draft=2026-08-01 evaluation=2026-08-05 comment=2026-09-05 review=2026-11-20 deliberation=2026-09-28 register=2026-09-29 publish=2026-09-30 filing=2026-10-09 filing_result=2026-10-20 validity=2031-10-14 end=2026-10-20"
		if got := strings.Join(keys, " "); got != want {
			t.Fatalf("timeline:\n got %s\nwant %s", got, want)
		}
	})
}

func TestFilingDeadlineThroughCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		// Published Thursday 2026-09-03; 30 days end on 2026-10-03, inside the
		// 国庆 holiday (10-01 to 10-07), so the deadline moves to Thursday
		// 2026-10-08, the first working day after it.
		doc := f.publishDoc(f.gov, "清河区城市道路占用挖掘管理办法", "", "2026-09-03")
		if doc.FilingDue != "2026-10-08" {
			t.Fatalf("filing due %s, want 2026-10-08; %s", doc.FilingDue, doc.FilingExplain)
		}
		if !strings.Contains(doc.FilingExplain, "国庆") {
			t.Fatalf("explanation should name the holiday: %s", doc.FilingExplain)
		}
		m := must[*Document](t)
		onTime := m(f.s.File(f.admin, doc.ID, FilingInput{FiledOn: "2026-10-08", FilingTo: "清河市人民政府", Version: doc.Version}))
		if onTime.FiledOnTime == nil || !*onTime.FiledOnTime {
			t.Fatalf("filed on the due day must be on time: %+v", onTime.FiledOnTime)
		}
		late := f.publishDoc(f.gov, "清河区户外广告设置管理办法", "", "2026-09-03")
		late = m(f.s.File(f.admin, late.ID, FilingInput{FiledOn: "2026-10-09", FilingTo: "清河市人民政府", Version: late.Version}))
		if late.FiledOnTime == nil || *late.FiledOnTime {
			t.Fatal("filed the day after the due day must be late")
		}

		// A province that sets 15 working days: from Thursday 2026-09-03 the
		// 15th working day counts Sunday 09-20 (调休上班) and ends Wednesday 09-23.
		rules := calendar.DefaultRegistry()
		if err := rules.Override(FilingRule, 15, calendar.WorkingDays); err != nil {
			t.Fatal(err)
		}
		f.s.rules = rules
		prov := f.publishDoc(f.gov, "清河区市容环境卫生责任区管理办法", "", "2026-09-03")
		if prov.FilingDue != "2026-09-23" {
			t.Fatalf("15 working days: due %s, want 2026-09-23", prov.FilingDue)
		}
	})
}

func TestValidityPeriods(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		normal := f.publishDoc(f.gov, "清河区政府信息公开工作办法", "", "2025-12-02")
		trial := f.publishDoc(f.gov, "清河区网格化服务管理办法（试行）", "", "2025-12-02")
		interim := f.publishDoc(f.gov, "清河区农村集体资产管理暂行办法", "", "2025-12-02")
		// Effective 2026-01-01 (30 days after 2025-12-02).
		if normal.EffectiveOn != "2026-01-01" || normal.ExpiresOn != "2030-12-31" || normal.ValidYears != 5 {
			t.Fatalf("normal: %s %s %d", normal.EffectiveOn, normal.ExpiresOn, normal.ValidYears)
		}
		if trial.ExpiresOn != "2027-12-31" || interim.ExpiresOn != "2027-12-31" || trial.ValidYears != 2 {
			t.Fatalf("试行/暂行: %s %s", trial.ExpiresOn, interim.ExpiresOn)
		}
		// Configured validity (a province choosing 3 years).
		f.s.opt.ValidYears = 3
		three := f.publishDoc(f.gov, "清河区公共资源交易管理办法", "", "2025-12-02")
		if three.ExpiresOn != "2028-12-31" {
			t.Fatalf("3-year validity: %s", three.ExpiresOn)
		}
		// The expiring filter and expiry job.
		list, n, err := listPage(f.s, f.admin, ListInput{ExpiringDays: 500})
		if err != nil || n != 2 || len(list) != 2 {
			t.Fatalf("expiring within 500 days: %d %v", n, err)
		}
		f.s.opt.Now = func() time.Time { return time.Date(2028, 1, 2, 9, 0, 0, 0, calendar.Shanghai) }
		if n, err := f.s.ExpireDue(f.admin); err != nil || n != 2 {
			t.Fatalf("expire due: %d %v", n, err)
		}
		got, err := f.s.Get(f.admin, trial.ID)
		if err != nil || got.Status != StatusExpired || got.EndedOn != "2027-12-31" {
			t.Fatalf("after expiry: %+v %v", got, err)
		}
		if n, err := f.s.ExpireDue(f.admin); err != nil || n != 0 {
			t.Fatalf("expire is idempotent: %d %v", n, err)
		}
	})
}

func TestFullTextSearchFindsTwoCharacterWords(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		f.publishDoc(f.civil, "清河区养老服务补贴管理办法", "第一条 为规范本区养老服务补贴的申请、审核和发放，制定本办法。", "2026-03-02")
		f.publishDoc(f.gov, "清河区信访工作规定（试行）", "第一条 为保障信访人的合法权益……", "2026-04-01")
		f.publishDoc(f.gov, "清河区城市道路管理办法", "第一条 为加强城市道路管理……", "2026-05-06")
		// A draft mentioning 养老 must not reach the public library.
		if _, err := f.s.CreateDraft(f.admin, DraftInput{IssuerID: f.civil.ID, Title: "清河区居家养老上门服务规范", DraftedOn: "2026-11-01"}); err != nil {
			t.Fatal(err)
		}
		titles := func(q string) []string {
			t.Helper()
			items, total, err := publicPage(f.s, context.Background(), PublicListInput{Q: q})
			if err != nil {
				t.Fatal(err)
			}
			if total != len(items) {
				t.Fatalf("total %d items %d", total, len(items))
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Title)
			}
			return out
		}
		if got := titles("养老"); len(got) != 1 || got[0] != "清河区养老服务补贴管理办法" {
			t.Fatalf("养老 → %v", got)
		}
		if got := titles("信访"); len(got) != 1 || got[0] != "清河区信访工作规定（试行）" {
			t.Fatalf("信访 → %v", got)
		}
		if got := titles("教育"); len(got) != 0 {
			t.Fatalf("absent word 教育 found %v", got)
		}
		if got := titles("道路 养老"); len(got) != 0 {
			t.Fatalf("all words must match: %v", got)
		}
		if got := titles("清河府规"); len(got) != 2 {
			t.Fatalf("search by document number prefix: %v", got)
		}
		if got := titles(""); len(got) != 3 {
			t.Fatalf("empty query lists every published document: %v", got)
		}
		// The ledger searches drafts too, within the actor's scope.
		docs, n, err := listPage(f.s, f.admin, ListInput{Q: "养老"})
		if err != nil || n != 2 || len(docs) != 2 {
			t.Fatalf("ledger 养老: %d %v", n, err)
		}
		// One document a page: the best-match order (text score first) pages
		// through the keyset cursor to the same documents; lists carry no body.
		p1, err := f.s.List(f.admin, ListInput{Q: "养老", ListReq: db.ListReq{Size: 1}})
		if err != nil || len(p1.Items) != 1 || p1.Next == "" || p1.Total != 2 || p1.Items[0].Body != "" {
			t.Fatalf("ledger 养老 page 1 of 1 row: %+v %v", p1, err)
		}
		p2, err := f.s.List(f.admin, ListInput{Q: "养老", ListReq: db.ListReq{Size: 1, After: p1.Next}})
		if err != nil || len(p2.Items) != 1 || p2.Next != "" || p2.Page != 2 ||
			p1.Items[0].ID != docs[0].ID || p2.Items[0].ID != docs[1].ID {
			t.Fatalf("ledger 养老 page 2 after the cursor: %+v %v (page 1 %d)", p2, err, p1.Items[0].ID)
		}
		if _, n, _ := listPage(f.s, f.outsider, ListInput{Q: "养老"}); n != 0 {
			t.Fatalf("outsider sees %d documents of another unit", n)
		}
		// The public record carries no internal fields.
		items, _, _ := publicPage(f.s, context.Background(), PublicListInput{Q: "养老"})
		pub, err := f.s.PublicGet(context.Background(), items[0].ID)
		if err != nil || !strings.Contains(pub.Body, "养老服务补贴") || pub.Validity != "现行有效" || pub.DocNo != "清河民规〔2026〕1号" {
			t.Fatalf("public get: %+v %v", pub, err)
		}
	})
}

func TestCleanupCampaign(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		a := f.publishDoc(f.civil, "清河区养老服务补贴管理办法", "", "2022-03-01")
		b := f.publishDoc(f.civil, "清河区最低生活保障审核确认办法", "", "2022-05-01")
		if _, err := f.s.CreateDraft(f.admin, DraftInput{IssuerID: f.civil.ID, Title: "草案不参加清理", DraftedOn: "2026-01-01"}); err != nil {
			t.Fatal(err)
		}
		mc := must[*Cleanup](t)
		c := mc(f.s.CreateCleanup(f.admin, CleanupInput{UnitID: f.mzj, Title: "2026年度规范性文件集中清理", StartedOn: "2026-10-01"}))
		if c.ItemCount != 2 || len(c.Items) != 2 || c.Status != CleanupOpen {
			t.Fatalf("campaign lists the 2 documents in force: %+v", c)
		}
		_, err := f.s.FinishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-20", Version: c.Version})
		wantCode(t, err, apperr.Precondition, "尚有 2 件文件未作出清理结论")
		_, err = f.s.DecideItem(f.admin, c.ID, c.Items[0].ID, DecisionInput{Outcome: OutcomeKeep, Date: "2026-10-10"})
		wantCode(t, err, apperr.Invalid, "清理理由")
		byDoc := map[int64]int64{}
		for _, it := range c.Items {
			byDoc[it.DocumentID] = it.ID
		}
		mc(f.s.DecideItem(f.admin, c.ID, byDoc[a.ID], DecisionInput{Outcome: OutcomeKeep, Reason: "符合上位法，继续施行", Date: "2026-10-10"}))
		c = mc(f.s.DecideItem(f.admin, c.ID, byDoc[b.ID], DecisionInput{Outcome: OutcomeRepeal, Reason: "上位法已修改，调整对象消失", Date: "2026-10-10"}))
		_, err = f.s.PublishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-25", Version: c.Version})
		wantCode(t, err, apperr.Precondition, "完成后才能公布")
		c = mc(f.s.FinishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-20", Version: c.Version}))
		_, err = f.s.DecideItem(f.admin, c.ID, byDoc[a.ID], DecisionInput{Outcome: OutcomeAmend, Reason: "x", Date: "2026-10-21"})
		wantCode(t, err, apperr.Precondition, "不能再修改清理结论")
		// Not public before publication.
		if _, err := f.s.PublicCleanup(context.Background(), c.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unpublished campaign is public: %v", err)
		}
		c = mc(f.s.PublishCleanup(f.admin, c.ID, DateInput{Date: "2026-10-25", Version: c.Version}))
		repealed, _ := f.s.Get(f.admin, b.ID)
		kept, _ := f.s.Get(f.admin, a.ID)
		if repealed.Status != StatusRepealed || repealed.EndedOn != "2026-10-25" || kept.Status != StatusPublished {
			t.Fatalf("after publication: repealed %s %s, kept %s", repealed.Status, repealed.EndedOn, kept.Status)
		}
		pub, err := f.s.PublicCleanup(context.Background(), c.ID)
		if err != nil || len(pub.Items) != 2 || pub.Status != CleanupPublished {
			t.Fatalf("public result list: %+v %v", pub, err)
		}
		list, n, err := f.s.PublicCleanups(context.Background(), db.Page{})
		if err != nil || n != 1 || list[0].Decided != 2 {
			t.Fatalf("public campaigns: %+v %v", list, err)
		}
		// A repealed document shows as such in the library.
		items, _, _ := publicPage(f.s, context.Background(), PublicListInput{Q: "最低生活保障"})
		if len(items) != 1 || items[0].Validity != "已废止" {
			t.Fatalf("library validity: %+v", items)
		}
	})
}

func TestFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d, fixedNow)
		m := must[*Document](t)
		var docs []*Document
		for i, title := range []string{"清河区甲办法", "清河区乙办法", "清河区丙办法", "清河区丁办法"} {
			docs = append(docs, f.publishDoc(f.civil, title, "", fmt.Sprintf("2026-0%d-01", i+3)))
		}
		// Due dates: 03-01→03-31, 04-01→05-06 (劳动节), 05-01→06-01 (05-31 Sun), 06-01→07-01.
		filed := []string{"2026-03-20", "2026-05-06", "2026-06-02"}
		for i, on := range filed {
			docs[i] = m(f.s.File(f.admin, docs[i].ID, FilingInput{FiledOn: on, FilingTo: "清河市人民政府", Version: docs[i].Version}))
		}
		m(f.s.RecordFilingResult(f.admin, docs[0].ID, FilingResultInput{Result: FilingPassed, Date: "2026-04-10", Version: docs[0].Version}))
		m(f.s.RecordFilingResult(f.admin, docs[1].ID, FilingResultInput{Result: FilingCorrection, Note: "第三条表述不规范", Date: "2026-06-10", Version: docs[1].Version}))
		fs, err := f.s.Figures(f.admin, metric.Query{From: "2026-01-01", To: "2026-11-20"})
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]metric.Figure{}
		for _, x := range fs {
			byKey[x.Code] = x
		}
		// Issue 24 changes this figure: its denominator is every document
		// whose filing fell due in the period (应报备), so 丁办法, due
		// 2026-07-01 and never filed, counts as not on time: 2 of 4 (was
		// 2 of the 3 filed, with the fourth only in a note).
		ot := byKey[FigureFiledOnTimeRate]
		if ot.Numerator != 2 || ot.Denominator != 4 || ot.Value != 50 || ot.Note != "" || !strings.Contains(ot.Definition, "逾期未报送计为不及时") {
			t.Fatalf("filed on time: %+v", ot)
		}
		pr := byKey[FigureFilingReviewPassRate]
		if pr.Numerator != 1 || pr.Denominator != 2 || pr.Value != 50 {
			t.Fatalf("pass rate: %+v", pr)
		}
		// The link lists exactly the records behind the denominator.
		if !strings.HasPrefix(ot.Link, "/normdocs/ledger?") || !strings.Contains(ot.Link, "filing_due_from=2026-01-01") {
			t.Fatalf("link %s", ot.Link)
		}
		_, n, _ := listPage(f.s, f.admin, ListInput{FilingDueFrom: "2026-01-01", FilingDueTo: "2026-11-20"})
		if n != 4 {
			t.Fatalf("records behind: %d", n)
		}
		// The period applies: a period after 丁办法's deadline holds nothing due.
		fs2, _ := f.s.Figures(f.admin, metric.Query{From: "2026-07-02", To: "2026-11-20"})
		if fs2[0].Denominator != 0 || !fs2[0].NoData {
			t.Fatalf("period after every deadline: %+v", fs2[0])
		}
		// A unit subtree with no records.
		fs, _ = f.s.Figures(f.admin, metric.Query{UnitID: f.jyj, From: "2026-01-01", To: "2026-11-20"})
		if fs[0].Denominator != 0 || fs[0].Note == "" {
			t.Fatalf("empty subtree: %+v", fs[0])
		}
		// Each count equals the ledger total behind it, for every scope.
		for name, ctx := range map[string]context.Context{"admin": f.admin, "clerk": f.clerk, "outsider": f.outsider} {
			for _, unit := range []int64{0, f.mzj} {
				fs, err := f.s.Figures(ctx, metric.Query{UnitID: unit, From: "2026-01-01", To: "2026-11-20"})
				if err != nil {
					t.Fatal(err)
				}
				total := func(li ListInput) int {
					li.UnitID = unit
					_, n, err := listPage(f.s, ctx, li)
					if err != nil {
						t.Fatal(err)
					}
					return n
				}
				want := []int{
					total(ListInput{FilingDueFrom: "2026-01-01", FilingDueTo: "2026-11-20", FiledOnTime: "yes"}),
					total(ListInput{FilingDueFrom: "2026-01-01", FilingDueTo: "2026-11-20"}),
					total(ListInput{ResultFrom: "2026-01-01", ResultTo: "2026-11-20", FilingResult: string(FilingPassed)}),
					total(ListInput{ResultFrom: "2026-01-01", ResultTo: "2026-11-20"}),
				}
				got := []int{fs[0].Numerator, fs[0].Denominator, fs[1].Numerator, fs[1].Denominator}
				if fmt.Sprint(got) != fmt.Sprint(want) {
					t.Fatalf("%s unit %d: figures %v, ledger %v", name, unit, got, want)
				}
			}
		}
		if _, err := f.s.Figures(f.admin, metric.Query{UnitID: 999999}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("unknown unit: %v", err)
		}
	})
}

// listPage returns one page of the ledger as (items, total, error).
func listPage(s *Service, ctx context.Context, in ListInput) ([]Document, int, error) {
	p, err := s.List(ctx, in)
	return p.Items, p.Total, err
}

// publicPage returns one page of the public library as (items, total, error).
func publicPage(s *Service, ctx context.Context, in PublicListInput) ([]PublicDocument, int, error) {
	p, err := s.PublicList(ctx, in)
	return p.Items, p.Total, err
}
