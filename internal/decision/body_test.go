package decision

import (
	"context"
	"testing"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The collective decision, the report to the party committee and the
// publication are the decision body's own acts (arts. 29–32): the head of
// the responsible unit, who may approve everything in his unit, is refused;
// so is an account of the responsible unit even if it was granted
// decision.certify everywhere; the government office acting for the body's
// unit records them.
func TestBodyStepsOnlyByTheDecisionBody(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, StepCollective)
		if det.BodyUnitID != f.district {
			t.Fatalf("decision body unit %d, want the catalogue's government %d", det.BodyUnitID, f.district)
		}
		dept := auth.Scope{Ranges: []auth.UnitRange{{Path: "/1/2/", Subtree: true}}}
		head := auth.With(context.Background(), &auth.Actor{UserID: 20, Username: "head_fgw", Name: "发改委主任", UnitID: 2, UnitPath: "/1/2/",
			Perms: map[string]auth.Scope{PermRead: dept, PermWrite: dept, PermApprove: dept, PermCertify: dept}})
		_, err := f.s.RecordCollective(head, det.ID, collective(det.Version))
		wantErr(t, err, apperr.Forbidden, "只能由代表决策机关的账号")
		all := auth.Scope{All: true}
		inside := auth.With(context.Background(), &auth.Actor{UserID: 21, Username: "clerk_fgw", Name: "发改委科员", UnitID: 2, UnitPath: "/1/2/",
			Perms: map[string]auth.Scope{PermRead: all, PermCertify: all}})
		_, err = f.s.RecordCollective(inside, det.ID, collective(det.Version))
		wantErr(t, err, apperr.Forbidden, "决策承办单位（区发展改革委）不能登记")

		own := auth.Scope{Ranges: []auth.UnitRange{{Path: "/1/"}}}
		office := auth.With(context.Background(), &auth.Actor{UserID: 22, Username: "zfb", Name: "区政府办公室", UnitID: 1, UnitPath: "/1/",
			Perms: map[string]auth.Scope{PermRead: all, PermCertify: own}})
		det = must(f.s.RecordCollective(office, det.ID, collective(det.Version)))(t)
		_, err = f.s.RecordPartyReport(head, det.ID, PartyReportInput{Version: det.Version, PartyReportData: PartyReportData{Committee: "中共渝北区委", ReportedOn: "2026-11-06", Reply: "同意"}})
		wantErr(t, err, apperr.Forbidden, "只能由代表决策机关的账号")
		det = must(f.s.RecordPartyReport(office, det.ID, PartyReportInput{Version: det.Version, PartyReportData: PartyReportData{Committee: "中共渝北区委", ReportedOn: "2026-11-06", Reply: "同意"}}))(t)
		pub := PublicationInput{Version: det.Version, PublicationData: PublicationData{PublishedOn: "2026-11-10", Channels: []string{"区政府网站"}, AdoptionNote: "说明", Text: "决定"}}
		_, err = f.s.Publish(head, det.ID, pub)
		wantErr(t, err, apperr.Forbidden, "只能由代表决策机关的账号")
		det = must(f.s.Publish(office, det.ID, pub))(t)
		if det.Status != StatusPublished {
			t.Fatalf("status %s after the office published", det.Status)
		}
		// Certify for a unit is not certify for the units below it: the
		// office of a department cannot act for the government.
		sub := auth.With(context.Background(), &auth.Actor{UserID: 23, Username: "stj", UnitID: 3, UnitPath: "/1/3/",
			Perms: map[string]auth.Scope{PermRead: all, PermCertify: {Ranges: []auth.UnitRange{{Path: "/1/3/", Subtree: true}}}}})
		other := f.walk(t, StepCollective)
		_, err = f.s.RecordCollective(sub, other.ID, collective(other.Version))
		wantErr(t, err, apperr.Forbidden, "决策机关（渝北区人民政府）")
	})
}

