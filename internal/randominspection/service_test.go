package randominspection

import (
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/draw"
)

// publishedFiles reads a plan's four public files as the public page does.
func publishedFiles(t *testing.T, f *fixture, id int64) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, n := range PublicFileNames {
		b, err := f.s.PublicFile(context.Background(), id, n)
		if err != nil {
			t.Fatal(err)
		}
		out[n] = b
	}
	return out
}

// TestDrawFlow: a plan committed then drawn; the public files reproduce
// the draw; quotas per risk level, two inspectors per check, no inspector
// on an entity of the own unit or a declared relation.
func TestDrawFlow(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p, pool := f.plan()
		if p.Entities != 100 || p.Inspectors != 4 || p.Relations != 1 {
			t.Fatalf("pools: %+v", p)
		}
		// Nothing public before the commitment.
		if _, err := f.s.PublicPlan(context.Background(), p.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a draft plan is public: %v", err)
		}
		p = must[*Plan](t)(f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version}))
		if p.Status != StatusCommitted || len(p.SnapshotSHA256) != 64 || len(p.SeedSHA256) != 64 || p.Seed != "" {
			t.Fatalf("committed: %+v", p)
		}
		pub := must[*PublicPlan](t)(f.s.PublicPlan(context.Background(), p.ID))
		if pub.Seed != "" || len(pub.Picks) != 0 {
			t.Fatal("the seed or a result is public before the draw")
		}
		if _, err := f.s.PublicFile(context.Background(), p.ID, "reveal.json"); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("the seed file is served before the draw: %v", err)
		}
		snap := must[[]byte](t)(f.s.PublicFile(context.Background(), p.ID, "snapshot.json"))
		if draw.SHA256Hex(snap) != p.SnapshotSHA256 {
			t.Fatal("the published snapshot does not hash to the commitment")
		}
		// No personal data: the persons' names are masked and they carry no credit code.
		for _, e := range pool.Entities {
			if e.Kind == "person" && strings.Contains(string(snap), e.Name) {
				t.Fatalf("a person's name %s is in the public snapshot", e.Name)
			}
		}

		p = must[*Plan](t)(f.s.Draw(f.clerk, p.ID, VersionInput{Version: p.Version}))
		if p.Status != StatusDrawn || p.Seed == "" || p.Checks != 6+3+2 {
			t.Fatalf("drawn: %+v", p)
		}
		files := publishedFiles(t, f, p.ID)
		pubd, err := draw.Classify(files)
		if err != nil {
			t.Fatal(err)
		}
		if bad := draw.Verify(pubd); len(bad) != 0 {
			t.Fatalf("the published draw does not verify: %q", bad)
		}

		checks := must[db.Paged[Check]](t)(f.s.ListChecks(f.clerk, CheckFilter{PlanID: p.ID}, db.ListReq{Size: 100}))
		if len(checks.Items) != 11 {
			t.Fatalf("%d checks", len(checks.Items))
		}
		byRisk := map[string]int{}
		entities := map[int64]Entity{}
		for _, e := range pool.Entities {
			entities[e.ID] = e
		}
		for _, c := range checks.Items {
			byRisk[c.Risk]++
			names := strings.Split(c.Inspectors, "、")
			if len(names) != 2 || names[0] == names[1] {
				t.Fatalf("check %d inspectors %q", c.Seq, c.Inspectors)
			}
			e := entities[c.EntityID]
			for _, n := range names {
				if e.UnitName == "南坪市场监管所" && (n == "陈静" || n == "刘洋") {
					t.Fatalf("an inspector of the entity's own unit: %+v %q", e, n)
				}
				if e.ID == pool.Entities[15].ID && n == "张明" {
					t.Fatal("a declared relation was drawn")
				}
			}
		}
		if byRisk["high"] != 6 || byRisk["medium"] != 3 || byRisk["low"] != 2 {
			t.Fatalf("per risk level: %v", byRisk)
		}
		pub = must[*PublicPlan](t)(f.s.PublicPlan(context.Background(), p.ID))
		if pub.Seed != p.Seed || len(pub.Picks) != 11 {
			t.Fatalf("public plan after the draw: %+v", pub)
		}
	})
}

