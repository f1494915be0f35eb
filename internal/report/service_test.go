package report

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// A generated report has the five required parts in order, and every
// placeholder is filled with the figure of the registry for the unit
// subtree and the whole year, its source kept.
func TestGenerateFillsEveryFigure(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.create(t, drafter, 1, 2025)
		if r.Kind != KindGovernment || r.Status != StatusDraft || r.Title != "示范区人民政府关于2025年度法治政府建设情况的报告" {
			t.Fatalf("report: %+v", r.Report)
		}
		var headings []string
		for _, s := range r.Sections {
			if s.Heading != "" {
				headings = append(headings, s.Heading)
			}
		}
		if !slices.Equal(headings, RequiredHeadings) {
			t.Fatalf("headings %v, want %v", headings, RequiredHeadings)
		}
		last := f.m.queries[len(f.m.queries)-1]
		if last.UnitID != 1 || last.From != "2025-01-01" || last.To != "2025-12-31" {
			t.Fatalf("query %+v", last)
		}
		checked := 0
		walkParas(r.Sections, func(p *Paragraph) {
			if strings.Contains(p.Rendered, "{{") {
				t.Errorf("%s not filled: %s", p.Key, p.Rendered)
			}
			for _, part := range p.Parts {
				if part.Code == "" {
					continue
				}
				checked++
				src, ok := r.Figures[part.Code]
				fig, inReg := f.m.figs[part.Code]
				switch {
				case !inReg:
					if ok || part.Text != "—" {
						t.Errorf("%s: a code the catalogue lacks shows %q (source %v)", part.Code, part.Text, ok)
					}
				case part.Text != FigureText(fig) || src.Text != part.Text:
					t.Errorf("%s: shows %q, registry %q", part.Code, part.Text, FigureText(fig))
				case src.Numerator != fig.Numerator || src.Denominator != fig.Denominator || src.Link != fig.Link || src.From != "2025-01-01" ||
					src.To != "2025-12-31" || src.UnitID != 1 || src.UnitName != "示范区人民政府" || src.Definition != fig.Definition:
					t.Errorf("%s: source %+v", part.Code, src)
				}
			}
		})
		if r.Deadline != "2026-04-01" || r.DeadlineNote != "" || !strings.Contains(r.DeadlineFor, "4月1日") {
			t.Fatalf("deadline %s %q %q", r.Deadline, r.DeadlineFor, r.DeadlineNote)
		}
		// Next year's schedule is not in the shipped calendar: said so.
		if next := f.create(t, drafter, 4, 2026); next.Deadline != "2027-03-01" || !strings.Contains(next.DeadlineNote, "2027") {
			t.Fatalf("2026 deadline %s %q", next.Deadline, next.DeadlineNote)
		}
		if checked < len(TemplateCodes()) {
			t.Fatalf("only %d figures checked", checked)
		}
		if p := para(t, r.Sections, "measures.disputes.2"); !strings.Contains(p.Rendered, "行政诉讼败诉率—") {
			t.Fatalf("no-data figure: %s", p.Rendered)
		}
		// The same unit and year twice: refused, nothing written.
		_, err := f.s.Create(f.as(drafter), CreateInput{Year: 2025, UnitID: 1})
		wantErr(t, err, apperr.Invalid, "year", "已存在")
		// An office (科室) does not report; a future year is refused.
		_, err = f.s.Create(f.as(drafter), CreateInput{Year: 2025, UnitID: 5})
		wantErr(t, err, apperr.Invalid, "unit_id", "区直部门")
		_, err = f.s.Create(f.as(drafter), CreateInput{Year: 2027, UnitID: 3})
		wantErr(t, err, apperr.Invalid, "year")
		_, err = f.s.Create(f.as(drafter), CreateInput{Year: 0, UnitID: 999})
		wantErr(t, err, apperr.Invalid, "year")
		// Another unit's report is not found; the clerk cannot draft it.
		_, err = f.s.Create(f.as(clerkEdu), CreateInput{Year: 2025, UnitID: 3})
		wantErr(t, err, apperr.NotFound)
		dept := f.create(t, clerkSJ, 3, 2025)
		if dept.Kind != KindDepartment {
			t.Fatalf("kind %s", dept.Kind)
		}
		_, err = f.s.Get(f.as(clerkEdu), dept.ID)
		wantErr(t, err, apperr.NotFound)
		page, err := f.s.List(f.as(clerkSJ), Filter{}, db.ListReq{})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != dept.ID {
			t.Fatalf("clerk list %+v %v", page.Items, err)
		}
		page, err = f.s.List(f.as(drafter), Filter{Year: 2025, Kind: KindGovernment}, db.ListReq{})
		if err != nil || len(page.Items) != 1 || page.Items[0].ID != r.ID {
			t.Fatalf("drafter list %+v %v", page.Items, err)
		}
	})
}