// A decision cannot name its own responsible unit as the decision body.
func TestStartBodyIsNotTheResponsibleUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		_, err := f.s.Start(f.ctx, StartInput{Title: "t", UnitID: f.dept, DecisionBody: "区发展改革委", Reason: "r", Approver: "a", StartedOn: "2026-03-02"})
		wantErr(t, err, apperr.Invalid, "决策承办单位不能是决策机关")
		_, err = f.s.Start(f.ctx, StartInput{Title: "t", UnitID: f.dept, DecisionBody: "不存在的机关", Reason: "r", Approver: "a", StartedOn: "2026-03-02"})
		wantErr(t, err, apperr.Invalid, "不是组织机构中的单位")
		det := must(f.s.Start(f.ctx, StartInput{Title: "t", UnitID: f.dept, DecisionBody: "渝北区人民政府", Reason: "r", Approver: "a", StartedOn: "2026-03-02"}))(t)
		if det.BodyUnitID != f.district {
			t.Fatalf("body unit %d", det.BodyUnitID)
		}
	})
}

// Art. 3: a matter is in the catalogue once the catalogue is published
// after the party committee agreed; approved but unpublished is not enough.
func TestStartNeedsAPublishedCatalogue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		cats := must(f.s.ListCategories(f.ctx, true))(t)
		c := must(f.s.CreateCatalogue(f.ctx, CatalogueInput{Year: 2026, UnitID: f.district}))(t)
		c = must(f.s.AddItem(f.ctx, c.ID, ItemInput{CatalogueVersion: c.Version, CategoryID: cats[0].ID, Title: "城区学校布局规划调整", UnitID: f.dept}))(t)
		c = must(f.s.ApproveCatalogue(f.ctx, c.ID, ApproveInput{Version: c.Version, PartyAgreedOn: "2026-01-20", PartyNote: "区委常委会"}))(t)
		in := StartInput{Title: "城区学校布局规划调整", CatalogueItemID: c.Items[0].ID, UnitID: f.dept, Reason: "r", Approver: "a", StartedOn: "2026-03-02"}
		_, err := f.s.Start(f.ctx, in)
		wantErr(t, err, apperr.Precondition, "已审定但尚未向社会公布")
		c = must(f.s.PublishCatalogue(f.ctx, c.ID, PublishInput{Version: c.Version, PublishedOn: "2026-01-25"}))(t)
		det := must(f.s.Start(f.ctx, in))(t)
		if det.DecisionBody != "渝北区人民政府" || det.BodyUnitID != f.district {
			t.Fatalf("body from the catalogue: %q %d", det.DecisionBody, det.BodyUnitID)
		}
	})
}

// Dates that record what has happened cannot lie in the future (today is
// 2026-11-20 in the fixture): the collective decision, the party-committee
// report and the publication each name the field; today is accepted.
func TestFutureDatesRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, StepCollective)
		in := collective(det.Version)
		in.MeetingOn = "2026-11-21"
		_, err := f.s.RecordCollective(f.ctx, det.ID, in)
		wantErr(t, err, apperr.Invalid, "会议日期不能晚于今天（2026-11-20）")
		if e := apperr.As(err); len(e.Fields) == 0 || e.Fields[0].Field != "meeting_on" {
			t.Fatalf("field: %+v", e)
		}
		in.MeetingOn = "2026-11-20"
		det = must(f.s.RecordCollective(f.ctx, det.ID, in))(t)
		_, err = f.s.RecordPartyReport(f.ctx, det.ID, PartyReportInput{Version: det.Version, PartyReportData: PartyReportData{Committee: "区委", ReportedOn: "2026-12-01", Reply: "同意"}})
		wantErr(t, err, apperr.Invalid, "请示报告日期不能晚于今天")
		det = must(f.s.RecordPartyReport(f.ctx, det.ID, PartyReportInput{Version: det.Version, PartyReportData: PartyReportData{Committee: "区委", ReportedOn: "2026-11-20", Reply: "同意"}}))(t)
		pub := PublicationInput{Version: det.Version, PublicationData: PublicationData{PublishedOn: "2027-01-01", Channels: []string{"区政府网站"}, AdoptionNote: "说明", Text: "决定"}}
		_, err = f.s.Publish(f.ctx, det.ID, pub)
		wantErr(t, err, apperr.Invalid, "公布日期不能晚于今天")
		pub.PublishedOn = "2026-11-20"
		if det = must(f.s.Publish(f.ctx, det.ID, pub))(t); det.PublishedOn != "2026-11-20" {
			t.Fatalf("published on %s", det.PublishedOn)
		}
	})
}