// TestGates: each procedure gate refuses with a Chinese message.
func TestGates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p, _ := f.plan()
		m := Matter{ID: p.MatterIDs[0]}
		in := PlanInput{Year: 2026, Title: "抽查", UnitID: f.sj, BodyIDs: []int64{f.sjBody}, MatterIDs: []int64{m.ID}, Ratios: Ratios{Low: 50}, PerCheck: 1}
		_, err := f.s.CreatePlan(f.clerk, in)
		wantField(t, err, "per_check") // at least two inspectors per check
		in.PerCheck, in.Joint = 2, true
		_, err = f.s.CreatePlan(f.clerk, in)
		wantField(t, err, "body_ids") // a joint plan has two bodies or more
		in.Joint, in.Ratios = false, Ratios{}
		_, err = f.s.CreatePlan(f.clerk, in)
		wantField(t, err, "ratios")
		in.Ratios = Ratios{Low: 50}
		in.BodyIDs = []int64{f.jyBody} // another unit's body: not found
		_, err = f.s.CreatePlan(f.clerk, in)
		wantCode(t, err, apperr.NotFound, "")
		in.BodyIDs, in.UnitID = []int64{f.sjBody}, f.jy // another unit as the lead: not found
		_, err = f.s.CreatePlan(f.clerk, in)
		wantCode(t, err, apperr.NotFound, "")

		// The draw needs the published commitment.
		_, err = f.s.Draw(f.clerk, p.ID, VersionInput{Version: p.Version})
		wantCode(t, err, apperr.Precondition, "承诺")
		// A lapsed certificate cannot join the inspector pool.
		_, err = f.s.AddInspectors(f.clerk, p.ID, InspectorsInput{OfficerIDs: []int64{f.lapsed}})
		wantField(t, err, "officer_ids")
		// A stale version is a conflict.
		_, err = f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version + 1})
		wantCode(t, err, apperr.Conflict, "")
		p = must[*Plan](t)(f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version}))
		// The pools are frozen once committed.
		_, err = f.s.AddRelation(f.clerk, p.ID, RelationInput{OfficerID: f.o2, EntityID: 1, Note: "亲属"})
		wantCode(t, err, apperr.Conflict, "冻结")
		wantCode(t, f.s.ClearEntities(f.clerk, p.ID), apperr.Conflict, "冻结")
		_, err = f.s.UpdatePlan(f.clerk, p.ID, PlanInput{Year: 2026, Title: "改", UnitID: f.sj, BodyIDs: []int64{f.sjBody}, MatterIDs: []int64{m.ID},
			Ratios: Ratios{High: 1000}, PerCheck: 2, Version: p.Version})
		wantCode(t, err, apperr.Conflict, "冻结")
		_, err = f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version})
		wantCode(t, err, apperr.Conflict, "")
		p = must[*Plan](t)(f.s.Draw(f.clerk, p.ID, VersionInput{Version: p.Version}))
		// Never drawn twice.
		_, err = f.s.Draw(f.clerk, p.ID, VersionInput{Version: p.Version})
		wantCode(t, err, apperr.Conflict, "不能重新抽取")

		// Another department sees nothing of it.
		if _, err := f.s.GetPlan(f.outsider, p.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider reads the plan: %v", err)
		}
		checks := must[db.Paged[Check]](t)(f.s.ListChecks(f.outsider, CheckFilter{PlanID: p.ID}, db.ListReq{}))
		if len(checks.Items) != 0 {
			t.Fatal("outsider lists the checks")
		}
		c := must[db.Paged[Check]](t)(f.s.ListChecks(f.clerk, CheckFilter{PlanID: p.ID}, db.ListReq{})).Items[0]
		_, err = f.s.RecordResult(f.outsider, c.ID, ResultInput{CheckedOn: "2026-11-20", Result: ResultClean, Version: c.Version})
		if !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("outsider records a result: %v", err)
		}
		// Publication needs a result; a result needs a day not before the draw, not in the future.
		_, err = f.s.Publish(f.clerk, c.ID, PublishInput{PublishedOn: "2026-11-30", Version: c.Version})
		wantCode(t, err, apperr.Precondition, "尚未录入")
		_, err = f.s.RecordResult(f.clerk, c.ID, ResultInput{CheckedOn: "2026-12-02", Result: ResultClean, Version: c.Version})
		wantField(t, err, "checked_on")
		_, err = f.s.RecordResult(f.clerk, c.ID, ResultInput{CheckedOn: "0000-01-01", Result: ResultClean, Version: c.Version})
		wantField(t, err, "checked_on")
		_, err = f.s.RecordResult(f.clerk, c.ID, ResultInput{CheckedOn: "2026-11-20", Result: ResultProblems, Version: c.Version})
		wantField(t, err, "problems")
		_, err = f.s.RecordResult(f.clerk, c.ID, ResultInput{CheckedOn: "2026-11-20", Result: "bad\x00", Version: c.Version})
		wantField(t, err, "result")
	})
}

