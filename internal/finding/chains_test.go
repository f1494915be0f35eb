package finding

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/jobs"
	"fazhi/internal/platform/workflow"
)

// configurer holds finding.config (the supervisor's configuration right).
func configurer() context.Context {
	ctx := as(supervisor)
	a := auth.From(ctx)
	a.Perms[PermConfig] = auth.Scope{All: true}
	return ctx
}

func closeoutRow(t *testing.T, f *fx) Chain {
	t.Helper()
	cs, err := f.s.Chains(as(clerk))
	if err != nil || len(cs) != 1 || cs[0].Code != ChainCloseout {
		t.Fatalf("chains: %+v %v", cs, err)
	}
	return cs[0]
}

func TestChainSeededWithDefault(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := closeoutRow(t, f)
		def, err := workflow.ParseDefinition([]byte(DefaultChain))
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(def)
		b, _ := json.Marshal(c.Definition)
		if string(a) != string(b) || c.Version != 1 || c.Name != "问题整改销号审核流程" {
			t.Fatalf("migration seed differs from DefaultChain:\n%s\n%s", a, b)
		}
		if c.Definition.Steps[0].EscalateTo == nil || c.Definition.Steps[0].EscalateTo.Role != "supervisor" {
			t.Fatalf("unit review escalates to the supervisors: %+v", c.Definition.Steps[0])
		}
	})
}

func TestUpdateChain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		c := closeoutRow(t, f)
		audits := func() int {
			return f.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'finding.chain.update'")
		}
		unchanged := func() {
			t.Helper()
			now := closeoutRow(t, f)
			if now.Version != c.Version || audits() != 0 {
				t.Fatalf("a refused update wrote something: version %d, audits %d", now.Version, audits())
			}
		}
		fieldMsg := func(err error, field string) string {
			t.Helper()
			e := apperr.As(err)
			if e == nil || e.Code != apperr.Invalid {
				t.Fatalf("want invalid, got %v", err)
			}
			for _, fe := range e.Fields {
				if fe.Field == field {
					return fe.Message
				}
			}
			t.Fatalf("no error on %s: %+v", field, e.Fields)
			return ""
		}

		// Permission: finding.approve is not enough.
		_, err := f.s.UpdateChain(as(head), c.ID, ChainInput{Name: "x", Definition: json.RawMessage(DefaultChain), Version: c.Version})
		wantCode(t, err, apperr.Forbidden, "")
		unchanged()

		// Broken JSON: a Chinese message on the definition field.
		_, err = f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: "销号流程", Definition: json.RawMessage(`{"code":"finding.closeout",`), Version: c.Version})
		if m := fieldMsg(err, "definition"); !strings.Contains(m, "审批流程定义") {
			t.Fatalf("bad JSON message: %s", m)
		}
		unchanged()

		// A string where the definition object belongs.
		_, err = f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: "销号流程", Definition: json.RawMessage(`"{bad"`), Version: c.Version})
		if m := fieldMsg(err, "definition"); !strings.Contains(m, "类型不正确") {
			t.Fatalf("wrong type message: %s", m)
		}
		unchanged()

		// A bad kind, an impossible reminder and an unknown role: each named by
		// its path, in Chinese, all at once.
		bad := `{"code":"finding.closeout","name":"销号","steps":[
 {"key":"unit_review","name":"单位审核","kind":"single","assignees":[{"role":"head"}],"deadline_days":3,"remind_before_days":3},
 {"key":"sup","name":"督察审核","kind":"every","assignees":[{"role":"supervisr"}]}]}`
		_, err = f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: "", Definition: json.RawMessage(bad), Version: c.Version})
		if m := fieldMsg(err, "name"); m != "请填写流程名称" {
			t.Fatalf("name: %s", m)
		}
		if m := fieldMsg(err, "definition.steps[0].remind_before_days"); !strings.Contains(m, "第1步「单位审核」") || !strings.Contains(m, "提前提醒天数") {
			t.Fatalf("remind: %s", m)
		}
		if m := fieldMsg(err, "definition.steps[1].kind"); !strings.Contains(m, "审批方式") {
			t.Fatalf("kind: %s", m)
		}
		if m := fieldMsg(err, "definition.steps[1].assignees[0]"); m != "角色 supervisr 不存在" {
			t.Fatalf("role with other errors: %s", m)
		}
		unchanged()
		_, err = f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: "销号", Definition: json.RawMessage(`{"code":"finding.closeout","name":"销号","steps":[
 {"key":"unit_review","name":"单位审核","kind":"single","assignees":[{"role":"head"}],"opinion_requird":true}]}`), Version: c.Version})
		if m := fieldMsg(err, "definition.opinion_requird"); !strings.Contains(m, "不认识的字段") {
			t.Fatalf("unknown field: %s", m)
		}
		_, err = f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: "销号", Definition: json.RawMessage(`{"code":"finding.closeout","name":"销号","steps":[
 {"key":"unit_review","name":"单位审核","kind":"single","assignees":[{"role":"hed"}]}]}`), Version: c.Version})
		if m := fieldMsg(err, "definition.steps[0].assignees[0]"); m != "角色 hed 不存在" {
			t.Fatalf("unknown role: %s", m)
		}
		unchanged()

		// A one-step chain: the inspection office closes findings directly.
		one := `{"code":"finding.closeout.simple","name":"督察机构直接销号","steps":[
 {"key":"supervisor_review","name":"法治督察机构审核销号","kind":"any","assignees":[{"role":"supervisor"}],"deadline_days":3,"remind_before_days":1,"opinion_required":true}]}`
		got, err := f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: " 简易销号流程 ", Definition: json.RawMessage(one), Version: c.Version})
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != c.Version+1 || got.Name != "简易销号流程" || len(got.Definition.Steps) != 1 || got.UpdatedBy != supervisor {
			t.Fatalf("updated: %+v", got)
		}
		if audits() != 1 {
			t.Fatalf("audit events = %d", audits())
		}
		// The same edit again with the old version: conflict, nothing written.
		_, err = f.s.UpdateChain(configurer(), c.ID, ChainInput{Name: "再改", Definition: json.RawMessage(DefaultChain), Version: c.Version})
		wantCode(t, err, apperr.Conflict, "已被他人修改")
		if now := closeoutRow(t, f); now.Version != got.Version || now.Name != "简易销号流程" || audits() != 1 {
			t.Fatalf("stale update wrote: %+v", now)
		}
		_, err = f.s.UpdateChain(configurer(), 999, ChainInput{Name: "x", Definition: json.RawMessage(DefaultChain), Version: 1})
		wantCode(t, err, apperr.NotFound, "销号审核流程不存在")

		// The next close-out runs the stored chain.
		a, err := f.s.Create(as(clerk), CreateInput{Title: "执法文书未加盖印章", Source: "case_review", UnitID: 3, Severity: "general", FoundOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: OwnerType, OwnerID: a.ID, Name: "整改.pdf"}, pdf()); err != nil {
			t.Fatal(err)
		}
		a, err = f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已补盖印章", RectifiedOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		if a.Closeout.CurrentStep != "法治督察机构审核销号" || len(a.Closeout.Steps) != 1 {
			t.Fatalf("closeout: %+v", a.Closeout)
		}
		a, err = f.s.Act(as(supervisor), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "同意销号"})
		if err != nil || a.Status != "closed" {
			t.Fatalf("one-step close-out: %v %+v", err, a)
		}
	})
}

