package calendar

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"fazhi/internal/platform/apperr"
)

// Unit says how a period is counted.
type Unit string

const (
	WorkingDays  Unit = "working_days"  // 工作日: skip weekends and holidays, count make-up days
	CalendarDays Unit = "calendar_days" // 日: every day counts; a non-working last day moves forward
	Months       Unit = "months"        // 月: same day N months later; a non-working last day moves forward
)

// Label returns the Chinese name of the unit as used in explanations.
func (u Unit) Label() string {
	switch u {
	case WorkingDays:
		return "工作日"
	case CalendarDays:
		return "日"
	case Months:
		return "个月"
	}
	return string(u)
}

// Method returns the Chinese description of the counting method.
func (u Unit) Method() string {
	switch u {
	case WorkingDays:
		return "按工作日计算，不含法定节假日和周末，调休上班日计入"
	case CalendarDays:
		return "按日计算，期间届满日为法定休假日的顺延至其后第一个工作日"
	case Months:
		return "按月计算，到期月的对应日为届满日（无对应日的为月末），届满日为法定休假日的顺延"
	}
	return ""
}

// Period is an amount of time in one unit.
type Period struct {
	N    int  `json:"n"`
	Unit Unit `json:"unit"`
}

// maxPeriodDays bounds periods so that a typo cannot make the engine walk
// decades of days: ten years is longer than any statutory period.
const maxPeriodDays = 3660

// Validate checks that the period is positive, bounded and of a known unit.
func (p Period) Validate() error {
	switch p.Unit {
	case WorkingDays, CalendarDays:
		if p.N < 1 || p.N > maxPeriodDays {
			return apperr.Field("period", "期限天数应在 1 到 %d 之间，当前为 %d", maxPeriodDays, p.N)
		}
	case Months:
		if p.N < 1 || p.N > 120 {
			return apperr.Field("period", "期限月数应在 1 到 120 之间，当前为 %d", p.N)
		}
	default:
		return apperr.Field("unit", "计算方式“%s”无效，应为 working_days、calendar_days 或 months", p.Unit)
	}
	return nil
}

// String formats the period in Chinese: "20 个工作日", "60 日", "6 个月".
func (p Period) String() string {
	if p.Unit == WorkingDays {
		return fmt.Sprintf("%d 个工作日", p.N)
	}
	return fmt.Sprintf("%d %s", p.N, p.Unit.Label())
}

// Rule is a named statutory period. Modules refer to rules by Name only, so a
// province's configuration can change the period without touching code.
type Rule struct {
	Name   string `json:"name"`  // e.g. "disclosure.reply"
	Label  string `json:"label"` // Chinese, e.g. "依申请公开答复"
	Basis  string `json:"basis"` // legal basis, e.g. "《政府信息公开条例》第三十三条"
	Period Period `json:"period"`
	// Minimum marks a period that is a floor, not a deadline (public comment
	// "不少于30日", legality review "不少于7个工作日"): the computed date is the
	// earliest day the step may end.
	Minimum bool `json:"minimum,omitempty"`
	// Overridden is set when configuration changed the shipped period.
	Overridden bool `json:"overridden,omitempty"`
}

// Registry holds the named rules. It is safe for concurrent use.
type Registry struct {
	mu    sync.RWMutex
	rules map[string]Rule
	base  map[string]Period // shipped or registered period, before overrides
}

const (
	lawDisclosure     = "《政府信息公开条例》"
	lawReconsider     = "《行政复议法》"
	lawPenalty        = "《行政处罚法》"
	lawLitigation     = "《行政诉讼法》"
	lawDecision       = "《重大行政决策程序暂行条例》"
	noticeThreeSystem = "《国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见》（国办发〔2018〕118号）"
)

