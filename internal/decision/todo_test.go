package decision

import (
	"context"
	"testing"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/todo"
)

// A decision is the responsible unit's clerk's item while the next step is
// the unit's (with the comment period's end as the consultation's
// deadline), nobody's while the legality review runs, the government
// office's while a body step is next, and the unit's again to implement.
func TestTodoFollowsTheProcedure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		dept := auth.Scope{Ranges: []auth.UnitRange{{Path: "/1/2/", Subtree: true}}}
		clerk := auth.With(context.Background(), &auth.Actor{UserID: 30, Username: "clerk_fgw", Name: "发改委科员", UnitID: 2, UnitPath: "/1/2/",
			Perms: map[string]auth.Scope{PermRead: dept, PermWrite: dept}})
		all := auth.Scope{All: true}
		office := auth.With(context.Background(), &auth.Actor{UserID: 31, Username: "zfb", Name: "区政府办公室", UnitID: 1, UnitPath: "/1/",
			Perms: map[string]auth.Scope{PermRead: all, PermCertify: {Ranges: []auth.UnitRange{{Path: "/1/"}}}}})
		other := auth.With(context.Background(), &auth.Actor{UserID: 32, Username: "clerk_stj", Name: "生态环境局科员", UnitID: 3, UnitPath: "/1/3/",
			Perms: map[string]auth.Scope{PermRead: all, PermWrite: {Ranges: []auth.UnitRange{{Path: "/1/3/", Subtree: true}}}}})
		det := f.walk(t, StepConsultation)
		mine := func(ctx context.Context) *todo.Item {
			t.Helper()
			items := must(f.s.Todo(ctx, testNow))(t)
			for i := range items {
				if items[i].Number == det.Code {
					return &items[i]
				}
			}
			return nil
		}
		want := func(ctx context.Context, who, action, due string) {
			t.Helper()
			it := mine(ctx)
			if action == "" {
				if it != nil {
					t.Fatalf("%s has an item at stage %s: %+v", who, det.Stage, it)
				}
				return
			}
			if it == nil || it.Action != action || it.Due != due || it.Link != "/decisions/"+itoa(int(det.ID)) || it.UnitName != "区发展改革委" {
				t.Fatalf("%s at stage %s: %+v, want action %q due %q", who, det.Stage, it, action, due)
			}
		}
		want(clerk, "clerk", "决策办理：公众参与", "")
		want(office, "office", "", "")
		want(other, "another unit's clerk", "", "")

		det = must(f.s.OpenConsultation(f.ctx, det.ID, ConsultationInput{Version: det.Version, Channels: []string{"区政府网站"}, Summary: "征求意见稿全文",
			CommentStart: "2026-09-01", CommentEnd: "2026-10-08"}))(t)
		want(clerk, "clerk", "公众参与：征求意见期满后公布意见采纳情况", "2026-10-08")
		det = must(f.s.CloseConsultation(f.ctx, det.ID, CloseInput{Version: det.Version, Feedback: "共收到意见12条，采纳5条", DoneOn: "2026-10-15"}))(t)
		want(clerk, "clerk", "决策办理：专家论证", "")

		det = f.walk(t, StepLegalReview)
		want(clerk, "clerk", "决策办理：合法性审查", "")
		det = must(f.s.SubmitLegalReview(clerk, det.ID, SubmitReviewInput{Version: det.Version, Summary: "请审查草案"}))(t)
		want(clerk, "clerk while the review runs", "", "")
		f.review.conclude(det.ID, ReviewFailed, "2026-11-02")
		det = must(f.s.RefreshLegalReview(clerk, det.ID, VersionInput{Version: det.Version}))(t)
		want(clerk, "clerk after a failed review", "合法性审查未通过：修改草案后重新送审", "")
		f.review.conclude(det.ID, ReviewPassed, "2026-11-03")
		det = must(f.s.RefreshLegalReview(clerk, det.ID, VersionInput{Version: det.Version}))(t)
		want(clerk, "clerk after the review passed", "", "")
		want(office, "office", "决策机关登记：集体讨论决定", "")

		det = must(f.s.RecordCollective(office, det.ID, collective(det.Version)))(t)
		want(office, "office", "决策机关登记：党委请示报告", "")
		det = must(f.s.RecordPartyReport(office, det.ID, PartyReportInput{Version: det.Version, PartyReportData: PartyReportData{Committee: "中共渝北区委", ReportedOn: "2026-11-06", Reply: "同意"}}))(t)
		det = must(f.s.Publish(office, det.ID, PublicationInput{Version: det.Version, PublicationData: PublicationData{PublishedOn: "2026-11-10",
			Channels: []string{"区政府网站"}, AdoptionNote: "说明", Text: "决定"}}))(t)
		want(office, "office after publishing", "", "")
		want(clerk, "clerk after publication", "决策办理：决策执行", "")
	})
}