// TestCommitRefusesShortfall: excluding same-unit inspectors and declared
// relations must leave two inspectors for every entity.
func TestCommitRefusesShortfall(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		m := f.matter()
		p := must[*Plan](t)(f.s.CreatePlan(f.clerk, PlanInput{Year: 2026, Title: "抽查", UnitID: f.sj, BodyIDs: []int64{f.sjBody},
			MatterIDs: []int64{m.ID}, Ratios: Ratios{Low: 1000}, PerCheck: 2}))
		must[*ImportReport](t)(f.s.ImportEntities(f.clerk, p.ID, entityBook(t, [][]any{
			{"甲公司", creditCodeN(1), "企业或其他组织", "低风险", "南坪市场监管所"}, {"乙公司", creditCodeN(2), "企业或其他组织", "低风险", ""}}), false))
		pool := must[*Pool](t)(f.s.AddInspectors(f.clerk, p.ID, InspectorsInput{OfficerIDs: []int64{f.o1, f.o3, f.o4}}))
		p = must[*Plan](t)(f.s.GetPlan(f.clerk, p.ID))
		// 甲 is of the station's unit: only 张明 remains for it.
		_, err := f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version})
		wantField(t, err, "inspectors")
		if !strings.Contains(err.Error(), "甲公司") {
			t.Fatalf("the refusal does not name the entity: %v", err)
		}
		must[*Pool](t)(f.s.AddInspectors(f.clerk, p.ID, InspectorsInput{OfficerIDs: []int64{f.o2}}))
		// A pool changed after the plan was read: the commitment of the
		// stale plan is refused (it would freeze a pool nobody looked at).
		_, err = f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version})
		wantCode(t, err, apperr.Conflict, "")
		// A declared relation takes 李华 away from 甲 again.
		must[*Pool](t)(f.s.AddRelation(f.clerk, p.ID, RelationInput{OfficerID: f.o2, EntityID: pool.Entities[0].ID, Note: "曾在该企业任职"}))
		p = must[*Plan](t)(f.s.GetPlan(f.clerk, p.ID))
		_, err = f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version})
		wantField(t, err, "inspectors")
	})
}

// TestImportReportsEveryBadRow: each bad row is named, nothing is written.
func TestImportReportsEveryBadRow(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		m := f.matter()
		p := must[*Plan](t)(f.s.CreatePlan(f.clerk, PlanInput{Year: 2026, Title: "抽查", UnitID: f.sj, BodyIDs: []int64{f.sjBody},
			MatterIDs: []int64{m.ID}, Ratios: Ratios{Low: 100}, PerCheck: 2}))
		rep := must[*ImportReport](t)(f.s.ImportEntities(f.clerk, p.ID, entityBook(t, [][]any{
			{"好公司", creditCodeN(1), "企业或其他组织", "低风险", ""},
			{"", creditCodeN(2), "企业或其他组织", "低风险", ""},
			{"无代码公司", "", "企业或其他组织", "低风险", ""},
			{"重复公司", creditCodeN(1), "企业或其他组织", "中风险", ""},
			{"坏等级", creditCodeN(3), "企业或其他组织", "极高", ""},
			{"坏代码", "91500108MA0000000I", "企业或其他组织", "高风险", ""},
			{"外单位", creditCodeN(4), "企业或其他组织", "高风险", "不存在的单位"},
		}), false))
		if rep.Created != 0 || rep.Rows != 7 || len(rep.Problems) != 6 {
			t.Fatalf("report: %+v", rep)
		}
		for i, want := range []string{"名称", "统一社会信用代码", "统一社会信用代码", "风险等级", "统一社会信用代码", "所属单位"} {
			if pr := rep.Problems[i]; pr.Row != i+3 || !strings.Contains(pr.Column, want) || pr.Sheet != EntitySheet {
				t.Fatalf("problem %d: %+v", i, pr)
			}
		}
		if got := must[*Plan](t)(f.s.GetPlan(f.clerk, p.ID)); got.Entities != 0 {
			t.Fatal("a bad batch wrote rows")
		}
		if _, err := f.s.ImportEntities(f.clerk, p.ID, []byte("not a workbook"), false); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("garbage upload: %v", err)
		}
	})
}

