package finding

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fazhi/internal/metric"
	"fazhi/internal/notification"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/jobs"
	xl "fazhi/internal/platform/xlsx"

	"github.com/xuri/excelize/v2"
)

// Users of the fixture.
const (
	clerk      = 10 // 区市场监管局 clerk: finding.read/write on own unit
	head       = 11 // 区市场监管局 head (role head): read/write/approve on own unit
	supervisor = 12 // 区司法局 supervisor (role supervisor): read/write/approve everywhere
	outsider   = 13 // 区教育局 clerk
)

type fx struct {
	d      *db.DB
	s      *Service
	fs     *files.Service
	runner *jobs.Runner
	units  map[string]int64
}

func exec(t *testing.T, d *db.DB, q string, args ...any) {
	t.Helper()
	if _, err := d.Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func setup(t *testing.T, d *db.DB) *fx {
	t.Helper()
	// Org data written directly: the fixture stands in for the org module.
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (1, 'D', '示范区', 'district', NULL, '/1/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (2, 'SFJ', '区司法局', 'department', 1, '/1/2/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (3, 'SJJ', '区市场监管局', 'department', 1, '/1/3/')")
	exec(t, d, "INSERT INTO org_units (id, code, name, type, parent_id, path) VALUES (4, 'JYJ', '区教育局', 'department', 1, '/1/4/')")
	exec(t, d, "INSERT INTO roles (id, code, name) VALUES (901, 'head', '负责人'), (902, 'supervisor', '法治督察')")
	for _, u := range []struct {
		id   int64
		name string
		unit int64
		role int64
	}{{clerk, "clerk", 3, 0}, {head, "head", 3, 901}, {supervisor, "sup", 2, 902}, {outsider, "edu", 4, 0}} {
		exec(t, d, "INSERT INTO users (id, username, name, unit_id) VALUES (?, ?, ?, ?)", u.id, u.name, u.name, u.unit)
		if u.role > 0 {
			exec(t, d, "INSERT INTO user_roles (user_id, role_id, scope) VALUES (?, ?, 'own')", u.id, u.role)
		}
	}
	store, err := files.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fs := files.NewService(d, store, files.Options{})
	ns := notification.NewService(d)
	ns.SetSenders()
	dir := OrgDirectory{Org: org.NewService(d)}
	ns.SetUnitRecipients(func(ctx context.Context, q db.Querier, unitID int64) ([]int64, error) {
		return dir.UsersInRole(ctx, q, "head", unitID)
	})
	s, err := NewService(d, dir, calendar.Default(), calendar.DefaultRegistry(), fs, ns)
	if err != nil {
		t.Fatal(err)
	}
	runner := jobs.NewRunner(d)
	reminders.Register(runner, ns)
	s.RegisterJobs(runner)
	return &fx{d: d, s: s, fs: fs, runner: runner}
}

func as(id int64) context.Context {
	own := func(path string) auth.Scope { return auth.Scope{Ranges: []auth.UnitRange{{Path: path}}} }
	a := &auth.Actor{UserID: id, Perms: map[string]auth.Scope{}}
	switch id {
	case clerk:
		a.Username, a.Name, a.UnitID = "clerk", "市场监管局经办人", 3
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/3/"), own("/1/3/")
	case head:
		a.Username, a.Name, a.UnitID = "head", "市场监管局负责人", 3
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermApprove] = own("/1/3/"), own("/1/3/"), own("/1/3/")
	case supervisor:
		a.Username, a.Name, a.UnitID = "sup", "司法局督察科", 2
		all := auth.Scope{All: true}
		a.Perms[PermRead], a.Perms[PermWrite], a.Perms[PermApprove] = all, all, all
	case outsider:
		a.Username, a.Name, a.UnitID = "edu", "教育局经办人", 4
		a.Perms[PermRead], a.Perms[PermWrite] = own("/1/4/"), own("/1/4/")
	}
	return auth.With(context.Background(), a)
}

func (f *fx) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantCode(t *testing.T, err error, code apperr.Code, substr string) {
	t.Helper()
	e := apperr.As(err)
	if e == nil || e.Code != code || !strings.Contains(e.Error(), substr) {
		t.Fatalf("want %s containing %q, got %v", code, substr, err)
	}
}

func pdf() *bytes.Reader {
	return bytes.NewReader([]byte("%PDF-1.7\n整改前后对比照片说明\n%%EOF\n"))
}

func TestLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		today := calendar.Today(time.Now())
		// Create: deadline from the calendar rule finding.rectify.
		a, err := f.s.Create(as(clerk), CreateInput{Title: "行政处罚案卷未附送达回证", Source: "case_review", UnitID: 3, Severity: "一般", SourceRef: "评查〔2026〕3号", FoundOn: today.String()})
		if err != nil {
			t.Fatal(err)
		}
		res, _ := calendar.Default().Compute(calendar.Period{N: 30, Unit: calendar.CalendarDays}, today)
		if a.Status != "open" || a.RectifyDue != res.Due.String() || a.FoundOn != today.String() || a.Severity != "general" ||
			!strings.HasPrefix(a.Code, "WT") || a.UnitName != "区市场监管局" || !strings.Contains(a.DueExplain, "截止 "+res.Due.String()) {
			t.Fatalf("created: %+v", a.Finding)
		}
		if len(a.Events) != 1 || a.Events[0].Action != "create" || a.Events[0].ActorName != "市场监管局经办人" {
			t.Fatalf("timeline: %+v", a.Events)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM jobs WHERE group_key IN (?, ?) AND status = 'pending'", "finding:"+itoa(int(a.ID)), "reminder:finding:"+itoa(int(a.ID))+":rectify"); n != 4 {
			t.Fatalf("pending reminder/escalation jobs = %d, want 4 (3 reminders + escalation)", n)
		}
		// Outside the actor's scope: not found; creating for another unit: refused.
		if _, err := f.s.Get(as(outsider), a.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider get: %v", err)
		}
		_, err = f.s.Create(as(outsider), CreateInput{Title: "x", Source: "audit", UnitID: 3, Severity: "general"})
		wantCode(t, err, apperr.NotFound, "不在您的数据权限范围内")
		_, err = f.s.Create(as(clerk), CreateInput{Title: "", Source: "督查", UnitID: 3, Severity: "很严重", FoundOn: "2099-01-01"})
		if e := apperr.As(err); e == nil || len(e.Fields) != 4 {
			t.Fatalf("want 4 field errors, got %v", err)
		}

		// Close-out needs evidence.
		_, err = f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已补齐送达回证并组织培训", RectifiedOn: today.String()})
		wantCode(t, err, apperr.Precondition, "请先上传整改佐证材料")
		if _, err := f.fs.Upload(as(outsider), files.UploadInput{OwnerType: OwnerType, OwnerID: a.ID, Name: "x.pdf"}, pdf()); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("outsider upload: %v", err)
		}
		ev, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: OwnerType, OwnerID: a.ID, Name: "整改报告.pdf"}, pdf())
		if err != nil || ev.UnitID != 3 {
			t.Fatalf("upload evidence: %+v %v", ev, err)
		}
		a, err = f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已补齐送达回证并组织培训", RectifiedOn: today.String()})
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != "closing" || a.Closeout == nil || a.Closeout.CurrentStep != "责任单位负责人审核" || len(a.Closeout.Pending) != 1 || a.Closeout.Pending[0] != head || a.RectifiedOn != today.String() {
			t.Fatalf("after rectify: %+v %+v", a.Finding, a.Closeout)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM jobs WHERE (group_key = ? OR group_key = ?) AND status = 'pending'", "finding:"+itoa(int(a.ID)), "reminder:finding:"+itoa(int(a.ID))+":rectify"); n != 0 {
			t.Fatalf("rectified in time: %d reminder jobs still pending", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title = '待审核：问题整改销号'", head); n != 1 {
			t.Fatalf("head to-do notifications = %d", n)
		}

		// Chain: only the pending reviewer acts; stale versions conflict.
		if _, err := f.s.Act(as(supervisor), a.ID, ActApprove, ActInput{Version: a.Version}); err == nil {
			t.Fatal("supervisor approved a step assigned to the head")
		}
		_, err = f.s.Act(as(head), a.ID, ActApprove, ActInput{Version: a.Version - 1})
		wantCode(t, err, apperr.Conflict, "已被他人修改")
		a, err = f.s.Act(as(head), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "同意"})
		if err != nil {
			t.Fatal(err)
		}
		if a.Closeout.CurrentStep != "法治督察机构审核销号" || a.Closeout.Pending[0] != supervisor {
			t.Fatalf("step 2: %+v", a.Closeout)
		}
		// The supervisor returns it to the head (opinion required), head approves again.
		_, err = f.s.Act(as(supervisor), a.ID, ActReturn, ActInput{Version: a.Version, ToStep: "unit_review"})
		if err == nil {
			t.Fatal("return without the required opinion")
		}
		a, err = f.s.Act(as(supervisor), a.ID, ActReturn, ActInput{Version: a.Version, ToStep: "unit_review", Opinion: "请补充培训签到表"})
		if err != nil || a.Closeout.Pending[0] != head || a.Status != "closing" {
			t.Fatalf("return: %v %+v", err, a.Closeout)
		}
		a, _ = f.s.Act(as(head), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "已补充"})
		a, err = f.s.Act(as(supervisor), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "整改到位，同意销号"})
		if err != nil {
			t.Fatal(err)
		}
		recheck, _ := calendar.Default().Compute(calendar.Period{N: 6, Unit: calendar.Months}, today)
		if a.Status != "closed" || a.ClosedOn != today.String() || a.RecheckDue != recheck.Due.String() || a.ClosedOnTime == nil || !*a.ClosedOnTime || a.Closeout.Status != "approved" {
			t.Fatalf("closed: %+v", a.Finding)
		}
		var actions []string
		for _, e := range a.Events {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "create,rectify,closeout.approve,closeout.return,closeout.approve,closeout.approve,closed" {
			t.Fatalf("timeline: %s", got)
		}
		if _, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: OwnerType, OwnerID: a.ID, Name: "补充.pdf"}, pdf()); !apperr.Is(err, apperr.Precondition) {
			t.Fatalf("upload after close-out: %v", err)
		}

		// Recurrence: only a closed finding can be linked.
		open, err := f.s.Create(as(clerk), CreateInput{Title: "执法公示不及时", Source: "inspection", UnitID: 3, Severity: "serious", FoundOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.s.Create(as(clerk), CreateInput{Title: "再次发现", Source: "inspection", UnitID: 3, Severity: "serious", PreviousID: open.ID, FoundOn: calendar.Today(time.Now()).String()})
		wantCode(t, err, apperr.Invalid, "只有已销号的问题才能关联为复发问题")

		// 回头看 finds the problem back: a new finding linked to the old one.
		a, err = f.s.Recheck(as(supervisor), a.ID, RecheckInput{Version: a.Version, Result: RecheckRecurred, Note: "抽查 3 卷仍缺送达回证", RecheckedOn: today.String()})
		if err != nil {
			t.Fatal(err)
		}
		if a.RecheckedOn != today.String() || a.RecheckResult != RecheckRecurred || a.RecurrenceID == 0 {
			t.Fatalf("recheck: %+v", a.Finding)
		}
		c, err := f.s.Get(as(clerk), a.RecurrenceID)
		if err != nil || c.PreviousID != a.ID || c.PreviousCode != a.Code || c.Status != "open" || !strings.Contains(c.Description, "抽查 3 卷") {
			t.Fatalf("recurrence: %+v %v", c, err)
		}
		_, err = f.s.Recheck(as(supervisor), a.ID, RecheckInput{Version: a.Version, Result: RecheckOK, Note: "x", RecheckedOn: today.String()})
		wantCode(t, err, apperr.Conflict, "完成回头看")

		// Rejection sends a finding back to rectification with its clock.
		if _, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: OwnerType, OwnerID: open.ID, Name: "说明.pdf"}, pdf()); err != nil {
			t.Fatal(err)
		}
		o, err := f.s.Rectify(as(clerk), open.ID, RectifyInput{Version: open.Version, Measures: "已公示", RectifiedOn: today.String()})
		if err != nil {
			t.Fatal(err)
		}
		o, err = f.s.Act(as(head), o.ID, ActReject, ActInput{Version: o.Version, Opinion: "公示内容不全"})
		if err != nil || o.Status != "open" || o.Closeout.Status != "rejected" {
			t.Fatalf("reject: %v %+v", err, o)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM jobs WHERE group_key = ? AND kind = ? AND status = 'pending'", "finding:"+itoa(int(o.ID)), JobEscalate); n != 1 {
			t.Fatalf("escalation job not restored after rejection: %d", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE '销号审核未通过%'", clerk); n != 1 {
			t.Fatalf("rejection notification = %d", n)
		}

		// Every write is in the audit chain, and the chain verifies.
		if n := f.count(t, "SELECT COUNT(*) FROM audit_events WHERE object_type = 'finding'"); n < 14 {
			t.Fatalf("audit events for findings = %d", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_events WHERE object_type = 'file'"); n != 0 {
			t.Fatalf("files service in this test has no auditor, got %d", n)
		}
		vr, err := audit.Verify(context.Background(), d)
		if err != nil || vr.Broken != nil {
			t.Fatalf("audit verify: %+v %v", vr, err)
		}

		// Scope in lists.
		items, total, err := listPage(f.s, as(outsider), Filter{})
		if err != nil || total != 0 || len(items) != 0 {
			t.Fatalf("outsider list: %d %v", total, err)
		}
		items, total, _ = listPage(f.s, as(clerk), Filter{Status: "closed"})
		if total != 1 || items[0].ID != a.ID {
			t.Fatalf("closed filter: %d", total)
		}
	})
}