// defaultRules are the shipped rules (DOMAIN.md §2, §3). 行政复议法 art. 88
// makes its 3/5/7/10-day periods working days; its other periods are counted
// under 民事诉讼法 as calendar days.
var defaultRules = []Rule{
	{Name: "disclosure.reply", Label: "依申请公开答复", Basis: lawDisclosure + "第三十三条第二款", Period: Period{20, WorkingDays}},
	{Name: "disclosure.reply_extension", Label: "依申请公开答复延期", Basis: lawDisclosure + "第三十三条第二款（经信息公开工作机构负责人同意，最长 20 个工作日）", Period: Period{20, WorkingDays}},
	{Name: "disclosure.correction_notice", Label: "依申请公开补正告知", Basis: lawDisclosure + "第三十条", Period: Period{7, WorkingDays}},
	{Name: "disclosure.third_party", Label: "征求第三方意见", Basis: lawDisclosure + "第三十二条（所需时间不计入答复期限）", Period: Period{15, WorkingDays}},
	{Name: "reconsideration.accept", Label: "行政复议受理审查", Basis: lawReconsider + "第三十条、第八十八条", Period: Period{5, WorkingDays}},
	{Name: "reconsideration.correction_notice", Label: "行政复议补正通知", Basis: lawReconsider + "第三十一条、第八十八条", Period: Period{5, WorkingDays}},
	{Name: "reconsideration.applicant_correction", Label: "复议申请人补正", Basis: lawReconsider + "第三十一条、第八十八条", Period: Period{10, WorkingDays}},
	{Name: "reconsideration.copy_to_respondent", Label: "向被申请人发送复议申请书副本（普通程序）", Basis: lawReconsider + "第四十八条、第八十八条", Period: Period{7, WorkingDays}},
	{Name: "reconsideration.respondent_reply", Label: "被申请人书面答复并提交证据（普通程序）", Basis: lawReconsider + "第四十八条、第八十八条", Period: Period{10, WorkingDays}},
	{Name: "reconsideration.copy_to_respondent_simple", Label: "向被申请人发送复议申请书副本（简易程序）", Basis: lawReconsider + "第五十四条、第八十八条", Period: Period{3, WorkingDays}},
	{Name: "reconsideration.respondent_reply_simple", Label: "被申请人书面答复并提交证据（简易程序）", Basis: lawReconsider + "第五十四条、第八十八条", Period: Period{5, WorkingDays}},
	{Name: "reconsideration.decide", Label: "作出行政复议决定（普通程序）", Basis: lawReconsider + "第六十二条", Period: Period{60, CalendarDays}},
	{Name: "reconsideration.decide_extension", Label: "行政复议决定延期", Basis: lawReconsider + "第六十二条（经复议机构负责人批准，最多 30 日）", Period: Period{30, CalendarDays}},
	{Name: "reconsideration.decide_simple", Label: "作出行政复议决定（简易程序）", Basis: lawReconsider + "第六十二条", Period: Period{30, CalendarDays}},
	{Name: "litigation.defence", Label: "行政应诉答辩举证", Basis: lawLitigation + "第六十七条（收到起诉状副本之日起）", Period: Period{15, CalendarDays}},
	{Name: "penalty.decide", Label: "行政处罚立案后作出决定", Basis: lawPenalty + "第六十条", Period: Period{90, CalendarDays}},
	{Name: "penalty.disclose", Label: "行政许可、行政处罚决定公示", Basis: noticeThreeSystem, Period: Period{7, WorkingDays}},
	{Name: "enforcement.disclose_other", Label: "其他行政执法决定公示", Basis: noticeThreeSystem, Period: Period{20, WorkingDays}},
	{Name: "decision.public_comment", Label: "重大行政决策公开征求意见（不少于）", Basis: lawDecision + "第十五条", Period: Period{30, CalendarDays}, Minimum: true},
	{Name: "legalreview.min", Label: "合法性审查时间（不少于）", Basis: lawDecision + "第二十七条", Period: Period{7, WorkingDays}, Minimum: true},
	{Name: "normdoc.filing", Label: "规范性文件报送备案", Basis: "各省规范性文件备案规定（默认公布之日起 30 日，可按省配置）", Period: Period{30, CalendarDays}},
	{Name: "casereview.notice_reply", Label: "行政执法监督意见书（建议书）答复", Basis: "《行政执法监督条例》（国务院令第825号）及地方规定：被监督单位自收到之日起书面答复整改情况（默认 20 个工作日，条文未逐条核对，可按省配置）", Period: Period{20, WorkingDays}},
	{Name: "randominspection.publish", Label: "双随机抽查结果公示", Basis: "《国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》（国发〔2019〕5号）；国办发〔2018〕118号", Period: Period{20, WorkingDays}},
}

