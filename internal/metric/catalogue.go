package metric

import (
	"context"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
)

// The metric catalogue (issue 16) is not a second list kept by hand: it is
// what the registered providers return, each figure described once by the
// module that computes it (code, name, unit, definition, link), with what
// this package adds from the figure itself — its area (from the module part
// of the code), whether it is a rate or a count, how it rolls up a unit
// subtree and whether it depends on the period. A figure a module adds is
// in the catalogue the moment its provider returns it.

// Area is one work area of the dashboard and the catalogue.
type Area struct {
	Key     string   `json:"key"`
	Label   string   `json:"label"`
	Modules []string `json:"-"`
}

// Areas are the work areas in page order, each with the modules whose
// figures belong to it (a figure's module is the part of its code before
// the first dot).
var Areas = []Area{
	{Key: "decision", Label: "重大行政决策与合法性审查", Modules: []string{"decision", "legalreview", "counsel"}},
	{Key: "normdoc", Label: "规范性文件", Modules: []string{"normdoc"}},
	{Key: "enforcement", Label: "行政执法", Modules: []string{"enforcement", "randominspection", "exam", "casereview"}},
	{Key: "dispute", Label: "行政复议与行政应诉", Modules: []string{"reconsideration", "litigation"}},
	{Key: "mediation", Label: "矛盾纠纷化解", Modules: []string{"mediation"}},
	{Key: "disclosure", Label: "政务公开", Modules: []string{"disclosure"}},
	{Key: "finding", Label: "问题整改", Modules: []string{"finding"}},
	{Key: "indicator", Label: "指标考核", Modules: []string{"indicator", "duty", "report"}},
	{Key: "org", Label: "组织机构", Modules: []string{"org"}},
}

// OtherArea holds a figure whose module no area lists (a test keeps it empty).
var OtherArea = Area{Key: "other", Label: "其他"}

// AreaOf is the area of a figure code.
func AreaOf(code string) Area {
	mod, _, _ := strings.Cut(code, ".")
	for _, a := range Areas {
		for _, m := range a.Modules {
			if m == mod {
				return a
			}
		}
	}
	return OtherArea
}

// Roll-up rules: how a figure over a unit subtree comes from its units.
const (
	RollupSum   = "sum"
	RollupRatio = "ratio"
)

// Entry is one metric of the catalogue.
type Entry struct {
	Code      string `json:"code" doc:"指标代码"`
	Name      string `json:"name" doc:"中文名称"`
	Unit      string `json:"unit" doc:"计量单位"`
	Area      string `json:"area" doc:"领域代码"`
	AreaLabel string `json:"area_label" doc:"领域名称"`
	Kind      string `json:"kind" enum:"rate,count" doc:"rate 比率；count 计数"`
	// The module's own description and its parts, when it names them.
	Definition  string `json:"definition" doc:"口径说明（模块给出的完整文字）"`
	Numerator   string `json:"numerator" doc:"分子口径（比率）或计数口径"`
	Denominator string `json:"denominator" doc:"分母口径（比率）；计数类为空"`
	PeriodRule  string `json:"period_rule" doc:"期间规则"`
	Current     bool   `json:"current" doc:"当前数：不随期间变化（口径中写明“不分期间”）"`
	Rollup      string `json:"rollup" enum:"sum,ratio" doc:"sum 下级单位相加；ratio 分子、分母分别相加后相除"`
	RollupText  string `json:"rollup_text" doc:"汇总规则说明"`
	Link        string `json:"link" doc:"明细记录（分母）的前端路由，含所选期间与单位"`
	// NumeratorLink lists a rate's numerator records.
	NumeratorLink string `json:"numerator_link,omitempty"`
	Perm          string `json:"perm" doc:"查看该指标所需权限"`
}

// Describe is the catalogue entry of f (computed by the provider that
// needs perm).
func Describe(f Figure, perm string) Entry {
	a := AreaOf(f.Code)
	e := Entry{Code: f.Code, Name: f.Name, Unit: f.Unit, Area: a.Key, AreaLabel: a.Label, Definition: f.Definition,
		Link: f.Link, NumeratorLink: f.NumeratorLink, Perm: perm, Current: IsCurrent(f)}
	if f.Unit == "%" {
		e.Kind, e.Rollup = "rate", RollupRatio
		e.RollupText = "单位（含下级）的分子、分母分别相加后相除，不是各单位比率的平均"
	} else {
		e.Kind, e.Rollup = "count", RollupSum
		e.RollupText = "单位（含下级）的记录数相加，每条记录只计入其所属单位一次"
	}
	e.Numerator, e.Denominator, e.PeriodRule = splitDefinition(f.Definition)
	if e.Kind == "count" && e.Numerator == "" {
		e.Numerator = f.Definition
	}
	if e.Current && e.PeriodRule == "" {
		e.PeriodRule = "当前数，不分期间：按请求时的记录状态计算"
	}
	return e
}