func TestOverdueEscalation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		// Found 2026-09-01: 30 days end on 2026-10-01, inside the National Day
		// holiday (10-01…10-07), so the deadline moves to Thursday 2026-10-08.
		b, err := f.s.Create(as(clerk), CreateInput{Title: "重大执法决定未经法制审核", Source: "supervision_notice", UnitID: 3, Severity: "major", FoundOn: "2026-09-01"})
		if err != nil {
			t.Fatal(err)
		}
		if b.RectifyDue != "2026-10-08" || !strings.Contains(b.DueExplain, "截止 2026-10-08") || !b.Overdue {
			t.Fatalf("due %s (%s), overdue %v", b.RectifyDue, b.DueExplain, b.Overdue)
		}
		opened := b.Version
		for i := 0; i < 3; i++ { // several polls, maybe several processes: one escalation
			if _, err := f.runner.RunDue(ctx); err != nil {
				t.Fatal(err)
			}
		}
		b, _ = f.s.Get(as(supervisor), b.ID)
		if b.EscalatedAt == nil || b.Events[len(b.Events)-1].Action != "escalate" || b.Events[len(b.Events)-1].ActorName != "系统" {
			t.Fatalf("not escalated: %+v", b.Events)
		}
		// The escalation stamp is the system's, in no form: a clerk's form
		// opened before it is still current (same version).
		if b.Version != opened {
			t.Fatalf("escalation moved the version %d → %d: an open form would be refused as stale", opened, b.Version)
		}
		for _, u := range []int64{clerk, head, supervisor} {
			if n := f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE '问题整改已超期%'", u); n != 1 {
				t.Fatalf("user %d escalation notifications = %d", u, n)
			}
		}
		// The deadline was entered late: exactly one (the latest) reminder went out.
		if n := f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE '问题整改期限将至%'", clerk); n != 1 {
			t.Fatalf("late reminders = %d, want 1", n)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'finding.escalate'"); n != 1 {
			t.Fatalf("audit escalate = %d", n)
		}
		// A finding rectified in time is not escalated even if its job runs.
		items, total, _ := listPage(f.s, as(supervisor), Filter{Overdue: true})
		if total != 1 || items[0].ID != b.ID {
			t.Fatalf("overdue filter: %d", total)
		}
		figs, err := f.s.Figures(as(supervisor), metric.Query{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]float64{}
		for _, fg := range figs {
			got[fg.Code] = fg.Value
		}
		if got[FigureOpen] != 1 || got[FigureOverdue] != 1 || got[FigureClosedOnTimeRate] != 0 {
			t.Fatalf("figures: %v", got)
		}
		// Issue 24: the finding open past its deadline (2026-10-08) counts
		// against the closing rate of a period holding that deadline (0 of
		// 1, not "no data" because nothing was closed) …
		rate := func(q metric.Query) metric.Figure {
			t.Helper()
			figs, err := f.s.Figures(as(supervisor), q)
			if err != nil {
				t.Fatal(err)
			}
			for _, fg := range figs {
				if fg.Code == FigureClosedOnTimeRate {
					return fg
				}
			}
			t.Fatal("no closing rate")
			return metric.Figure{}
		}
		if r := rate(metric.Query{From: "2026-01-01", To: "2026-12-31"}); r.Numerator != 0 || r.Denominator != 1 || r.NoData || !strings.Contains(r.Link, "accountable_from=2026-01-01") {
			t.Fatalf("closing rate 2026: %+v", r)
		}
		// … and not in a period without it (the period applies).
		if r := rate(metric.Query{From: "2026-10-09", To: "2026-12-31"}); r.Denominator != 0 || !r.NoData {
			t.Fatalf("closing rate after the deadline's period: %+v", r)
		}
		// The ledger behind the link lists the same record.
		items, total, _ = listPage(f.s, as(supervisor), Filter{AccountableFrom: "2026-01-01", AccountableTo: "2026-12-31"})
		if total != 1 || items[0].ID != b.ID {
			t.Fatalf("accountable filter: %d", total)
		}
		if figs, _ := f.s.Figures(as(outsider), metric.Query{}); figs[0].Value != 0 || figs[1].Value != 0 {
			t.Fatalf("outsider figures: %+v", figs)
		}
	})
}

