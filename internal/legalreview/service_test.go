package legalreview

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/docx"
	"fazhi/internal/platform/xlsx"
)

func TestOpenOutcomeContract(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := f.as(t, "clerk_zjj")
		o, err := f.svc.Outcome(ctx, "decision", 42)
		if err != nil || o.Status != OutcomeNone || o.ReviewID != 0 {
			t.Fatalf("before: %+v %v", o, err)
		}
		if _, err := f.svc.Outcome(context.Background(), "decision", 42); !apperr.Is(err, apperr.Unauthenticated) {
			t.Errorf("outcome without actor: %v", err)
		}
		r := f.open(t, OpenInput{Title: "清河区老旧小区改造三年行动方案", SubjectType: "decision", SubjectID: 42, Summary: "涉及 36 个小区"})
		if r.Status != StatusReviewing || r.Kind != KindDecision || r.UnitName != "区住房城乡建设局" || r.CurrentStep != "承办人初审" {
			t.Fatalf("opened: %+v", r)
		}
		o, _ = f.svc.Outcome(ctx, "decision", 42)
		if o.Status != OutcomePending || o.ReviewID != r.ID || o.Passed() {
			t.Fatalf("pending: %+v", o)
		}
		_, err = f.svc.Open(ctx, OpenInput{Kind: "decision", Title: "重复送审", UnitID: f.units["QH109000"], SubjectType: "decision", SubjectID: 42})
		wantCode(t, err, apperr.Conflict)

		f.pass(t, r.ID)
		o, _ = f.svc.Outcome(ctx, "decision", 42)
		if o.Status != OutcomePending {
			t.Fatalf("chain done but not concluded must stay pending: %+v", o)
		}
		f.at("2026-10-09")
		f.conclude(t, r.ID, ConclusionPassedWithChanges, "第五条“一律不予补偿”的表述缺乏法律依据，建议删除。")
		o, _ = f.svc.Outcome(ctx, "decision", 42)
		if o.Status != OutcomePassedWithChanges || o.FinishedOn != "2026-10-09" || !o.Passed() {
			t.Fatalf("concluded: %+v", o)
		}

		// A new request for the same subject is allowed once the first is
		// concluded, and becomes the latest outcome; withdrawing it leaves
		// the earlier conclusion as the outcome.
		r2 := f.open(t, OpenInput{Title: "清河区老旧小区改造三年行动方案（修改稿）", SubjectType: "decision", SubjectID: 42})
		o, _ = f.svc.Outcome(ctx, "decision", 42)
		if o.Status != OutcomePending || o.ReviewID != r2.ID {
			t.Fatalf("second: %+v", o)
		}
		if _, err := f.svc.Withdraw(ctx, r2.ID, r2.Version, "改为重新起草"); err != nil {
			t.Fatal(err)
		}
		o, _ = f.svc.Outcome(ctx, "decision", 42)
		if o.ReviewID != r.ID || o.Status != OutcomePassedWithChanges {
			t.Fatalf("after withdraw: %+v", o)
		}
		// A failed review does not pass the gate.
		r3 := f.open(t, OpenInput{Title: "关于调整停车收费的决定", SubjectType: "decision", SubjectID: 43})
		f.pass(t, r3.ID)
		f.conclude(t, r3.ID, ConclusionFailed, "超越法定权限设定收费项目。")
		o, _ = f.svc.Outcome(ctx, "decision", 43)
		if o.Status != OutcomeFailed || o.Passed() {
			t.Fatalf("failed: %+v", o)
		}
	})
}

