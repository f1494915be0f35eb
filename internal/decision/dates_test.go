package decision

import (
	"fmt"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// Issue 10 item 6: an entered date in year 0 or far in the future is
// refused naming its field (calendar.CheckDate), never stored.
func TestDatesOutOfRange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		in := StartInput{Title: "城区学校布局规划调整", UnitID: f.dept, DecisionBody: "渝北区人民政府", Reason: "r", Approver: "a"}
		for _, c := range []struct{ on, words string }{
			{"0000-01-01", "启动日期不能早于 1949-01-01"},
			{"9999-12-31", "启动日期不能晚于今天（2026-11-20）"},
		} {
			in.StartedOn = c.on
			_, err := f.s.Start(f.ctx, in)
			e := apperr.As(err)
			if e == nil || len(e.Fields) != 1 || e.Fields[0].Field != "started_on" {
				t.Fatalf("started_on %s: want one refusal on started_on, got %v", c.on, err)
			}
			wantErr(t, err, apperr.Invalid, c.words)
		}
		var n int
		if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM decisions").Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused decisions were written: %d %v", n, err)
		}
		// Consultation dates (a plan, not a record) are bounded by the years any date may take.
		det := f.walk(t, StepConsultation)
		_, err := f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"政府网站"}, Summary: "征求意见稿", CommentStart: "0000-01-01", CommentEnd: "2026-12-31"})
		wantErr(t, err, apperr.Invalid, "征求意见开始日期不能早于 1949-01-01")
	})
}

// Issue 10 item 6: a missing date never silently becomes today. The start
// date, each step's completion date and the catalogue's publication date
// are required: omitted, the call is refused naming the field and its
// Chinese label, and nothing is written (the web forms prefill today, so
// the user sees the date that is recorded).
func TestMissingDatesRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		state := func() string {
			t.Helper()
			var n, dv, cv, ev int64
			if err := d.QueryRow(f.ctx, "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM decisions").Scan(&n, &dv); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRow(f.ctx, "SELECT COALESCE(SUM(version), 0) FROM decision_catalogues").Scan(&cv); err != nil {
				t.Fatal(err)
			}
			if err := d.QueryRow(f.ctx, "SELECT COUNT(*) FROM audit_events").Scan(&ev); err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf("decisions=%d versions=%d catalogues=%d audit=%d", n, dv, cv, ev)
		}
		refused := func(what, field, words string, call func() (any, error)) {
			t.Helper()
			before := state()
			_, err := call()
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != field || e.Fields[0].Message != words {
				t.Errorf("%s without %s: want one refusal %q on %s, got %v", what, field, words, field, err)
			}
			if after := state(); after != before {
				t.Errorf("%s without %s wrote something: before %s, after %s", what, field, before, after)
			}
		}

		// The catalogue's publication date.
		cats := must(f.s.ListCategories(f.ctx, true))(t)
		c := must(f.s.CreateCatalogue(f.ctx, CatalogueInput{Year: 2026, UnitID: f.district}))(t)
		c = must(f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Kind: cats[0].Kinds[0], Title: "城区学校布局规划调整", UnitID: f.dept}))(t)
		c = must(f.s.ApproveCatalogue(f.ctx, c.ID, ApproveInput{Version: c.Version, PartyAgreedOn: "2026-01-20", PartyNote: "区委常委会2026年第2次会议"}))(t)
		refused("公布目录", "published_on", "请填写公布日期", func() (any, error) {
			return f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version})
		})
		c = must(f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version, PublishedOn: "2026-01-25"}))(t)
		f.catItem = c.Items[0].ID

		// The start date.
		refused("决策启动", "started_on", "请填写启动日期", func() (any, error) {
			return f.s.Start(f.ctx, StartInput{Title: "城区学校布局规划调整", CatalogueItemID: f.catItem, UnitID: f.dept, DecisionBody: "渝北区人民政府",
				Reason: "学位供需矛盾突出", Approver: "区政府第10次常务会议"})
		})

		// Each step's completion date, on a decision waiting for that step.
		det := f.walk(t, StepDraft)
		refused("拟订草案", "done_on", "请填写完成日期", func() (any, error) {
			return f.s.RecordDraft(f.ctx, det.ID, DraftInput{Version: det.Version, DraftData: DraftData{Options: []string{"方案一"}, CostBenefit: "c", Summary: "s"}})
		})
		det = f.walk(t, StepExpert)
		e := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "王教授", Field: "城市规划", Employer: "重庆大学", OrgID: f.org(t, "重庆大学")}))(t)
		det = must(f.s.AddOpinion(f.ctx, det.ID, OpinionInput{Version: det.Version, ExpertID: e.ID, Opinion: "可行", Signed: true, SignedOn: "2026-10-16"}))(t)
		refused("完成专家论证", "done_on", "请填写完成日期", func() (any, error) {
			return f.s.CompleteExpert(f.ctx, det.ID, CompleteExpertInput{Version: det.Version, Summary: "专家一致认为可行"})
		})
		det = f.walk(t, StepRisk)
		assessor := f.org(t, "重庆某社会风险评估中心")
		refused("风险评估", "done_on", "请填写评估完成日期", func() (any, error) {
			return f.s.RecordRisk(f.ctx, det.ID, RiskInput{Version: det.Version, RiskData: RiskData{AssessorID: assessor, Report: "风险可控",
				RiskPoints: []string{"拆迁安置"}, Measures: []string{"提前公示安置方案"}, ContingencyPlan: "成立应急处置小组", Level: "低"}})
		})
		det = f.walk(t, StepConsultation)
		det = must(f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"区政府网站"}, Summary: "征求意见稿全文",
			CommentStart: "2026-09-01", CommentEnd: "2026-10-08"}))(t)
		refused("结束征求意见", "done_on", "请填写反馈日期", func() (any, error) {
			return f.s.CloseConsultation(f.ctx, det.ID, CloseInput{Version: det.Version, Feedback: "共收到意见12条，采纳5条"})
		})
		det = f.walk(t, "")
		det = must(f.s.RecordImplementation(f.ctx, det.ID, ImplementationInput{Version: det.Version, ImplementationData: ImplementationData{ExecutionUnit: "区教委", Plan: "p"}}))(t)
		evaluator := f.org(t, "重庆市某决策评估研究院")
		refused("决策后评估", "done_on", "请填写评估完成日期", func() (any, error) {
			return f.s.RecordEvaluation(f.ctx, det.ID, EvaluationInput{Version: det.Version, EvaluationData: EvaluationData{EvaluatorID: evaluator, Trigger: "群众反映", Conclusion: "良好"}})
		})
	})
}