// TestResultsFindingsAndPublishDeadline: a check with problems raises one
// finding; the publication deadline is 20 working days through the
// calendar (rule randominspection.publish), across the Mid-Autumn and
// National Day holidays and the make-up working days of 2026-09-20 and
// 2026-10-10; a late publication counts as late.
func TestResultsFindingsAndPublishDeadline(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		p, _ := f.plan()
		// Drawn on 2026-09-10 so that a check on 2026-09-18 is allowed.
		f.s.SetNow(func() time.Time { return time.Date(2026, 9, 10, 9, 0, 0, 0, calendar.Shanghai) })
		p = must[*Plan](t)(f.s.Commit(f.clerk, p.ID, VersionInput{Version: p.Version}))
		p = must[*Plan](t)(f.s.Draw(f.clerk, p.ID, VersionInput{Version: p.Version}))
		f.s.SetNow(func() time.Time { return testToday })
		items := must[db.Paged[Check]](t)(f.s.ListChecks(f.clerk, CheckFilter{PlanID: p.ID}, db.ListReq{Size: 100})).Items
		a, b := items[0], items[1]
		_, err := f.s.RecordResult(f.clerk, a.ID, ResultInput{CheckedOn: "2026-09-09", Result: ResultClean, Version: a.Version})
		wantField(t, err, "checked_on") // before the draw
		a = *must[*Check](t)(f.s.RecordResult(f.clerk, a.ID, ResultInput{CheckedOn: "2026-09-18", Result: ResultProblems,
			Problems: "冷藏柜温度记录缺失", Version: a.Version}))
		if a.PublishDue != "2026-10-22" || a.FindingID == 0 || len(f.ledger.raised) != 1 || f.ledger.raised[0].UnitID != f.sj {
			t.Fatalf("recorded: %+v raised %+v", a, f.ledger.raised)
		}
		// Recording again (a correction before publication) raises no second finding.
		a = *must[*Check](t)(f.s.RecordResult(f.clerk, a.ID, ResultInput{CheckedOn: "2026-09-18", Result: ResultProblems,
			Problems: "冷藏柜温度记录缺失；进货查验记录不全", Version: a.Version}))
		if len(f.ledger.raised) != 1 {
			t.Fatal("a second finding for the same check")
		}
		// A check on the make-up Saturday 2026-10-10 is due 20 working days later.
		b = *must[*Check](t)(f.s.RecordResult(f.clerk, b.ID, ResultInput{CheckedOn: "2026-10-10", Result: ResultClean, Version: b.Version}))
		if b.PublishDue != "2026-11-06" {
			t.Fatalf("due from the make-up day: %s", b.PublishDue)
		}
		_, err = f.s.Publish(f.clerk, a.ID, PublishInput{PublishedOn: "2026-09-17", Version: a.Version})
		wantField(t, err, "published_on")
		a = *must[*Check](t)(f.s.Publish(f.clerk, a.ID, PublishInput{PublishedOn: "2026-10-22", Version: a.Version}))
		b = *must[*Check](t)(f.s.Publish(f.clerk, b.ID, PublishInput{PublishedOn: "2026-11-09", Version: b.Version}))
		_, err = f.s.RecordResult(f.clerk, a.ID, ResultInput{CheckedOn: "2026-09-18", Result: ResultClean, Version: a.Version})
		wantCode(t, err, apperr.Conflict, "已于")
		late := must[db.Paged[Check]](t)(f.s.ListChecks(f.clerk, CheckFilter{PlanID: p.ID, PublishedOnTime: true}, db.ListReq{Size: 100})).Items
		if len(late) != 1 || late[0].ID != a.ID {
			t.Fatalf("published on time: %+v", late)
		}
	})
}