// A request submitted on Monday 2026-09-28, before 中秋 (already past) and
// 国庆 (10-01..10-07 off, Sat 10-10 a make-up working day). Counting by hand
// from 09-28 (not counted): 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4),
// 10-10 (5, make-up Saturday), 10-12 (6), 10-13 (7) → the requested
// completion date may not be earlier than 2026-10-13. The 15-working-day
// review limit continues 10-14 (8) … 10-23 (15) → due 2026-10-23.
func TestMinimumSevenWorkingDaysBeforeNationalDay(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		f.at("2026-09-28")
		ctx := f.as(t, "clerk_zjj")
		_, err := f.svc.Open(ctx, OpenInput{Kind: "normdoc", Title: "清河区物业服务管理办法", UnitID: f.units["QH109000"], RequestedBy: "2026-10-12"})
		e := wantCode(t, err, apperr.Invalid)
		msg := hasField(e, "requested_by")
		if !strings.Contains(msg, "不得早于 2026-10-13") || !strings.Contains(msg, "7 个工作日") {
			t.Fatalf("message: %q", msg)
		}
		var n int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM legalreviews").Scan(&n); err != nil || n != 0 {
			t.Fatalf("refused request was written: %d %v", n, err)
		}
		r := f.open(t, OpenInput{Kind: "normdoc", Title: "清河区物业服务管理办法", RequestedBy: "2026-10-13"})
		if r.MinOn != "2026-10-13" || r.RequestedBy != "2026-10-13" || r.SubmittedOn != "2026-09-28" {
			t.Fatalf("dates: min %s requested %s submitted %s", r.MinOn, r.RequestedBy, r.SubmittedOn)
		}
		if r.DueOn != "2026-10-23" || !strings.Contains(r.DueExplain, "国庆") {
			t.Fatalf("due %s (%s)", r.DueOn, r.DueExplain)
		}
		// Without a requested date the earliest allowed date is recorded.
		r2 := f.open(t, OpenInput{Kind: "contract", Title: "清河区政府与某物业公司服务合同"})
		if r2.RequestedBy != "2026-10-13" {
			t.Fatalf("default requested_by %s", r2.RequestedBy)
		}
	})
}

func TestChainApproveReturnConclude(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.open(t, OpenInput{Title: "清河区城市道路占道停车管理规定"})
		if len(r.Pending) != 1 || r.Pending[0] != f.ids["sifaju2"] {
			t.Fatalf("pending %v", r.Pending)
		}
		// Someone without the task may not act; an opinion is required.
		_, err := f.svc.Act(f.as(t, "sifaju"), r.ID, ActInput{Action: "approve", Opinion: "同意", Version: f.ver(t, r.ID)})
		wantCode(t, err, apperr.Forbidden)
		_, err = f.svc.Act(f.as(t, "sifaju2"), r.ID, ActInput{Action: "approve", Version: f.ver(t, r.ID)})
		e := wantCode(t, err, apperr.Invalid)
		if hasField(e, "opinion") == "" {
			t.Fatalf("fields %v", e.Fields)
		}
		// Stale version.
		_, err = f.svc.Act(f.as(t, "sifaju2"), r.ID, ActInput{Action: "approve", Opinion: "同意", Version: r.Version + 5})
		wantCode(t, err, apperr.Conflict)

		r = f.act(t, "sifaju2", r.ID, ActInput{Action: "approve", Opinion: "初审同意", Version: r.Version})
		if r.CurrentStep != "法律顾问、公职律师意见" || len(r.Pending) != 2 {
			t.Fatalf("after clerk: %s %v", r.CurrentStep, r.Pending)
		}
		// The counsel can see the review through their task, though it is
		// outside their unit.
		if _, err := f.svc.Get(f.as(t, "counsel_zhao"), r.ID); err != nil {
			t.Fatalf("counsel read: %v", err)
		}
		if len(r.ReturnTo) != 1 || r.ReturnTo[0].Key != "clerk" || r.ReturnTo[0].Name != "承办人初审" {
			t.Fatalf("return targets %+v", r.ReturnTo)
		}
		r = f.act(t, "counsel_zhao", r.ID, ActInput{Action: "return", ToStep: "clerk", Opinion: "缺少起草说明，请补充"})
		if r.CurrentStep != "承办人初审" || len(r.Pending) != 1 || r.Pending[0] != f.ids["sifaju2"] {
			t.Fatalf("after return: %s %v", r.CurrentStep, r.Pending)
		}
		// Concluding while the chain runs is refused.
		_, err = f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: "passed", Version: f.ver(t, r.ID)})
		wantCode(t, err, apperr.Precondition)

		tasks, err := f.svc.Tasks(f.as(t, "sifaju2"))
		if err != nil || len(tasks) != 1 || tasks[0].ReviewID != r.ID || tasks[0].Step != "承办人初审" {
			t.Fatalf("tasks %+v %v", tasks, err)
		}
		r = f.pass(t, r.ID)
		if r.Status != StatusConcluding || len(r.Pending) != 0 {
			t.Fatalf("after chain: %s %v", r.Status, r.Pending)
		}
		// Bad conclusions are refused naming the field.
		_, err = f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: "passed_with_changes", Version: f.ver(t, r.ID)})
		e = wantCode(t, err, apperr.Invalid)
		if !strings.Contains(hasField(e, "opinions"), "至少提出一条") {
			t.Fatalf("fields %v", e.Fields)
		}
		// The requester cannot conclude.
		_, err = f.svc.Conclude(f.as(t, "clerk_zjj"), r.ID, ConcludeInput{Conclusion: "passed", Version: f.ver(t, r.ID)})
		wantCode(t, err, apperr.Forbidden)

		r = f.conclude(t, r.ID, ConclusionPassed)
		if r.Status != StatusConcluded || r.OpinionNo != "清河司审〔2026〕1号" || r.ConcludedBy != "王建国" {
			t.Fatalf("concluded: %s %s %s", r.Status, r.OpinionNo, r.ConcludedBy)
		}
		_, err = f.svc.Conclude(f.as(t, "sifaju"), r.ID, ConcludeInput{Conclusion: "passed", Version: f.ver(t, r.ID)})
		wantCode(t, err, apperr.Conflict)

		// Numbers run on without gaps; a refused conclusion takes none.
		r2 := f.open(t, OpenInput{Title: "清河区共享单车停放管理办法"})
		f.pass(t, r2.ID)
		if _, err := f.svc.Conclude(f.as(t, "sifaju"), r2.ID, ConcludeInput{Conclusion: "failed", Version: f.ver(t, r2.ID)}); err == nil {
			t.Fatal("failed without opinions accepted")
		}
		r2 = f.conclude(t, r2.ID, ConclusionFailed, "缺少公众参与程序。")
		if r2.OpinionNo != "清河司审〔2026〕2号" {
			t.Fatalf("second number %s", r2.OpinionNo)
		}

		tl, err := f.svc.Timeline(f.as(t, "clerk_zjj"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var sawReturn bool
		for _, e := range tl {
			if e.Action == "return" {
				sawReturn = e.Actor == "赵明律" && e.Target == "承办人初审" && e.Opinion == "缺少起草说明，请补充"
			}
		}
		if !sawReturn || tl[0].Label != "发起" {
			t.Fatalf("timeline %+v", tl)
		}
	})
}