// Edited paragraphs keep their text when the figures are regenerated; the
// figures in them change with the records. Bad input writes nothing.
func TestEditAndRegenerate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.create(t, drafter, 1, 2025)
		key := "measures.disputes.2"
		text := "全年行政机关负责人出庭应诉率达到{{litigation.head_in_court_rate}}，另有{{extra.count}}。"
		e, err := f.s.Edit(f.as(drafter), r.ID, EditInput{Version: r.Version, Paragraphs: []ParaInput{{Key: key, Text: text}}})
		if err != nil {
			t.Fatal(err)
		}
		before := FigureText(f.m.figs["litigation.head_in_court_rate"])
		if p := para(t, e.Sections, key); !p.Edited || p.Rendered != "全年行政机关负责人出庭应诉率达到"+before+"，另有7个。" {
			t.Fatalf("edited: %+v", p)
		}
		// Stale version, unknown code, bad placeholder, NUL, too long,
		// unknown paragraph: refused, nothing written.
		n := auditCount(t, d)
		for _, tc := range []struct {
			in   EditInput
			code apperr.Code
			want string
		}{
			{EditInput{Version: r.Version, Paragraphs: []ParaInput{{Key: key, Text: "x"}}}, apperr.Conflict, "刷新"},
			{EditInput{Version: e.Version, Paragraphs: []ParaInput{{Key: key, Text: "{{no.such}}"}}}, apperr.Invalid, "no.such"},
			{EditInput{Version: e.Version, Paragraphs: []ParaInput{{Key: key, Text: "{{litigation.loss_rate"}}}, apperr.Invalid, "占位符"},
			{EditInput{Version: e.Version, Paragraphs: []ParaInput{{Key: key, Text: "坏\x00字"}}}, apperr.Invalid, "无效字符"},
			{EditInput{Version: e.Version, Paragraphs: []ParaInput{{Key: key, Text: strings.Repeat("长", MaxParaRunes+1)}}}, apperr.Invalid, "3000"},
			{EditInput{Version: e.Version, Paragraphs: []ParaInput{{Key: "nope.1", Text: "x"}}}, apperr.Invalid, "不存在"},
			{EditInput{Version: e.Version, Paragraphs: []ParaInput{{Key: key, Text: "   "}}}, apperr.Invalid, "请填写"},
			{EditInput{Version: e.Version, Title: strings.Repeat("题", 101)}, apperr.Invalid, "标题"},
		} {
			_, err := f.s.Edit(f.as(drafter), r.ID, tc.in)
			wantErr(t, err, tc.code, tc.want)
		}
		if auditCount(t, d) != n {
			t.Fatal("a refused edit was audited")
		}
		// One record changes: the figure and the report change.
		f.m.set("litigation.head_in_court_rate", 19, 20)
		f.m.set("legalreview.on_time_rate", 1, 4)
		g, err := f.s.Regenerate(f.as(drafter), r.ID, VersionInput{Version: e.Version})
		if err != nil {
			t.Fatal(err)
		}
		if p := para(t, g.Sections, key); p.Text != text || p.Rendered != "全年行政机关负责人出庭应诉率达到95%，另有7个。" {
			t.Fatalf("after regenerate: %+v", p)
		}
		if p := para(t, g.Sections, "measures.decision.1"); p.Edited || !strings.Contains(p.Rendered, "合法性审查按时办结率25%") {
			t.Fatalf("unedited paragraph: %+v", p)
		}
		if g.Figures["litigation.head_in_court_rate"].Numerator != 19 || g.Figures["litigation.head_in_court_rate"].Denominator != 20 {
			t.Fatalf("source not refreshed: %+v", g.Figures["litigation.head_in_court_rate"])
		}
		if auditCount(t, d) != n+1 {
			t.Fatal("regenerate not audited")
		}
		// Someone without write permission: forbidden.
		_, err = f.s.Regenerate(f.as(office), r.ID, VersionInput{Version: g.Version})
		wantErr(t, err, apperr.Forbidden)
	})
}

