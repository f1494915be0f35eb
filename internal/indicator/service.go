package indicator

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/files"
	"fazhi/internal/platform/option"
)

var label = option.Label

// Units resolves org units (org's unscoped lookups, adapted at wiring).
type Units interface {
	UnitNamePath(ctx context.Context, id int64) (name, path string, err error)
	UnitByNameOrCode(ctx context.Context, nameOrCode string) (id int64, name, path string, err error)
}

// Deps are what the service reaches outside its tables. Figures is the
// metric registry's Figures (bound items are scored from it, called with
// a system actor); Reviewers lists the 司法局 users who review submitted
// self-assessments; Files stores evidence. Any may be nil in unit tests.
type Deps struct {
	Units     Units
	Files     *files.Service
	Figures   metric.Provider
	Reviewers func(ctx context.Context) ([]int64, error)
}

// Service holds every indicator rule.
type Service struct {
	db    *db.DB
	st    Store
	cal   *calendar.Calendar
	rules *calendar.Registry
	deps  Deps
	now   func() time.Time
}

// reviewRule is the 司法局's review period (not statutory; configurable).
var reviewRule = calendar.Rule{Name: RuleReview, Label: "示范创建指标自评复核",
	Basis:  "本区示范创建工作方案（复核期限未经确认，默认提交之日起十个工作日，可配置）",
	Period: calendar.Period{N: 10, Unit: calendar.WorkingDays}}

// OwnerType is the files engine's owner type of assignment evidence.
const OwnerType = "indicator_assignment"

// NewService builds the service and registers its calendar rule when the
// registry lacks it.
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, deps Deps) (*Service, error) {
	if _, err := rules.Get(RuleReview); err != nil {
		if err := rules.Register(reviewRule); err != nil {
			return nil, err
		}
	}
	s := &Service{db: d, cal: cal, rules: rules, deps: deps, now: time.Now}
	if deps.Files != nil {
		deps.Files.RegisterOwner(OwnerType, "示范创建指标任务", s.fileOwner)
	}
	return s, nil
}

// SetNow replaces the wall clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time     { return clock.Now(ctx, s.now) }
func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

func (s *Service) audit(ctx context.Context, q db.Querier, action, objType string, id, unit int64, summary string, before, after any) error {
	return audit.Record(ctx, q, audit.Event{Action: "indicator." + action, ObjectType: objType, ObjectID: fmt.Sprint(id), UnitID: unit,
		Summary: summary, Before: before, After: after})
}

// ---- frameworks ----

// FrameworkDetail is a framework with its tree.
type FrameworkDetail struct {
	Framework
	Items []Item `json:"items"`
}

// Frameworks lists every framework revision.
func (s *Service) Frameworks(ctx context.Context) ([]Framework, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.frameworks(ctx, s.db)
}

// Framework reads one revision with its tree.
func (s *Service) Framework(ctx context.Context, id int64) (*FrameworkDetail, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	f, err := s.st.framework(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	items, err := s.st.items(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	return &FrameworkDetail{Framework: *f, Items: items}, nil
}

// EnsureDefault installs the shipped framework when no revision of it
// exists (first start, demo).
func (s *Service) EnsureDefault(ctx context.Context) (int64, error) {
	id, _, err := s.st.latestRevision(ctx, s.db, DefaultCode)
	if err != nil || id != 0 {
		return id, err
	}
	items, probs := itemsFromRows(defaultRows)
	if len(probs) > 0 {
		return 0, fmt.Errorf("indicator: default framework: %v", probs)
	}
	f := &Framework{Code: DefaultCode, Name: DefaultName, Revision: 1, Builtin: true, Note: defaultNote}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.st.insertFramework(ctx, tx, f, 0, s.clock(ctx)); err != nil {
			return err
		}
		if _, err := s.st.insertItems(ctx, tx, f.ID, items); err != nil {
			return err
		}
		return s.audit(ctx, tx, "framework.create", "indicator_framework", f.ID, 0, "安装默认指标体系 "+f.Name, nil, nil)
	})
	if apperr.Is(err, apperr.Conflict) { // another process installed it at the same moment
		id, _, err = s.st.latestRevision(ctx, s.db, DefaultCode)
		return id, err
	}
	return f.ID, err
}

// itemProblem is one bad row of a framework table (import or default).
type itemProblem struct {
	Row           int
	Field, Reason string
}

// maxText bounds free text in items.
const maxText = 2000