func TestOpinionLetterReadBack(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.open(t, OpenInput{Title: "清河区老旧小区改造三年行动方案", SubjectType: "decision", SubjectID: 7})
		_, _, err := f.svc.Letter(f.as(t, "clerk_zjj"), r.ID)
		wantCode(t, err, apperr.Precondition)
		f.pass(t, r.ID)
		f.at("2026-10-09")
		f.conclude(t, r.ID, ConclusionPassedWithChanges, "第五条关于补偿标准的规定缺乏上位法依据，建议删除。", "建议补充风险评估结论。")
		b, name, err := f.svc.Letter(f.as(t, "clerk_zjj"), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if name != "法律审查意见书-清河司审〔2026〕1号.docx" {
			t.Errorf("name %q", name)
		}
		text, err := docx.Text(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"法律审查意见书", "清河司审〔2026〕1号", "区住房城乡建设局：", "《清河区老旧小区改造三年行动方案》",
			"修改后通过", "1．第五条关于补偿标准的规定缺乏上位法依据，建议删除。", "2．建议补充风险评估结论。", "区司法局", "2026年10月9日"} {
			if !strings.Contains(text, want) {
				t.Errorf("letter lacks %q:\n%s", want, text)
			}
		}
	})
}

func TestFiguresOnKnownData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		// Submitted 2026-09-28, so every review is due 2026-10-23.
		a := f.open(t, OpenInput{Title: "甲：老旧小区改造方案"})
		b := f.open(t, OpenInput{Kind: "contract", Title: "乙：物业服务合同"})
		c, err := f.svc.Open(f.as(t, "clerk_sj"), OpenInput{Kind: "normdoc", Title: "丙：食品摊贩管理办法", UnitID: f.units["QH116000"]})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int64{a.ID, b.ID, c.ID} {
			f.pass(t, id)
		}
		f.at("2026-10-20")
		f.conclude(t, c.ID, ConclusionPassed)
		f.at("2026-10-23") // the due date itself is still on time
		f.conclude(t, a.ID, ConclusionPassedWithChanges, "意见一", "意见二", "意见三")
		f.at("2026-10-26")
		f.conclude(t, b.ID, ConclusionPassedWithChanges, "意见甲")
		// Still under review, within its time limit: not yet due, so in no
		// denominator (the allowed path beside the overdue case below).
		late4 := f.open(t, OpenInput{Title: "丁：仍在审查"})

		zjj := f.as(t, "clerk_zjj")
		_, err = f.svc.Adopt(zjj, a.ID, AdoptInput{Items: []AdoptionItem{{Seq: 1, Adoption: "adopted"}, {Seq: 2, Adoption: "partial"}}, Version: f.ver(t, a.ID)})
		e := wantCode(t, err, apperr.Invalid)
		if !strings.Contains(hasField(e, "items[1].reason"), "须说明理由") {
			t.Fatalf("fields %v", e.Fields)
		}
		if _, err := f.svc.Adopt(zjj, a.ID, AdoptInput{Items: []AdoptionItem{{Seq: 1, Adoption: "adopted"},
			{Seq: 2, Adoption: "partial", Reason: "部分条款已调整"}, {Seq: 3, Adoption: "rejected", Reason: "上位法已有规定"}}, Version: f.ver(t, a.ID)}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Adopt(zjj, b.ID, AdoptInput{Items: []AdoptionItem{{Seq: 1, Adoption: "adopted"}}, Version: f.ver(t, b.ID)}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Adopt(f.as(t, "clerk_sj"), a.ID, AdoptInput{Items: []AdoptionItem{{Seq: 1, Adoption: "adopted"}}, Version: f.ver(t, a.ID)})
		if err == nil {
			t.Fatal("another unit recorded adoption")
		}

		get := func(ctx context.Context, in metric.Query) map[string]metric.Figure {
			t.Helper()
			figs, err := f.svc.Figures(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			m := map[string]metric.Figure{}
			for _, fg := range figs {
				m[fg.Code] = fg
			}
			return m
		}
		check := func(fg metric.Figure, num, den int, value float64) {
			t.Helper()
			if fg.Numerator != num || fg.Denominator != den || fg.Value != value {
				t.Errorf("%s = %d/%d (%.1f), want %d/%d (%.1f)", fg.Code, fg.Numerator, fg.Denominator, fg.Value, num, den, value)
			}
		}
		all := get(f.as(t, "sifaju"), metric.Query{From: "2026-01-01", To: "2026-12-31"})
		check(all[FigureOnTimeRate], 2, 3, 66.7)
		check(all[FigureAdoptionRate], 3, 4, 75.0)
		// The records behind a figure are the ledger rows its link lists.
		behind := Filter{Status: string(StatusConcluded), FinishedFrom: "2026-01-01", FinishedTo: "2026-12-31"}
		// The denominator's records: concluded in the period, plus those
		// open past their time limit in it (none yet).
		accountable := Filter{AccountableFrom: "2026-01-01", AccountableTo: "2026-12-31"}
		if l := all[FigureOnTimeRate].Link; l != accountable.Link() {
			t.Fatalf("on-time link %s, want %s", l, accountable.Link())
		}
		if _, total, err := listPage(f.svc, f.as(t, "sifaju"), accountable, db.ListReq{}); err != nil || total != 3 {
			t.Fatalf("accountable records: %d %v", total, err)
		}
		rows, total, err := listPage(f.svc, f.as(t, "sifaju"), behind, db.ListReq{})
		if err != nil || total != 3 || len(rows) != 3 {
			t.Fatalf("on-time records: %d %v", total, err)
		}
		late := behind
		late.OnTime = "no"
		rows, total, _ = listPage(f.svc, f.as(t, "sifaju"), late, db.ListReq{})
		if total != 1 || rows[0].ID != b.ID || rows[0].OnTime == nil || *rows[0].OnTime {
			t.Fatalf("late records: %d %+v", total, rows)
		}
		if l := all[FigureOnTimeRate].NumeratorLink; !strings.Contains(l, "on_time=yes") || !strings.Contains(l, "status=concluded") {
			t.Errorf("numerator link %s", l)
		}
		// One unit's subtree, and one period.
		zj := get(f.as(t, "sifaju"), metric.Query{UnitID: f.units["QH109000"]})
		check(zj[FigureOnTimeRate], 1, 2, 50.0)
		late2 := get(f.as(t, "sifaju"), metric.Query{From: "2026-10-24", To: "2026-10-31"})
		check(late2[FigureOnTimeRate], 0, 1, 0)
		check(late2[FigureAdoptionRate], 1, 1, 100.0)
		// The requester's clerk sees only their own unit's records.
		own := get(zjj, metric.Query{})
		check(own[FigureOnTimeRate], 1, 2, 50.0)

		// 丁 passes its time limit unconcluded: it is not on time, so it
		// joins the denominator of the period its limit fell in (and of an
		// open period), and the ledger behind the link lists it.
		f.at(late4.DueOn)
		if fg := get(f.as(t, "sifaju"), metric.Query{From: "2026-01-01", To: "2026-12-31"})[FigureOnTimeRate]; fg.Denominator != 3 {
			t.Fatalf("on its due date 丁 is not late yet: %+v", fg)
		}
		f.at(calendar.MustDate(late4.DueOn).AddDays(1).String())
		all = get(f.as(t, "sifaju"), metric.Query{From: "2026-01-01", To: "2026-12-31"})
		check(all[FigureOnTimeRate], 2, 4, 50.0)
		if !strings.Contains(all[FigureOnTimeRate].Note, "1 件已超过审查时限仍未办结") || !strings.Contains(all[FigureOnTimeRate].Definition, "超期未办结计为未按时") {
			t.Errorf("on-time note/definition: %+v", all[FigureOnTimeRate])
		}
		rows, total, err = listPage(f.svc, f.as(t, "sifaju"), accountable, db.ListReq{})
		if err != nil || total != 4 || rows[0].ID != late4.ID {
			t.Fatalf("accountable records after 丁's limit: %d %v", total, err)
		}
		check(get(zjj, metric.Query{})[FigureOnTimeRate], 1, 3, 33.3)
		// A period that ends before 丁's limit keeps it out.
		check(get(f.as(t, "sifaju"), metric.Query{From: "2026-01-01", To: "2026-10-31"})[FigureOnTimeRate], 2, 3, 66.7)
		st, err := f.svc.Statistics(f.as(t, "sifaju"), metric.Query{})
		if err != nil {
			t.Fatal(err)
		}
		byKind := map[string]StatRow{}
		for _, r := range st.ByKind {
			byKind[r.Key] = r
		}
		if k := byKind["decision"]; k.Overdue != 1 {
			t.Errorf("decision stats: 丁 is overdue: %+v", k)
		}
		if k := byKind["decision"]; k.Total != 2 || k.Concluded != 1 || k.Opinions != 3 || k.Answered != 3 || k.Adopted != 2 || k.Label != "重大行政决策" {
			t.Errorf("decision stats %+v", k)
		}
		if len(st.ByUnit) != 2 || st.ByUnit[0].Label != "区住房城乡建设局" || st.ByUnit[0].Total != 3 {
			t.Errorf("unit stats %+v", st.ByUnit)
		}
		// The ledger export counts each review's opinion items and the
		// adopted (采纳 or 部分采纳) ones.
		data, err := f.svc.Export(f.as(t, "sifaju"), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := xlsx.Read(data, xlsx.Options{})
		if err != nil {
			t.Fatal(err)
		}
		col, missing := tbl.Columns("编号", "意见条数", "已采纳（含部分）")
		if len(missing) > 0 {
			t.Fatalf("export lacks columns %v", missing)
		}
		want := map[string]string{fmt.Sprint(a.ID): "3/2", fmt.Sprint(b.ID): "1/1", fmt.Sprint(c.ID): "0/0"}
		got := map[string]string{}
		for _, row := range tbl.Data() {
			got[row.Cell(col["编号"])] = row.Cell(col["意见条数"]) + "/" + row.Cell(col["已采纳（含部分）"])
		}
		if len(got) != 4 {
			t.Errorf("export rows %v", got)
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("export review %s: opinions/adopted %q, want %q", id, got[id], w)
			}
		}
		// Adoption: answered items only, with the unanswered ones named.
		c2 := f.open(t, OpenInput{Title: "戊：未反馈"})
		f.pass(t, c2.ID)
		f.conclude(t, c2.ID, ConclusionPassedWithChanges, "意见子", "意见丑")
		all = get(f.as(t, "sifaju"), metric.Query{From: "2026-01-01", To: "2026-12-31"})
		check(all[FigureAdoptionRate], 3, 4, 75.0)
		if n := all[FigureAdoptionRate].Note; n != "另有 2 条意见尚未反馈采纳情况，未计入分母" {
			t.Errorf("adoption note %q", n)
		}
	})
}

