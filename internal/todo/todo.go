// Package todo is the to-do centre (待办): one list of what the signed-in
// actor has to do next, fed by every module through a registry of
// providers, the way figures come from the metric registry.
//
// A module registers one provider at wiring time:
//
//	a.Todo.Register(todo.Source{Module: "legalreview", Label: "合法性审查"}, svc.Todo)
//
// where svc.Todo(ctx, now) returns the actor's own items (at most Cap):
// steps assigned to the actor, or records of the actor's own unit waiting
// for that unit's action. A provider queries only open records through an
// index (status, pending step or unit) and the actor's scope, never the
// whole register. The centre merges, sorts (overdue first, then by
// deadline), filters and pages the merged list in memory: an actor's own
// to-do list is small even when a register holds a million rows.
package todo

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"

	"github.com/danielgtaylor/huma/v2"
)

// Cap is the most items one provider returns for one actor.
const Cap = 500

// Item is one thing the actor has to do.
type Item struct {
	Module      string `json:"module" doc:"来源模块代码"`
	ModuleLabel string `json:"module_label" doc:"来源模块名称"`
	Action      string `json:"action" doc:"要办的事，如 “审查：承办人初审”、“整改并申请销号”"`
	Title       string `json:"title" doc:"记录标题"`
	Number      string `json:"number,omitempty" doc:"记录编号"`
	UnitName    string `json:"unit_name,omitempty" doc:"所属单位"`
	Due         string `json:"due,omitempty" doc:"办理期限（YYYY-MM-DD，按工作日历计算）；没有期限时为空"`
	DueRule     string `json:"due_rule,omitempty" doc:"期限依据"`
	Overdue     bool   `json:"overdue" doc:"已超过办理期限"`
	Link        string `json:"link" doc:"记录的前端路由"`
	ReminderID  int64  `json:"reminder_id,omitempty" doc:"期限提醒（站内通知）的编号：这一项来自提醒，可忽略（POST /api/notifications/{id}/dismiss）"`
}

// Provider returns the actor's items (the actor is in ctx); now is the
// request time, for steps whose deadline is a moment.
type Provider func(ctx context.Context, now time.Time) ([]Item, error)

// Source names a provider's module.
type Source struct {
	Module string // code, e.g. "legalreview"
	Label  string // Chinese name shown on screen
	Perm   string // run only for actors holding it ("" every signed-in actor)
	// Supplement marks a provider that repeats what modules list (the
	// reminders): its item for a record (same link) that another
	// provider already lists for the actor is dropped, so the module's
	// own item, with its step and calendar rule, is the one shown.
	Supplement bool
}

type registered struct {
	src Source
	p   Provider
}

// Registry holds the providers modules registered at wiring time.
type Registry struct {
	mu  sync.Mutex
	ps  []registered
	now func() time.Time
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{now: time.Now} }

// SetNow replaces the clock (tests).
func (r *Registry) SetNow(now func() time.Time) { r.now = now }

// Register adds a module's provider.
func (r *Registry) Register(src Source, p Provider) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ps = append(r.ps, registered{src: src, p: p})
}

// Filter selects part of the list.
type Filter struct {
	Module  string `query:"module" doc:"来源模块代码；不填为全部"`
	Overdue string `query:"overdue" doc:"yes 只看已超期的、no 只看未超期的"`
	Page    int    `query:"page" doc:"页码，从 1 开始"`
	Size    int    `query:"page_size" doc:"每页条数（1–100，默认 20）"`
}

// ModuleCount is one module's share of the list.
type ModuleCount struct {
	Module  string `json:"module"`
	Label   string `json:"label"`
	Total   int    `json:"total"`
	Overdue int    `json:"overdue"`
}

// Counts are the header's numbers.
type Counts struct {
	Total   int           `json:"total" doc:"待办总数"`
	Overdue int           `json:"overdue" doc:"其中已超期"`
	Modules []ModuleCount `json:"modules" doc:"按来源模块"`
}

// Page is one page of the list with the counts of the whole list.
type Page struct {
	Items  []Item `json:"items"`
	Total  int    `json:"total" doc:"符合筛选条件的条数"`
	Page   int    `json:"page"`
	Counts Counts `json:"counts"`
}