// IsCurrent reports whether f is a current count (its definition says
// 不分期间): its value does not depend on the chosen period.
func IsCurrent(f Figure) bool { return strings.Contains(f.Definition, "不分期间") }

// splitDefinition finds the 分子：, 分母： and 期间 parts of a definition.
func splitDefinition(def string) (num, den, period string) {
	part := func(mark string) string {
		i := strings.Index(def, mark)
		if i < 0 {
			return ""
		}
		rest := def[i+len(mark):]
		end := len(rest)
		for _, stop := range []string{"；分母", "；分子", "。期间", "；期间", "。"} {
			if j := strings.Index(rest, stop); j >= 0 && j < end {
				end = j
			}
		}
		return strings.TrimSpace(rest[:end])
	}
	num, den = part("分子："), part("分母：")
	if num == "" && den == "" {
		// "X率 = A ÷ B × 100%。…"
		if eq := strings.IndexAny(def, "=＝"); eq >= 0 {
			if div := strings.Index(def, "÷"); div > eq {
				num = strings.TrimSpace(def[eq+1 : div])
				rest := def[div+len("÷"):]
				if end := strings.IndexAny(rest, "×。；"); end >= 0 {
					rest = rest[:end]
				}
				den = strings.TrimSpace(rest)
			}
		}
	}
	if i := strings.Index(def, "期间："); i >= 0 {
		period = strings.TrimSpace(def[i+len("期间："):])
	} else if i := strings.Index(def, "期间"); i >= 0 && (num != "" || den != "") {
		period = strings.TrimSpace(def[i:])
	}
	return
}

// Catalogue describes every figure the actor in ctx may see, as its
// providers compute it for q (links and definitions carry q's period and
// unit), in registration order.
func (r *Registry) Catalogue(ctx context.Context, q Query) ([]Entry, error) {
	ps, got, err := r.run(ctx, q, nil)
	if err != nil {
		return nil, err
	}
	out := []Entry{}
	seen := map[string]bool{}
	for i, fs := range got {
		for _, f := range fs {
			if seen[f.Code] {
				continue
			}
			seen[f.Code] = true
			out = append(out, Describe(f, ps[i].perm))
		}
	}
	return out, nil
}

// Evaluate computes the one figure code for q, running only the provider
// that computes it. A code the actor may not see (or that no provider
// returns, or that its provider leaves out for this actor) is not found.
func (r *Registry) Evaluate(ctx context.Context, code string, q Query) (Figure, error) {
	p, err := r.providerOf(ctx, code)
	if err != nil {
		return Figure{}, err
	}
	fs, err := p.p(ctx, q)
	if err != nil {
		return Figure{}, err
	}
	for _, f := range fs {
		if f.Code == code {
			return f, nil
		}
	}
	// The provider leaves it out for this actor (a figure shown only with
	// a further permission).
	return Figure{}, apperr.New(apperr.NotFound, "指标“%s”不存在或无权查看", clip(code))
}

// providerOf finds the provider of code that the actor in ctx may run.
func (r *Registry) providerOf(ctx context.Context, code string) (registered, error) {
	notFound := apperr.New(apperr.NotFound, "指标“%s”不存在或无权查看", clip(code))
	a := auth.From(ctx)
	r.mu.Lock()
	i, ok := r.owner[code]
	var p registered
	if ok {
		p = r.providers[i]
	}
	r.mu.Unlock()
	if ok {
		if !a.Can(p.perm) {
			return registered{}, notFound
		}
		return p, nil
	}
	// Not seen yet: run the providers the actor may see once (this fills
	// the owner map for every code they return).
	if _, _, err := r.run(ctx, Query{}, nil); err != nil {
		return registered{}, err
	}
	r.mu.Lock()
	i, ok = r.owner[code]
	if ok {
		p = r.providers[i]
	}
	r.mu.Unlock()
	if !ok || !a.Can(p.perm) {
		return registered{}, notFound
	}
	return p, nil
}