func TestPolicyChecklist(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := f.as(t, "clerk_zjj")
		stds, err := f.svc.Standards(ctx, true)
		if err != nil || len(stds) != 19 {
			t.Fatalf("standards %d %v", len(stds), err)
		}
		cats := map[string]int{}
		for _, s := range stds {
			cats[s.Category]++
		}
		if cats["市场准入和退出"] != 5 || cats["商品和要素自由流动"] != 6 || cats["影响生产经营成本"] != 4 || cats["影响生产经营行为"] != 4 {
			t.Fatalf("categories %v", cats)
		}
		in := OpenInput{Kind: "policy", Title: "清河区支持物业企业发展的若干措施", UnitID: f.units["QH109000"]}
		_, err = f.svc.Submit(ctx, in, nil)
		e := wantCode(t, err, apperr.Invalid)
		if len(e.Fields) != 19 || !strings.Contains(e.Fields[0].Message, "市场准入和退出") {
			t.Fatalf("fields %v", e.Fields)
		}
		var checks []CheckInput
		for _, s := range stds {
			checks = append(checks, CheckInput{StandardID: s.ID, Answer: AnswerComply})
		}
		checks[12].Answer = AnswerViolate
		_, err = f.svc.Submit(ctx, in, checks)
		e = wantCode(t, err, apperr.Invalid)
		if !strings.Contains(hasField(e, "checks[12].note"), "例外情形") {
			t.Fatalf("fields %v", e.Fields)
		}
		checks[12].Note = "属于扶持中小微企业的例外情形，实施期限两年"
		r, err := f.svc.Submit(ctx, in, checks)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Checks) != 19 || r.Checks[12].Answer != AnswerViolate || r.Checks[12].Category != "影响生产经营成本" {
			t.Fatalf("checks %+v", r.Checks)
		}
		// Administrators edit the standards; a clerk may not.
		sys := auth.With(context.Background(), auth.SystemActor("配置管理员"))
		_, err = f.svc.UpdateStandard(ctx, stds[0].ID, StandardInput{Category: "市场准入和退出", Text: "x", Active: true, Version: stds[0].Version})
		wantCode(t, err, apperr.Forbidden)
		up, err := f.svc.UpdateStandard(sys, stds[0].ID, StandardInput{Category: "市场准入和退出", Text: stds[0].Text + "（含变相设置）", Sort: stds[0].Sort, Active: false, Version: stds[0].Version})
		if err != nil || up.Active || up.Version != stds[0].Version+1 {
			t.Fatalf("update: %+v %v", up, err)
		}
		active, _ := f.svc.Standards(ctx, true)
		if len(active) != 18 {
			t.Fatalf("active after deactivation %d", len(active))
		}
		// The answered checklist keeps its snapshot.
		got, _ := f.svc.Get(ctx, r.ID)
		if got.Checks[0].Text != stds[0].Text {
			t.Errorf("snapshot changed: %s", got.Checks[0].Text)
		}
	})
}

// listPage returns one page of the ledger as (items, total, error).
func listPage(s *Service, ctx context.Context, f Filter, req db.ListReq) ([]Review, int, error) {
	p, err := s.List(ctx, f, req)
	return p.Items, p.Total, err
}