// all runs every provider the actor may use and merges their items, sorted
// overdue first, then by deadline (items without one last), then by title.
func (r *Registry) all(ctx context.Context) ([]Item, Counts, error) {
	a := auth.From(ctx)
	if a == nil {
		return nil, Counts{}, apperr.New(apperr.Unauthenticated, "请先登录")
	}
	r.mu.Lock()
	ps := slices.Clone(r.ps)
	r.mu.Unlock()
	now := r.now()
	today := calendar.Today(now).String()
	type got struct {
		src   Source
		items []Item
	}
	var all []got
	listed := map[string]bool{} // links the modules' own items cover
	for _, p := range ps {
		if p.src.Perm != "" && !a.Can(p.src.Perm) {
			continue
		}
		its, err := p.p(ctx, now)
		if err != nil {
			return nil, Counts{}, err
		}
		if !p.src.Supplement {
			for _, it := range its {
				listed[it.Link] = true
			}
		}
		all = append(all, got{p.src, its})
	}
	items := []Item{}
	c := Counts{Modules: []ModuleCount{}}
	for _, g := range all {
		mc := ModuleCount{Module: g.src.Module, Label: g.src.Label}
		for _, it := range g.items {
			if g.src.Supplement && listed[it.Link] {
				continue
			}
			it.Module, it.ModuleLabel = g.src.Module, g.src.Label
			it.Overdue = it.Overdue || (it.Due != "" && it.Due < today)
			mc.Total++
			if it.Overdue {
				mc.Overdue++
			}
			items = append(items, it)
		}
		c.Total += mc.Total
		c.Overdue += mc.Overdue
		c.Modules = append(c.Modules, mc)
	}
	slices.SortStableFunc(items, func(x, y Item) int {
		switch {
		case x.Overdue != y.Overdue:
			if x.Overdue {
				return -1
			}
			return 1
		case (x.Due == "") != (y.Due == ""):
			if x.Due == "" {
				return 1
			}
			return -1
		case x.Due != y.Due:
			return strings.Compare(x.Due, y.Due)
		}
		return strings.Compare(x.Title, y.Title)
	})
	return items, c, nil
}

// List returns one page of the actor's to-do list.
func (r *Registry) List(ctx context.Context, f Filter) (*Page, error) {
	var v apperr.Fields
	if f.Overdue != "" && f.Overdue != "yes" && f.Overdue != "no" {
		v.Add("overdue", "超期筛选只能是 yes 或 no")
	}
	if f.Page < 0 {
		v.Add("page", "页码不能小于 1")
	}
	if f.Size < 0 || f.Size > 100 {
		v.Add("page_size", "每页条数应在 1 到 100 之间")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if f.Page == 0 {
		f.Page = 1
	}
	if f.Size == 0 {
		f.Size = 20
	}
	items, c, err := r.all(ctx)
	if err != nil {
		return nil, err
	}
	kept := items[:0:0]
	for _, it := range items {
		if f.Module != "" && it.Module != f.Module {
			continue
		}
		if (f.Overdue == "yes" && !it.Overdue) || (f.Overdue == "no" && it.Overdue) {
			continue
		}
		kept = append(kept, it)
	}
	out := &Page{Items: []Item{}, Total: len(kept), Page: f.Page, Counts: c}
	if from := (f.Page - 1) * f.Size; from < len(kept) {
		out.Items = kept[from:min(from+f.Size, len(kept))]
	}
	return out, nil
}

// Counts returns the header's numbers.
func (r *Registry) Counts(ctx context.Context) (*Counts, error) {
	_, c, err := r.all(ctx)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

type listInput struct{ Filter }
type listOutput struct{ Body *Page }
type countsOutput struct{ Body *Counts }

// Routes declares the to-do centre's routes (every signed-in user).
func (r *Registry) Routes(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "todo-list", Method: http.MethodGet, Path: "/api/todo",
		Summary: "我的待办", Tags: []string{"待办"},
	}, func(ctx context.Context, in *listInput) (*listOutput, error) {
		p, err := r.List(ctx, in.Filter)
		if err != nil {
			return nil, err
		}
		return &listOutput{Body: p}, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "todo-counts", Method: http.MethodGet, Path: "/api/todo/counts",
		Summary: "待办数量", Tags: []string{"待办"},
	}, func(ctx context.Context, _ *struct{}) (*countsOutput, error) {
		c, err := r.Counts(ctx)
		if err != nil {
			return nil, err
		}
		return &countsOutput{Body: c}, nil
	})
}

// DateOf is the Beijing date of a step deadline (empty for the zero time).
func DateOf(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return calendar.Today(t).String()
}