// Submission freezes a version and runs the chain: a return sends the
// report back for editing, a second submission is a second version, the
// two compare, the last approval makes it approved; publication shows the
// published version on the portal, without the internal note.
func TestChainVersionsAndPublication(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		r := f.create(t, drafter, 1, 2025)
		note := "内部：第二部分待补充学法次数"
		r, err := f.s.Edit(f.as(drafter), r.ID, EditInput{Version: r.Version, Note: &note})
		if err != nil {
			t.Fatal(err)
		}
		// Publishing a draft: refused by the gate.
		_, err = f.s.Publish(f.as(drafter), r.ID, VersionInput{Version: r.Version})
		wantErr(t, err, apperr.Precondition, "审定后")
		s1, err := f.s.Submit(f.as(drafter), r.ID, VersionInput{Version: r.Version})
		if err != nil {
			t.Fatal(err)
		}
		if s1.Status != StatusReviewing || s1.Versions != 1 || !s1.CanAct || s1.CurrentStep != "依法治区办审核" || s1.CanEdit {
			t.Fatalf("submitted: %+v", s1)
		}
		// Frozen: no edit, no regeneration, no second submission.
		_, err = f.s.Edit(f.as(drafter), r.ID, EditInput{Version: s1.Version, Title: "新标题"})
		wantErr(t, err, apperr.Precondition, "不能修改")
		_, err = f.s.Regenerate(f.as(drafter), r.ID, VersionInput{Version: s1.Version})
		wantErr(t, err, apperr.Precondition)
		// The office is not at the first step; a return needs an opinion.
		_, err = f.s.Act(f.as(office), r.ID, ActInput{Version: s1.Version, Action: "approve"})
		wantErr(t, err, apperr.Forbidden, "待办")
		_, err = f.s.Act(f.as(drafter), r.ID, ActInput{Version: s1.Version, Action: "reject"})
		wantErr(t, err, apperr.Invalid, "opinion")
		ret, err := f.s.Act(f.as(drafter), r.ID, ActInput{Version: s1.Version, Action: "reject", Opinion: "请补充学法次数"})
		if err != nil {
			t.Fatal(err)
		}
		if ret.Status != StatusReturned || !ret.CanEdit {
			t.Fatalf("returned: %+v", ret.Report)
		}
		key := SecDuty + ".1"
		e, err := f.s.Edit(f.as(drafter), r.ID, EditInput{Version: ret.Version, Paragraphs: []ParaInput{{Key: key, Text: "主要负责人全年会前学法12次。"}}})
		if err != nil {
			t.Fatal(err)
		}
		f.m.set("mediation.success_rate", 50, 100)
		e, err = f.s.Regenerate(f.as(drafter), r.ID, VersionInput{Version: e.Version})
		if err != nil {
			t.Fatal(err)
		}
		s2, err := f.s.Submit(f.as(drafter), r.ID, VersionInput{Version: e.Version})
		if err != nil {
			t.Fatal(err)
		}
		if s2.Versions != 2 || len(s2.History) != 2 {
			t.Fatalf("versions: %+v", s2.History)
		}
		// The first chain's return stays on record beside the second chain.
		if !slices.ContainsFunc(s2.Flow, func(k Task) bool {
			return k.Round == 1 && k.Opinion == "请补充学法次数" && k.Assignee == "王建国"
		}) ||
			!slices.ContainsFunc(s2.Flow, func(k Task) bool { return k.Round == 2 && k.Status == "pending" }) {
			t.Fatalf("flow after resubmission: %+v", s2.Flow)
		}
		c, err := f.s.Compare(f.as(drafter), r.ID, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		var changed []string
		for _, p := range c.Paragraphs {
			if p.Change != "same" {
				changed = append(changed, p.Key)
			}
		}
		if !slices.Contains(changed, key) || !slices.Contains(changed, "measures.disputes.3") || c.Changed != len(changed) {
			t.Fatalf("changed paragraphs %v (%d)", changed, c.Changed)
		}
		var ins, del string
		for _, p := range c.Paragraphs {
			if p.Key == key {
				for _, o := range p.Ops {
					switch o.Op {
					case "ins":
						ins += o.Text
					case "del":
						del += o.Text
					}
				}
			}
		}
		if !strings.Contains(ins, "12") || del == "" {
			t.Fatalf("diff of %s: ins %q del %q", key, ins, del)
		}
		if len(c.Figures) != 1 || c.Figures[0].Code != "mediation.success_rate" || c.Figures[0].After != "50%" {
			t.Fatalf("figure diff %+v", c.Figures)
		}
		_, err = f.s.Compare(f.as(drafter), r.ID, 9, 2)
		wantErr(t, err, apperr.Invalid, "from")
		// Version 1 stays as it was submitted.
		v1, err := f.s.Version(f.as(drafter), r.ID, 1)
		if err != nil || para(t, v1.Sections, key).Edited {
			t.Fatalf("version 1 changed: %v", err)
		}
		a1, err := f.s.Act(f.as(drafter), r.ID, ActInput{Version: s2.Version, Action: "approve"})
		if err != nil {
			t.Fatal(err)
		}
		if a1.Status != StatusReviewing || a1.CurrentStep != "区政府审定" {
			t.Fatalf("after first approval: %s %s", a1.Status, a1.CurrentStep)
		}
		if _, err := f.s.Public(context.Background(), r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unpublished report public: %v", err)
		}
		a2, err := f.s.Act(f.as(office), r.ID, ActInput{Version: a1.Version, Action: "approve", Opinion: "同意"})
		if err != nil {
			t.Fatal(err)
		}
		if a2.Status != StatusApproved || !a2.CanPublish {
			t.Fatalf("approved: %+v", a2.Report)
		}
		// A clerk of another unit cannot publish (not found), the office can.
		_, err = f.s.Publish(f.as(clerkEdu), r.ID, VersionInput{Version: a2.Version})
		wantErr(t, err, apperr.Forbidden)
		p, err := f.s.Publish(f.as(office), r.ID, VersionInput{Version: a2.Version})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != StatusPublished || p.PublishedNo != 2 || p.PublishedAt == nil {
			t.Fatalf("published: %+v", p.Report)
		}
		// The portal: no sign-in, the published version, no note.
		list, err := f.s.PublicList(context.Background(), db.ListReq{})
		if err != nil || len(list.Items) != 1 || list.Items[0].ID != r.ID {
			t.Fatalf("public list %+v %v", list.Items, err)
		}
		pub, err := f.s.Public(context.Background(), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		all := fmt.Sprintf("%+v", pub)
		if strings.Contains(all, "内部") || strings.Contains(all, "请补充") || !strings.Contains(all, "会前学法12次") || !strings.Contains(all, "50%") {
			t.Fatalf("public report: %s", all)
		}
		if len(pub.Sections) != 6 || pub.Sections[1].Heading != RequiredHeadings[0] || len(pub.Figures) == 0 {
			t.Fatalf("public sections %+v", pub.Sections)
		}
	})
}