// A close-out step's reminder goes to its reviewer before the due time and
// its escalation to escalate_to after it, each exactly once, however often
// the jobs run and even when a stale copy of the finding tries again.
func TestStepReminders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := setup(t, d)
		ctx := context.Background()
		clock := func(s string) {
			tm, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Shanghai)
			if err != nil {
				t.Fatal(err)
			}
			f.s.SetNow(func() time.Time { return tm })
		}
		run := func() {
			t.Helper()
			for i := 0; i < 3; i++ {
				if _, err := f.runner.RunDue(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		notes := func(user int64, title string) int {
			return f.count(t, "SELECT COUNT(*) FROM notifications WHERE user_id = ? AND title LIKE ?", user, title+"%")
		}
		clock("2026-10-26 09:00")
		a, err := f.s.Create(as(clerk), CreateInput{Title: "行政执法公示信息更新不及时", Source: "inspection", UnitID: 3, Severity: "general", FoundOn: "2026-10-26"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.fs.Upload(as(clerk), files.UploadInput{OwnerType: OwnerType, OwnerID: a.ID, Name: "公示截图.pdf"}, pdf()); err != nil {
			t.Fatal(err)
		}
		// Submitted Monday 2026-11-02: 5 working days end Monday 11-09; the
		// reminder is one working day earlier, at the end of Friday 11-06.
		clock("2026-11-02 10:00")
		a, err = f.s.Rectify(as(clerk), a.ID, RectifyInput{Version: a.Version, Measures: "已逐件补公示", RectifiedOn: "2026-11-02"})
		if err != nil {
			t.Fatal(err)
		}
		group, err := jobs.ListGroup(ctx, d, stepGroup(a.ID))
		if err != nil {
			t.Fatal(err)
		}
		sh := func(tm time.Time) string { return tm.In(calendar.Shanghai).Format("2006-01-02 15:04:05") }
		if len(group) != 2 || sh(group[0].RunAt) != "2026-11-06 23:59:59" || sh(group[1].RunAt) != "2026-11-10 00:00:00" {
			t.Fatalf("step jobs: %+v", group)
		}
		stale, err := f.s.load(ctx, d, a.ID)
		if err != nil {
			t.Fatal(err)
		}

		// Saturday 11-07: the reminder is due; the escalation job's own run
		// time (11-10 00:00) makes the step overdue for it.
		clock("2026-11-07 09:00")
		run()
		run()
		if n := notes(head, "销号审核即将到期"); n != 1 {
			t.Fatalf("head reminders = %d", n)
		}
		if n := notes(supervisor, "销号审核已超期"); n != 1 { // escalate_to: supervisor
			t.Fatalf("escalations = %d", n)
		}
		if n := notes(head, "销号审核已超期") + notes(clerk, "销号审核"); n != 0 {
			t.Fatalf("notices to the wrong people: %d", n)
		}
		got, _ := f.s.Get(as(supervisor), a.ID)
		var actions []string
		for _, e := range got.Events {
			if strings.HasPrefix(e.Action, "closeout.") {
				actions = append(actions, e.Action+"/"+e.ActorName)
			}
		}
		if strings.Join(actions, ",") != "closeout.remind/系统,closeout.escalate/系统" {
			t.Fatalf("timeline: %v", actions)
		}
		for _, act := range []string{"finding.closeout.remind", "finding.closeout.escalate"} {
			if n := f.count(t, "SELECT COUNT(*) FROM audit_events WHERE action = ?", act); n != 1 {
				t.Fatalf("audit %s = %d", act, n)
			}
		}

		// A second process holding the finding as it was before: the version
		// check refuses its write, and nobody is told twice.
		// (In its transaction, as the job runs it: counters move with the row.)
		var box []outbox
		err = d.WithTx(ctx, func(tx *db.Tx) error {
			var err error
			box, err = f.s.stepNotices(ctx, tx, stale, time.Date(2026, 11, 10, 9, 0, 0, 0, calendar.Shanghai))
			return err
		})
		wantCode(t, err, apperr.Conflict, "")
		if len(box) != 0 || notes(head, "销号审核即将到期") != 1 || notes(supervisor, "销号审核已超期") != 1 {
			t.Fatalf("stale sweep sent again: %d", len(box))
		}
		// The current copy finds both already recorded.
		cur, _ := f.s.load(ctx, d, a.ID)
		if box, err := f.s.stepNotices(ctx, d, cur, time.Date(2026, 11, 12, 9, 0, 0, 0, calendar.Shanghai)); err != nil || len(box) != 0 {
			t.Fatalf("repeat: %d %v", len(box), err)
		}

		// The head approves on 11-10: the inspection step opens with its own
		// jobs; the first step's are no longer pending.
		clock("2026-11-10 10:00")
		a, _ = f.s.Get(as(head), a.ID)
		a, err = f.s.Act(as(head), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "同意"})
		if err != nil {
			t.Fatal(err)
		}
		group, _ = jobs.ListGroup(ctx, d, stepGroup(a.ID))
		pending := 0
		for _, j := range group {
			if j.Status == jobs.Pending {
				pending++
				if !strings.Contains(j.UniqueKey, ":supervisor_review:1:") {
					t.Fatalf("pending job of another step: %s", j.UniqueKey)
				}
			}
		}
		if pending != 2 {
			t.Fatalf("pending step jobs = %d", pending)
		}
		// 11-17 is the reminder day (due 11-17 end of day): reminder to the
		// supervisor; no escalate_to on this step, so the pending reviewer
		// and the supervisors are told when it is overdue.
		clock("2026-11-17 10:00")
		run()
		if n := notes(supervisor, "销号审核即将到期"); n != 1 {
			t.Fatalf("supervisor reminders = %d", n)
		}
		if n := notes(supervisor, "销号审核已超期"); n != 2 {
			t.Fatalf("supervisor escalations = %d (one per step)", n)
		}
		// Closing the finding cancels what is left.
		a, _ = f.s.Get(as(supervisor), a.ID)
		if _, err := f.s.Act(as(supervisor), a.ID, ActApprove, ActInput{Version: a.Version, Opinion: "同意销号"}); err != nil {
			t.Fatal(err)
		}
		if n := f.count(t, "SELECT COUNT(*) FROM jobs WHERE group_key = ? AND status = 'pending'", stepGroup(a.ID)); n != 0 {
			t.Fatalf("pending after close = %d", n)
		}
	})
}
