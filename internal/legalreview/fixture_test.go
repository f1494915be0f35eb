package legalreview

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"fazhi/internal/org"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// fixture is the demo district with a configured chain:
// 承办人初审 (sifaju2) → 法律顾问、公职律师会签 (counsel_zhao, counsel_qian) →
// 司法局负责人审定 (sifaju).
type fixture struct {
	d     *db.DB
	svc   *Service
	orgs  *org.Service
	now   time.Time
	units map[string]int64
	ids   map[string]int64
}

func (f *fixture) as(t *testing.T, username string) context.Context {
	t.Helper()
	a, err := f.orgs.LoadActor(context.Background(), f.ids[username])
	if err != nil {
		t.Fatalf("load actor %s: %v", username, err)
	}
	return auth.With(context.Background(), a)
}

// at sets the service clock to 10:00 Shanghai time on date.
func (f *fixture) at(date string) {
	d := calendar.MustDate(date)
	f.now = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, calendar.Shanghai)
}

func setup(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	orgs := org.NewService(d)
	if err := orgs.SeedDemo(ctx, 1); err != nil {
		t.Fatalf("seed org: %v", err)
	}
	f := &fixture{d: d, orgs: orgs, units: map[string]int64{}, ids: map[string]int64{}}
	for _, code := range []string{"QH101000", "QH109000", "QH116000", "QH102000"} {
		var id int64
		if err := d.QueryRow(ctx, "SELECT id FROM org_units WHERE code = ?", code).Scan(&id); err != nil {
			t.Fatalf("unit %s: %v", code, err)
		}
		f.units[code] = id
	}
	sys := auth.With(ctx, auth.SystemActor("test"))
	for _, u := range []struct{ username, name string }{{"counsel_zhao", "赵明律"}, {"counsel_qian", "钱法顾"}} {
		if _, err := orgs.CreateUser(sys, org.UserInput{Username: u.username, Name: u.name, UnitID: f.units["QH101000"],
			Password: "Counsel@2026x", Roles: []org.Assignment{{Role: org.RoleClerk, Scope: auth.ScopeOwn}}}); err != nil {
			t.Fatalf("create %s: %v", u.username, err)
		}
	}
	rows, err := d.Query(ctx, "SELECT id, username FROM users")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		f.ids[name] = id
	}
	rows.Close()
	svc, err := NewService(d, OrgDirectory{Org: orgs}, calendar.Default(), calendar.DefaultRegistry())
	if err != nil {
		t.Fatal(err)
	}
	svc.SetNow(func() time.Time { return f.now })
	f.svc = svc
	f.at("2026-09-28")

	chains, err := svc.Chains(sys)
	if err != nil || len(chains) != 1 {
		t.Fatalf("default chain: %v %v", chains, err)
	}
	def := workflow.Definition{Code: "legalreview.qinghe", Name: "清河区合法性审查三重审查", Steps: []workflow.Step{
		{Key: "clerk", Name: "承办人初审", Kind: workflow.KindSingle, Assignees: []workflow.Assignee{{UserID: f.ids["sifaju2"]}}, DeadlineDays: 5, RemindBeforeDays: 1, OpinionRequired: true},
		{Key: "counsel", Name: "法律顾问、公职律师意见", Kind: workflow.KindCountersign,
			Assignees:    []workflow.Assignee{{UserID: f.ids["counsel_zhao"]}, {UserID: f.ids["counsel_qian"]}},
			DeadlineDays: 5, OpinionRequired: true, AllowReturnTo: workflow.ReturnTargets{Keys: []string{"clerk"}}},
		{Key: "head", Name: "司法局负责人审定", Kind: workflow.KindSingle, Assignees: []workflow.Assignee{{UserID: f.ids["sifaju"]}}, DeadlineDays: 3, AllowReturnTo: workflow.ReturnTargets{AnyEarlier: true}},
	}}
	if _, err := svc.UpdateChain(sys, chains[0].ID, ChainInput{Name: "合法性审查三重审查", ReviewerUnitID: f.units["QH101000"],
		NumberPrefix: "清河司审", Definition: json.RawMessage(mustJSON(def)), Version: chains[0].Version}); err != nil {
		t.Fatalf("configure chain: %v", err)
	}
	return f
}

// open submits a review as the 住房城乡建设局 clerk.
func (f *fixture) open(t *testing.T, in OpenInput) *Review {
	t.Helper()
	if in.Kind == "" {
		in.Kind = "decision"
	}
	if in.UnitID == 0 {
		in.UnitID = f.units["QH109000"]
	}
	r, err := f.svc.Open(f.as(t, "clerk_zjj"), in)
	if err != nil {
		t.Fatalf("open %q: %v", in.Title, err)
	}
	return r
}

// ver is a review's stored version (every action names the version it
// was made on).
func (f *fixture) ver(t *testing.T, id int64) int64 {
	t.Helper()
	r, err := f.svc.Get(auth.With(context.Background(), auth.SystemActor("test")), id)
	if err != nil {
		t.Fatal(err)
	}
	return r.Version
}

// act acts on the review at its current version unless in names one.
func (f *fixture) act(t *testing.T, user string, id int64, in ActInput) *Review {
	t.Helper()
	if in.Version == 0 {
		in.Version = f.ver(t, id)
	}
	r, err := f.svc.Act(f.as(t, user), id, in)
	if err != nil {
		t.Fatalf("%s %s: %v", user, in.Action, err)
	}
	return r
}

// pass runs the whole chain with approvals.
func (f *fixture) pass(t *testing.T, id int64) *Review {
	t.Helper()
	f.act(t, "sifaju2", id, ActInput{Action: "approve", Opinion: "材料齐全，初审同意"})
	f.act(t, "counsel_zhao", id, ActInput{Action: "approve", Opinion: "同意"})
	f.act(t, "counsel_qian", id, ActInput{Action: "approve", Opinion: "同意"})
	return f.act(t, "sifaju", id, ActInput{Action: "approve", Opinion: "审定"})
}

func (f *fixture) conclude(t *testing.T, id int64, c Conclusion, opinions ...string) *Review {
	t.Helper()
	// Reviews concluded before their minimum review time carry the
	// recorded reason the service requires (ignored otherwise).
	r, err := f.svc.Conclude(f.as(t, "sifaju"), id, ConcludeInput{Conclusion: string(c), Summary: "经审查", Opinions: opinions,
		EarlyReason: "测试：会议议程紧急", EarlyApprover: "司法局局长王建国", Version: f.ver(t, id)})
	if err != nil {
		t.Fatalf("conclude: %v", err)
	}
	return r
}

func wantCode(t *testing.T, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("want %s, got %v", code, err)
	}
	return apperr.As(err)
}

func hasField(e *apperr.Error, field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}