// DefaultRegistry returns a new Registry with the shipped rules. Each call
// returns an independent Registry, so one province's overrides do not leak.
func DefaultRegistry() *Registry {
	r := &Registry{rules: make(map[string]Rule, len(defaultRules)), base: make(map[string]Period, len(defaultRules))}
	for _, rule := range defaultRules {
		r.rules[rule.Name] = rule
		r.base[rule.Name] = rule.Period
	}
	return r
}

// Get returns the rule called name, or a NotFound error naming it.
func (r *Registry) Get(name string) (Rule, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	rule, ok := r.rules[name]
	if !ok {
		return Rule{}, apperr.New(apperr.NotFound, "没有名为“%s”的期限规则", name)
	}
	return rule, nil
}

// All returns every rule, sorted by name.
func (r *Registry) All() []Rule {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Rule, 0, len(r.rules))
	for _, rule := range r.rules {
		out = append(out, rule)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Register adds a rule a module needs (or replaces one with the same name).
func (r *Registry) Register(rule Rule) error {
	var v apperr.Fields
	if rule.Name == "" {
		v.Add("name", "期限规则缺少名称")
	}
	if rule.Label == "" {
		v.Add("label", "期限规则“%s”缺少中文名称", rule.Name)
	}
	if err := rule.Period.Validate(); err != nil {
		for _, f := range apperr.As(err).Fields {
			v.Add(f.Field, "%s", f.Message)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	rule.Overridden = false
	r.rules[rule.Name] = rule
	r.base[rule.Name] = rule.Period
	return nil
}

// Override changes the period of an existing rule, as configured by a
// province or district (for example normdoc.filing = 3 working days).
func (r *Registry) Override(name string, n int, unit Unit) error {
	p := Period{N: n, Unit: unit}
	if err := p.Validate(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	rule, ok := r.rules[name]
	if !ok {
		return apperr.New(apperr.NotFound, "没有名为“%s”的期限规则，无法覆盖", name)
	}
	rule.Period = p
	rule.Overridden = p != r.base[name]
	r.rules[name] = rule
	return nil
}

// Reset drops any override of name and restores its shipped period.
func (r *Registry) Reset(name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	rule, ok := r.rules[name]
	if !ok {
		return apperr.New(apperr.NotFound, "没有名为“%s”的期限规则", name)
	}
	rule.Period, rule.Overridden = r.base[name], false
	r.rules[name] = rule
	return nil
}

// ApplyOverrides applies several overrides; it checks them all first and
// changes nothing if any is bad.
func (r *Registry) ApplyOverrides(overrides map[string]Period) error {
	var v apperr.Fields
	names := make([]string, 0, len(overrides))
	for name := range overrides {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if _, err := r.Get(name); err != nil {
			v.Add(name, "没有名为“%s”的期限规则", name)
			continue
		}
		if err := overrides[name].Validate(); err != nil {
			v.Add(name, "规则“%s”：%s", name, apperr.As(err).Message)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	for _, name := range names {
		p := overrides[name]
		if err := r.Override(name, p.N, p.Unit); err != nil {
			return err
		}
	}
	return nil
}

// ParseOverrides reads configuration of the form
//
//	{"normdoc.filing": {"n": 15, "unit": "working_days"}}
//
// Unknown keys inside a period are rejected so a misspelt "unit" is not
// silently ignored.
func ParseOverrides(data []byte) (map[string]Period, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m map[string]Period
	if err := dec.Decode(&m); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, "期限规则配置不是有效的 JSON：%s", jsonErrorZH(err))
	}
	return m, nil
}