func workbook(t *testing.T, rows [][]any) []byte {
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", SheetName)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		x.SetSheetRow(SheetName, cell, &r)
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExcelImportExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		data := workbook(t, [][]any{
			{"问题标题*", "问题描述", "问题来源*", "来源编号", "责任单位*", "严重程度*", "发现日期*"},
			{"许可公示超期", "", "法治督察", "督察〔2026〕1号", "区市场监管局", "一般", "2026-09-01"},
			{"案卷装订不规范", "", "督查", "", "SJJ", "一般", "2026-13-01"},
			{"投诉处理超时", "", "12345热线", "", "不存在局", "较重", "2026/9/2"},
			{"", "", "", "", "", "", ""},
			{"未按规定听证", "", "审计", "", "区教育局", "严重", "2026.9.3"},
			{"罚款未入账", "", "审计", "", "SJJ", "严重", "2026年9月4日"},
		})
		rep, err := f.s.Import(as(clerk), data, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []ImportProblem{
			{SheetName, 3, "C（问题来源）", "问题来源「督查」无效，应为：法治督察、案卷评查、执法监督意见书、审计、行政复议纠错、行政诉讼败诉、投诉举报、12345热线、系统规则预警"},
			{SheetName, 3, "G（发现日期）", "发现日期格式应为 YYYY-MM-DD"},
			{SheetName, 4, "E（责任单位）", "找不到单位「不存在局」"},
			{SheetName, 6, "E（责任单位）", "无权为「区教育局」登记问题（不在您的数据权限范围内）"},
		}
		if rep.Rows != 5 || rep.Valid != 2 || rep.Created != 0 || len(rep.Problems) != len(want) {
			t.Fatalf("report: %+v", rep)
		}
		for i, p := range want {
			if rep.Problems[i] != p {
				t.Errorf("problem %d:\n got %+v\nwant %+v", i, rep.Problems[i], p)
			}
		}
		if n := f.count(t, "SELECT COUNT(*) FROM findings"); n != 0 {
			t.Fatalf("a bad import wrote %d findings", n)
		}
		rep, err = f.s.Import(as(clerk), data, true)
		if err != nil || rep.Created != 2 {
			t.Fatalf("valid rows: %+v %v", rep, err)
		}
		items, total, _ := listPage(f.s, as(clerk), Filter{})
		if total != 2 || items[0].FoundOn != "2026-09-04" || items[1].SourceRef != "督察〔2026〕1号" || items[1].RectifyDue != "2026-10-08" {
			t.Fatalf("imported: %+v", items)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM finding_events WHERE action = 'import'"); n != 2 {
			t.Fatalf("import events = %d", n)
		}
		_, err = f.s.Import(as(clerk), workbook(t, [][]any{{"标题", "来源"}, {"x", "y"}}), false)
		wantCode(t, err, apperr.Invalid, "缺少列：问题标题、问题来源、责任单位、严重程度、发现日期")
		_, err = f.s.Import(as(clerk), []byte("not a workbook"), false)
		wantCode(t, err, apperr.Invalid, "无法读取 Excel 文件")

		out, err := f.s.Export(as(clerk), Filter{})
		if err != nil {
			t.Fatal(err)
		}
		x, err := excelize.OpenReader(bytes.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := x.GetRows(SheetName)
		if len(rows) != 3 || rows[0][0] != "编号" || rows[2][1] != "许可公示超期" || rows[2][5] != "区市场监管局" || rows[2][8] != "2026-10-08" || rows[2][10] != "是" {
			t.Fatalf("export rows: %v", rows)
		}
		// 整改期限 is a real date (a serial number shown as YYYY-MM-DD).
		if raw, _ := x.GetCellValue(SheetName, "I3", excelize.Options{RawCellValue: true}); raw != "46303" {
			t.Fatalf("整改期限 stored as %q, want the date serial of 2026-10-08", raw)
		}
		// The export imports back (headers are found by name).
		if _, err := f.s.Import(as(clerk), out, false); err != nil {
			t.Fatalf("re-import of an export: %v", err)
		}
	})
}

func TestTemplateHasListsAndInstructions(t *testing.T) {
	b, err := Template()
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	dvs, err := x.GetDataValidations(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	lists := map[string]string{}
	for _, d := range dvs {
		lists[d.Sqref[:1]] = d.Formula1
	}
	// C 问题来源 and F 严重程度 carry drop-down lists of the labels.
	if !strings.Contains(lists["C"], "案卷评查") || !strings.Contains(lists["C"], "12345热线") || !strings.Contains(lists["F"], "一般,较重,严重") {
		t.Fatalf("validations %v", lists)
	}
	help, _ := x.GetRows(xl.InstructionsSheet)
	if len(help) < 5 || !strings.Contains(fmt.Sprint(help), "严重程度可选：一般、较重、严重") {
		t.Fatalf("instructions %v", help)
	}
	head, _ := x.GetRows(SheetName)
	if len(head) != 2 || head[0][0] != "问题标题*" {
		t.Fatalf("template rows %v", head)
	}
}

// listPage returns the first page of the ledger as (items, total, error).
func listPage(s *Service, ctx context.Context, flt Filter) ([]Finding, int, error) {
	p, err := s.List(ctx, flt, db.ListReq{})
	return p.Items, p.Total, err
}
