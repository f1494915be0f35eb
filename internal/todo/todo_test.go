package todo

import (
	"context"
	"errors"
	"testing"
	"time"

	"fazhi/internal/platform/auth"
)

func TestListMergesSortsFiltersPages(t *testing.T) {
	r := NewRegistry()
	now := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC) // 2026-12-07 Beijing
	r.SetNow(func() time.Time { return now })
	r.Register(Source{Module: "a", Label: "甲"}, func(context.Context, time.Time) ([]Item, error) {
		return []Item{{Title: "无期限"}, {Title: "明天", Due: "2026-12-08"}, {Title: "昨天", Due: "2026-12-06"}}, nil
	})
	r.Register(Source{Module: "b", Label: "乙", Perm: "b.read"}, func(context.Context, time.Time) ([]Item, error) {
		return []Item{{Title: "今天", Due: "2026-12-07"}}, nil
	})
	r.Register(Source{Module: "c", Label: "丙", Perm: "c.read"}, func(context.Context, time.Time) ([]Item, error) {
		return nil, errors.New("must not run without c.read")
	})
	if _, err := r.List(context.Background(), Filter{}); err == nil {
		t.Fatal("anonymous list allowed")
	}
	ctx := auth.With(context.Background(), &auth.Actor{UserID: 1, Perms: map[string]auth.Scope{"b.read": {All: true}}})
	p, err := r.List(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range p.Items {
		got = append(got, it.Title)
	}
	want := []string{"昨天", "今天", "明天", "无期限"}
	if len(got) != len(want) {
		t.Fatalf("items %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("items %v, want %v", got, want)
		}
	}
	if !p.Items[0].Overdue || p.Items[1].Overdue || p.Items[1].ModuleLabel != "乙" {
		t.Fatalf("overdue or labels wrong: %+v", p.Items[:2])
	}
	if p.Counts.Total != 4 || p.Counts.Overdue != 1 || len(p.Counts.Modules) != 2 {
		t.Fatalf("counts %+v", p.Counts)
	}
	p, err = r.List(ctx, Filter{Module: "a", Overdue: "no", Page: 2, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 2 || len(p.Items) != 1 || p.Items[0].Title != "无期限" {
		t.Fatalf("filtered page: %+v", p)
	}
	if _, err := r.List(ctx, Filter{Overdue: "maybe"}); err == nil {
		t.Fatal("bad overdue filter accepted")
	}
}

// A supplementary source (the reminders) does not repeat a record a
// module's own provider lists; its other items stay and are counted.
func TestSupplementRepeatsNoListedRecord(t *testing.T) {
	r := NewRegistry()
	r.Register(Source{Module: "reminder", Label: "期限提醒", Supplement: true}, func(context.Context, time.Time) ([]Item, error) {
		return []Item{{Title: "提醒：报送备案", Link: "/normdocs/1", ReminderID: 11}, {Title: "提醒：另一件", Link: "/normdocs/2", ReminderID: 12}}, nil
	})
	r.Register(Source{Module: "normdoc", Label: "规范性文件"}, func(context.Context, time.Time) ([]Item, error) {
		return []Item{{Title: "报送备案", Link: "/normdocs/1"}}, nil
	})
	p, err := r.List(auth.With(context.Background(), &auth.Actor{UserID: 1}), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, it := range p.Items {
		links[it.Link+" "+it.Module] = it.Title
	}
	if len(p.Items) != 2 || links["/normdocs/1 normdoc"] == "" || links["/normdocs/2 reminder"] == "" {
		t.Fatalf("items %+v", p.Items)
	}
	if p.Counts.Total != 2 || p.Counts.Modules[0].Module != "reminder" || p.Counts.Modules[0].Total != 1 {
		t.Fatalf("counts %+v", p.Counts)
	}
}