// The deadlines come from named calendar rules counted from 1 January:
// a department's 1 March 2026 is a Sunday and moves to Monday 2 March.
// The reminders fall on working days before the deadline: on a calendar
// with a holiday before the deadline and a make-up working day, the
// holiday is skipped and the make-up day counts.
func TestDeadlinesAndReminders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		res, rule, err := f.s.Deadline(KindDepartment, 2025)
		if err != nil || res.Due.String() != "2026-03-02" || res.End.String() != "2026-03-01" || rule.Name != RuleDepartmentReport {
			t.Fatalf("department deadline %+v %s %v", res, rule.Name, err)
		}
		res, _, err = f.s.Deadline(KindGovernment, 2025)
		if err != nil || res.Due.String() != "2026-04-01" {
			t.Fatalf("government deadline %+v %v", res, err)
		}
		// A calendar where 2030-02-25..27 are holidays and Saturday 2030-02-23
		// a make-up working day (fictional schedule for the test).
		cal, err := calendar.New(calendar.Year{Year: 2030, Source: "测试日历", Days: []calendar.Day{
			{Date: calendar.MustDate("2030-02-25"), Name: "测试假日", Off: true},
			{Date: calendar.MustDate("2030-02-26"), Name: "测试假日", Off: true},
			{Date: calendar.MustDate("2030-02-27"), Name: "测试假日", Off: true},
			{Date: calendar.MustDate("2030-02-23"), Name: "测试假日", Off: false},
		}})
		if err != nil {
			t.Fatal(err)
		}
		f.s.cal = cal
		rem, err := f.s.Reminder(units[3], KindDepartment, 2029, nil)
		if err != nil {
			t.Fatal(err)
		}
		// 2030-03-01 is a Friday: the deadline. Three working days before:
		// 28 Feb, (25–27 off) 23 Feb (make-up Saturday)... counting back
		// 28 Feb (1), 23 Feb (2), 22 Feb (3).
		if got := calendar.DateOf(rem.Due.In(calendar.Shanghai)).String(); got != "2030-03-01" {
			t.Fatalf("due %s", got)
		}
		var days []string
		for _, o := range rem.Offsets {
			days = append(days, calendar.DateOf(rem.Due.Add(-o).In(calendar.Shanghai)).String())
		}
		if !slices.Contains(days, "2030-02-22") || !slices.Contains(days, "2030-03-01") {
			t.Fatalf("reminder days %v", days)
		}
		if rem.UnitID != 3 || !strings.Contains(rem.Title, "2030-03-01") || rem.Key != ReminderKey(3, 2029) {
			t.Fatalf("reminder %+v", rem)
		}
		// Scheduling for every unit, twice: once each.
		f.s.cal = calendar.Default()
		f.sim.At(calendar.MustDate("2026-01-05"), 9)
		n1, err := f.s.ScheduleReminders(f.as(drafter), 2025)
		if err != nil || n1 == 0 {
			t.Fatalf("scheduled %d: %v", n1, err)
		}
		n2, err := f.s.ScheduleReminders(f.as(drafter), 2025)
		if err != nil || n2 != 0 {
			t.Fatalf("rescheduled %d: %v", n2, err)
		}
		var jobs int
		if err := d.QueryRow(context.Background(), "SELECT COUNT(*) FROM jobs WHERE unique_key LIKE 'reminder:report:%' AND status = 'pending'").Scan(&jobs); err != nil {
			t.Fatal(err)
		}
		if jobs != n1 {
			t.Fatalf("%d pending reminder jobs, scheduled %d", jobs, n1)
		}
		_ = time.Now
	})
}