// itemsFromRows checks a framework table and turns it into items (parents
// resolved by code, ParentID holding the row index + 1 of the parent until
// insertItems maps it). Every problem is reported.
func itemsFromRows(rows []row) ([]Item, []itemProblem) {
	var probs []itemProblem
	add := func(i int, field, format string, args ...any) {
		probs = append(probs, itemProblem{Row: i, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	level := map[string]int{}
	idx := map[string]int{}
	items := make([]Item, 0, len(rows))
	for i, r := range rows {
		r.Code, r.Title, r.Parent = strings.TrimSpace(r.Code), strings.TrimSpace(r.Title), strings.TrimSpace(r.Parent)
		it := Item{ID: int64(i + 1), Level: r.Level, Code: r.Code, Title: r.Title, Description: r.Desc, Kind: r.Kind, Points: r.Points,
			Method: r.Method, PerOccurrence: r.PerOccurrence, Cap: r.Cap, FigureCode: strings.TrimSpace(r.Figure), FullAt: r.FullAt, ZeroAt: r.ZeroAt,
			Evidence: strings.Join(evidenceLines(strings.ReplaceAll(strings.ReplaceAll(r.Evidence, "；", "\n"), "\r", "")), "\n")}
		if it.Kind == "" {
			it.Kind = KindNormal
		}
		if it.Method == "" {
			it.Method = MethodManual
			if it.FigureCode != "" {
				it.Method = MethodThreshold
			}
		}
		if it.Code == "" {
			add(i, "code", "编号不能为空")
		} else if _, dup := idx[it.Code]; dup {
			add(i, "code", "编号「%s」重复", it.Code)
		} else if utf8.RuneCountInString(it.Code) > 20 {
			add(i, "code", "编号不能超过 20 个字")
		}
		if it.Level < 1 || it.Level > 3 {
			add(i, "level", "层级应为 1、2 或 3")
		}
		if it.Level > 1 {
			pl, ok := level[r.Parent]
			switch {
			case r.Parent == "":
				add(i, "parent", "%d 级指标须填写上级编号", it.Level)
			case !ok:
				add(i, "parent", "上级编号「%s」不在本行之前", r.Parent)
			case pl != it.Level-1:
				add(i, "parent", "上级「%s」是 %d 级指标，%d 级指标的上级应为 %d 级", r.Parent, pl, it.Level, it.Level-1)
			default:
				it.ParentID = int64(idx[r.Parent] + 1)
			}
		} else if r.Parent != "" {
			add(i, "parent", "一级指标不填上级编号")
		}
		if it.Title == "" {
			add(i, "title", "指标名称不能为空")
		}
		for f, v := range map[string]string{"title": it.Title, "description": it.Description, "evidence": it.Evidence} {
			if utf8.RuneCountInString(v) > maxText {
				add(i, f, "内容过长（不超过 %d 字）", maxText)
			}
			if strings.ContainsRune(v, 0) {
				add(i, f, "含有无效字符")
			}
		}
		probs = append(probs, checkItem(i, it)...)
		if it.Level < 3 { // headings carry no scoring of their own
			it.Kind, it.Method, it.Points, it.PerOccurrence, it.Cap, it.FigureCode, it.FullAt, it.ZeroAt = KindNormal, MethodManual, 0, 0, 0, "", 0, 0
		}
		if it.Code != "" {
			level[it.Code], idx[it.Code] = it.Level, i
		}
		items = append(items, it)
	}
	return items, probs
}

// checkItem checks an item's scoring fields (row i for reports).
func checkItem(i int, it Item) []itemProblem {
	var probs []itemProblem
	add := func(field, format string, args ...any) {
		probs = append(probs, itemProblem{Row: i, Field: field, Reason: fmt.Sprintf(format, args...)})
	}
	if label(Kinds, it.Kind) == it.Kind {
		add("kind", "类型应为：%s", option.Joined(Kinds))
	}
	if label(Methods, it.Method) == it.Method {
		add("method", "评分方法应为：%s", option.Joined(Methods))
	}
	for f, v := range map[string]float64{"points": it.Points, "per_occurrence": it.PerOccurrence, "cap": it.Cap} {
		if v < 0 || v > 1000 || math.IsNaN(v) || math.IsInf(v, 0) {
			add(f, "应为 0 至 1000 之间的数")
		}
	}
	if it.Level != 3 {
		return probs
	}
	if it.Kind == KindNormal && it.Points <= 0 {
		add("points", "计分项的分值应大于 0")
	}
	if it.Method == MethodDeduction && it.PerOccurrence <= 0 {
		add("per_occurrence", "按次扣分须填写每次扣分")
	}
	if it.Kind == KindDeduction && it.PerOccurrence <= 0 {
		add("per_occurrence", "扣分项须填写每次扣分")
	}
	if it.Method == MethodThreshold && it.FigureCode == "" {
		add("figure_code", "数据阈值评分须绑定数据指标")
	}
	if it.Method == MethodChecklist && len(evidenceLines(it.Evidence)) == 0 {
		add("evidence", "对照清单评分须填写佐证材料清单")
	}
	if it.FigureCode != "" && (strings.ContainsAny(it.FigureCode, " \t\x00") || utf8.RuneCountInString(it.FigureCode) > 100) {
		add("figure_code", "数据指标代码无效")
	}
	for f, v := range map[string]float64{"full_at": it.FullAt, "zero_at": it.ZeroAt} {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e9 {
			add(f, "阈值无效")
		}
	}
	return probs
}

// ItemInput edits one item. Version is the framework's.
type ItemInput struct {
	Version       int64   `json:"version"`
	Title         string  `json:"title"`
	Description   string  `json:"description"`
	Kind          string  `json:"kind"`
	Points        float64 `json:"points"`
	Method        string  `json:"method"`
	PerOccurrence float64 `json:"per_occurrence"`
	Cap           float64 `json:"cap"`
	FigureCode    string  `json:"figure_code"`
	FullAt        float64 `json:"full_at"`
	ZeroAt        float64 `json:"zero_at"`
	Evidence      string  `json:"evidence"`
}

// UpdateItem edits one item. A framework revision used by any campaign is
// never changed: the edit makes a new revision (a copy with the change),
// which later campaigns use; the old one stays as it was for the
// campaigns that used it. It returns the revision that holds the edit.
func (s *Service) UpdateItem(ctx context.Context, frameworkID, itemID int64, in ItemInput) (*FrameworkDetail, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	var out int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		f, err := s.st.framework(ctx, tx, frameworkID)
		if err != nil {
			return err
		}
		if f.Version != in.Version {
			return apperr.New(apperr.Conflict, "指标体系已被他人修改，请刷新后重试")
		}
		if f.Superseded {
			return apperr.New(apperr.Precondition, "该版本已有更新版本，请在最新版本上修改")
		}
		items, err := s.st.items(ctx, tx, frameworkID)
		if err != nil {
			return err
		}
		pos := -1
		for i, it := range items {
			if it.ID == itemID {
				pos = i
			}
		}
		if pos < 0 {
			return apperr.New(apperr.NotFound, "指标不存在")
		}
		before := items[pos]
		it := before
		it.Title, it.Description, it.Kind, it.Points, it.Method = strings.TrimSpace(in.Title), in.Description, in.Kind, in.Points, in.Method
		it.PerOccurrence, it.Cap, it.FigureCode, it.FullAt, it.ZeroAt = in.PerOccurrence, in.Cap, strings.TrimSpace(in.FigureCode), in.FullAt, in.ZeroAt
		it.Evidence = strings.Join(evidenceLines(in.Evidence), "\n")
		if it.Level < 3 {
			it.Kind, it.Method, it.Points, it.PerOccurrence, it.Cap, it.FigureCode, it.FullAt, it.ZeroAt = KindNormal, MethodManual, 0, 0, 0, "", 0, 0
		}
		var v apperr.Fields
		if it.Title == "" {
			v.Add("title", "指标名称不能为空")
		}
		for _, field := range []string{it.Title, it.Description, it.Evidence} {
			if utf8.RuneCountInString(field) > maxText || strings.ContainsRune(field, 0) {
				v.Add("description", "内容过长或含有无效字符")
			}
		}
		for _, p := range checkItem(0, it) {
			v.Add(p.Field, "%s", p.Reason)
		}
		if err := v.Err(); err != nil {
			return err
		}
		at := s.clock(ctx)
		if f.Campaigns == 0 {
			if ok, err := s.st.bumpFramework(ctx, tx, f.ID, in.Version, at); err != nil || !ok {
				if err == nil {
					err = apperr.New(apperr.Conflict, "指标体系已被他人修改，请刷新后重试")
				}
				return err
			}
			out = f.ID
			if err := s.st.saveItem(ctx, tx, it); err != nil {
				return err
			}
			return s.audit(ctx, tx, "item.update", "indicator_item", it.ID, 0, fmt.Sprintf("修改指标 %s %s", it.Code, it.Title), before, it)
		}
		// Used by a campaign: a new revision carries the change.
		_, rev, err := s.st.latestRevision(ctx, tx, f.Code)
		if err != nil {
			return err
		}
		nf := &Framework{Code: f.Code, Name: f.Name, Revision: rev + 1, BasedOn: f.ID, Builtin: f.Builtin, Note: f.Note}
		if err := s.st.insertFramework(ctx, tx, nf, a.UserID, at); err != nil {
			return err
		}
		items[pos] = it
		if _, err := s.st.insertItems(ctx, tx, nf.ID, items); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE indicator_frameworks SET superseded = 1, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", at.UTC(), f.ID, in.Version); err != nil {
			return err
		}
		out = nf.ID
		return s.audit(ctx, tx, "framework.revise", "indicator_framework", nf.ID, 0,
			fmt.Sprintf("指标体系 %s 第 %d 版已用于测评，修改指标 %s 生成第 %d 版", f.Name, f.Revision, it.Code, nf.Revision), before, it)
	})
	if err != nil {
		return nil, err
	}
	return s.Framework(ctx, out)
}