// A second risk assessment is refused with the step's state said once
// ("风险评估已完成", not "已已完成").
func TestRepeatRiskMessage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		det := f.walk(t, StepLegalReview)
		_, err := f.s.RecordRisk(f.ctx, det.ID, RiskInput{Version: det.Version, RiskData: RiskData{Assessor: "另一评估中心", Report: "r",
			RiskPoints: []string{"p"}, Measures: []string{"m"}, ContingencyPlan: "c", Level: "低"}, DoneOn: "2026-11-18"})
		wantErr(t, err, apperr.Precondition, "风险评估已完成，不得重复评估")
	})
}

// Art. 36 by identity: the risk assessor "某评估中心" is one pool record;
// "某评估中心有限公司" is the same organisation only if it is the same
// record — a second record with the same credit code cannot be made, and
// the evaluator is chosen from the records, not typed. A different
// organisation (its own credit code) may evaluate.
func TestEvaluatorIsNotTheEarlierAssessorByIdentity(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		center := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Kind: PoolOrg, Name: "某评估中心", Field: "社会稳定风险评估", CreditCode: "91500000123456789X"}))(t)
		_, err := f.s.SaveExpert(f.ctx, 0, ExpertInput{Kind: PoolOrg, Name: "某评估中心有限公司", Field: "决策评估", CreditCode: "91500000123456789x"})
		wantErr(t, err, apperr.Invalid, "已在库中，同一机构只登记一次")
		f.orgs["重庆某社会风险评估中心"] = center.ID // the walk's risk assessor is this record
		det := f.walk(t, "")
		det = must(f.s.RecordImplementation(f.ctx, det.ID, ImplementationInput{Version: det.Version, ImplementationData: ImplementationData{ExecutionUnit: "区教委", Plan: "p"}}))(t)
		ev := EvaluationInput{Version: det.Version, EvaluationData: EvaluationData{Evaluator: "某评估中心有限公司", Trigger: "群众反映", Conclusion: "良好"}, DoneOn: "2026-11-18"}
		_, err = f.s.RecordEvaluation(f.ctx, det.ID, ev)
		wantErr(t, err, apperr.Invalid, "请从专家库的评估机构中选择")
		ev.EvaluatorID = center.ID
		_, err = f.s.RecordEvaluation(f.ctx, det.ID, ev)
		wantErr(t, err, apperr.Precondition, "“某评估中心”曾承担该决策的风险评估")
		expert := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Name: "王研究员", Field: "评估", Employer: "某高校"}))(t)
		ev.EvaluatorID = expert.ID // a person is not an assessing organisation
		_, err = f.s.RecordEvaluation(f.ctx, det.ID, ev)
		wantErr(t, err, apperr.Invalid, "应为专家库中登记的评估机构")
		other := must(f.s.SaveExpert(f.ctx, 0, ExpertInput{Kind: PoolOrg, Name: "某评估中心有限公司", Field: "决策评估", CreditCode: "91500000987654321Y"}))(t)
		ev.EvaluatorID = other.ID
		det = must(f.s.RecordEvaluation(f.ctx, det.ID, ev))(t)
		var got EvaluationData
		for _, st := range det.Timeline {
			if st.Step == StepEvaluation {
				if err := unmarshal(st.Data, &got); err != nil {
					t.Fatal(err)
				}
			}
		}
		if got.EvaluatorID != other.ID || got.Evaluator != "某评估中心有限公司" {
			t.Fatalf("evaluation recorded %+v", got)
		}
	})
}
