package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fazhi/internal/finding"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db/dbtest"
	"fazhi/internal/platform/files"
	"fazhi/internal/todo"
)

// The to-do centre follows the close-out chain: a new finding is the
// responsible unit's clerk's item until they rectify it, then the current
// close-out step's reviewer's item until they act on it.
func TestTodoFollowsSteps(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a := demoApp(t, dsn)
		people := demoPeople{a.Org}
		clerk, err := people.Actor(ctx, "clerk_sj")
		if err != nil {
			t.Fatal(err)
		}
		asClerk := auth.With(ctx, clerk)
		sys := auth.With(ctx, auth.SystemActor("test"))
		en := a.Engines()
		f, err := en.Findings.Create(sys, finding.CreateInput{Title: "待办测试问题", Source: "inspection", UnitID: clerk.UnitID, Severity: "general", FoundOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		// find returns the actor's item for the finding, if any.
		find := func(ctx context.Context) *todo.Item {
			t.Helper()
			p, err := a.Todo.List(ctx, todo.Filter{Module: "finding", Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != len(p.Items) && len(p.Items) < 100 {
				t.Fatalf("total %d, %d items on the only page", p.Total, len(p.Items))
			}
			for i := range p.Items {
				if p.Items[i].Number == f.Code {
					return &p.Items[i]
				}
			}
			return nil
		}
		it := find(asClerk)
		if it == nil || it.Action != "整改并申请销号" || it.Due != f.RectifyDue || it.Link == "" || it.ModuleLabel != "问题整改" {
			t.Fatalf("clerk's item after registration: %+v", it)
		}
		if c, err := a.Todo.Counts(asClerk); err != nil || c.Total == 0 {
			t.Fatalf("counts %+v, %v", c, err)
		}

		if _, err := en.Files.Upload(sys, files.UploadInput{OwnerType: finding.OwnerType, OwnerID: f.ID, Name: "整改佐证.pdf"},
			bytes.NewReader([]byte("%PDF-1.7\n佐证\n%%EOF\n"))); err != nil {
			t.Fatal(err)
		}
		d, err := en.Findings.Rectify(asClerk, f.ID, finding.RectifyInput{Version: f.Version, Measures: "已整改", RectifiedOn: calendar.Today(time.Now()).String()})
		if err != nil {
			t.Fatal(err)
		}
		if it := find(asClerk); it != nil && it.Action == "整改并申请销号" {
			t.Fatalf("still the clerk's to rectify after rectifying: %+v", it)
		}
		if d.Closeout == nil || len(d.Closeout.Pending) == 0 {
			t.Fatalf("close-out chain not waiting for anyone: %+v", d.Closeout)
		}
		reviewer, err := a.Org.LoadActor(ctx, d.Closeout.Pending[0])
		if err != nil {
			t.Fatal(err)
		}
		asReviewer := auth.With(ctx, reviewer)
		step := d.Closeout.CurrentStep
		it = find(asReviewer)
		if it == nil || !strings.HasSuffix(it.Action, step) || it.Due == "" {
			t.Fatalf("reviewer %s's item for step %q: %+v", reviewer.Username, step, it)
		}
		if _, err := en.Findings.Act(asReviewer, f.ID, finding.ActApprove, finding.ActInput{Version: d.Version, Opinion: "同意"}); err != nil {
			t.Fatal(err)
		}
		if it := find(asReviewer); it != nil && strings.HasSuffix(it.Action, step) {
			t.Fatalf("step %q still the reviewer's after approving: %+v", step, it)
		}
	})
}
