package enforcement

import (
	"fmt"

	"fazhi/internal/platform/calendar"
)

// Calendar rules the checks count with (shipped in platform/calendar,
// configurable per province like every rule).
const (
	CalDecide         = "penalty.decide"             // 90 days from 立案 (行政处罚法 art. 60)
	CalDisclose       = "penalty.disclose"           // 7 working days: penalty and licence decisions
	CalDiscloseOther  = "enforcement.disclose_other" // 20 working days: other decisions
	onTheSpotPerson   = 200_00                       // 200 元 (行政处罚法 art. 51)
	onTheSpotOrg      = 3_000_00                     // 3,000 元
	ruleFindingPrefix = "执法规则预警："
)

// Rule is one named, versioned automatic check. A change of what a rule
// checks bumps its Version; hits record the version that raised them.
type Rule struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Label   string `json:"label"`
	Basis   string `json:"basis"`
	check   func(e *evaluator, f *facts) (bool, string, error)
}

// Rules are the automatic checks, in display order.
var Rules = []Rule{
	{Name: "enforcement.decision_overdue", Version: 1, Label: "立案后超过 90 日未作出处罚决定且未批准延期",
		Basis: "《行政处罚法》第六十条", check: checkDecisionOverdue},
	{Name: "enforcement.two_officers", Version: 1, Label: "持有效执法证的执法人员少于两人",
		Basis: "《行政处罚法》第四十二条", check: checkTwoOfficers},
	{Name: "enforcement.major_review", Version: 1, Label: "重大执法决定未经法制审核或审核未通过",
		Basis: "《行政处罚法》第五十八条", check: checkMajorReview},
	{Name: "enforcement.disclosure", Version: 1, Label: "执法决定未按期公示（许可、处罚 7 个工作日，其他 20 个工作日）",
		Basis: "国办发〔2018〕118号", check: checkDisclosure},
	{Name: "enforcement.on_the_spot_limit", Version: 1, Label: "当场处罚超过法定限额（自然人 200 元、组织 3,000 元）",
		Basis: "《行政处罚法》第五十一条", check: checkOnTheSpot},
	{Name: "enforcement.hearing_notice", Version: 1, Label: "应当告知听证而未告知",
		Basis: "《行政处罚法》第六十三条", check: checkHearingNotice},
	{Name: "enforcement.lapsed_officer", Version: 1, Label: "执法人员立案时执法证已失效",
		Basis: "《行政处罚法》第四十二条；《行政执法监督条例》", check: checkLapsedOfficer},
	{Name: "enforcement.leniency_excused", Version: 1, Label: "不罚、免罚清单载明的初次、轻微违法仍予处罚",
		Basis: "《行政处罚法》第三十三条；本主体不予处罚、免予处罚清单", check: checkLeniencyExcused},
	{Name: "enforcement.leniency_light_band", Version: 1, Label: "适用轻罚清单但罚款超过从轻处罚上限",
		Basis: "《行政处罚法》第三十二条；本主体从轻处罚清单", check: checkLeniencyLight},
}

func ruleByName(name string) (Rule, bool) {
	for _, r := range Rules {
		if r.Name == name {
			return r, true
		}
	}
	return Rule{}, false
}

func ruleLabel(name string) string {
	if r, ok := ruleByName(name); ok {
		return r.Label
	}
	return name
}

// facts is what the rules read about one case.
type facts struct {
	c            *Case
	today        calendar.Date
	reviewPassed bool          // a passed 法制审核 (only asked for decided major cases)
	leniency     *CaseLeniency // the 不罚/免罚/轻罚 list item the case applies (nil: none)
}

// evaluator computes deadlines through the calendar.
type evaluator struct {
	cal   *calendar.Calendar
	rules *calendar.Registry
	opt   Options
}

func (e *evaluator) due(rule string, from calendar.Date) (calendar.Date, error) {
	r, err := e.rules.Get(rule)
	if err != nil {
		return calendar.Date{}, err
	}
	res, err := e.cal.Compute(r.Period, from)
	return res.Due, err
}

type hitResult struct {
	rule   Rule
	detail string
}

// run evaluates every rule on f.
func (e *evaluator) run(f *facts) ([]hitResult, error) {
	var out []hitResult
	for _, r := range Rules {
		hit, detail, err := r.check(e, f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.Name, err)
		}
		if hit {
			out = append(out, hitResult{rule: r, detail: detail})
		}
	}
	return out, nil
}

func date(s string) calendar.Date {
	d, err := calendar.ParseDate(s)
	if err != nil {
		return calendar.Date{}
	}
	return d
}

func checkDecisionOverdue(e *evaluator, f *facts) (bool, string, error) {
	c := f.c
	if c.Kind != "penalty" || c.Extended || c.Procedure == "on_the_spot" {
		return false, "", nil
	}
	due, err := e.due(CalDecide, date(c.FiledOn))
	if err != nil {
		return false, "", err
	}
	switch {
	case c.DecidedOn != "" && date(c.DecidedOn).After(due):
		return true, fmt.Sprintf("立案 %s，决定 %s，超过办案期限（%s）", c.FiledOn, c.DecidedOn, due), nil
	case c.DecidedOn == "" && f.today.After(due):
		return true, fmt.Sprintf("立案 %s，办案期限 %s 已过，尚未作出决定", c.FiledOn, due), nil
	}
	return false, "", nil
}

func checkTwoOfficers(e *evaluator, f *facts) (bool, string, error) {
	c := f.c
	if c.Kind == "licence" {
		return false, "", nil
	}
	n := 0
	for _, o := range c.Officers {
		if o.ValidOnFiling {
			n++
		}
	}
	if n < 2 {
		return true, fmt.Sprintf("立案时持有效执法证的执法人员 %d 人", n), nil
	}
	return false, "", nil
}

func checkMajorReview(e *evaluator, f *facts) (bool, string, error) {
	if !f.c.Major || f.c.DecidedOn == "" || f.reviewPassed {
		return false, "", nil
	}
	return true, fmt.Sprintf("重大执法决定于 %s 作出，没有通过的法制审核", f.c.DecidedOn), nil
}

func checkDisclosure(e *evaluator, f *facts) (bool, string, error) {
	c := f.c
	if c.DecidedOn == "" {
		return false, "", nil
	}
	due, err := e.due(discloseRule(c.Kind), date(c.DecidedOn))
	if err != nil {
		return false, "", err
	}
	switch {
	case c.DisclosedOn != "" && date(c.DisclosedOn).After(due):
		return true, fmt.Sprintf("决定 %s，%s 公示，晚于公示期限 %s", c.DecidedOn, c.DisclosedOn, due), nil
	case c.DisclosedOn == "" && f.today.After(due):
		return true, fmt.Sprintf("决定 %s，公示期限 %s 已过，尚未公示", c.DecidedOn, due), nil
	}
	return false, "", nil
}

func checkOnTheSpot(e *evaluator, f *facts) (bool, string, error) {
	c := f.c
	if c.Kind != "penalty" || c.Procedure != "on_the_spot" {
		return false, "", nil
	}
	limit := int64(onTheSpotPerson)
	if c.PartyType == "organisation" {
		limit = onTheSpotOrg
	}
	if c.AmountFen > limit {
		return true, fmt.Sprintf("当场处罚 %s 元，超过限额 %s 元", yuan(c.AmountFen), yuan(limit)), nil
	}
	return false, "", nil
}

func checkHearingNotice(e *evaluator, f *facts) (bool, string, error) {
	c := f.c
	if c.Kind != "penalty" || c.Procedure != "general" || c.DecidedOn == "" || c.HearingNoticeOn != "" {
		return false, "", nil
	}
	threshold := e.opt.HearingPersonFen
	if c.PartyType == "organisation" {
		threshold = e.opt.HearingOrgFen
	}
	switch {
	case c.HearingMeasure:
		return true, "拟作出的处罚应当告知听证权利，未登记听证告知", nil
	case c.AmountFen >= threshold:
		return true, fmt.Sprintf("罚款 %s 元达到较大数额（%s 元），未登记听证告知", yuan(c.AmountFen), yuan(threshold)), nil
	}
	return false, "", nil
}

func checkLapsedOfficer(e *evaluator, f *facts) (bool, string, error) {
	for _, o := range f.c.Officers {
		if !o.ValidOnFiling {
			return true, fmt.Sprintf("执法人员 %s（%s）立案日 %s 执法证不在有效期内", o.Name, o.CertNo, f.c.FiledOn), nil
		}
	}
	return false, "", nil
}

// yuan formats fen as yuan (两位小数 only when needed).
func yuan(fen int64) string {
	if fen%100 == 0 {
		return fmt.Sprintf("%d", fen/100)
	}
	return fmt.Sprintf("%d.%02d", fen/100, fen%100)
}

// discloseRule is the calendar rule of a decision's disclosure: 7 working
// days for penalty and licence decisions, 20 for the others.
func discloseRule(kind string) string {
	if kind == "penalty" || kind == "licence" {
		return CalDisclose
	}
	return CalDiscloseOther
}

// checkLeniencyExcused: a decided fine on a case whose linked 不予处罚 or
// 免予处罚 item, in a list version in force on the filing day, excused it
// (the case meets every condition the item names).
func checkLeniencyExcused(e *evaluator, f *facts) (bool, string, error) {
	c, l := f.c, f.leniency
	if l == nil || c.Kind != "penalty" || c.DecidedOn == "" || c.AmountFen <= 0 || (l.Item.Kind != "no_penalty" && l.Item.Kind != "exempt") {
		return false, "", nil
	}
	if !inForceOn(l.EffectiveFrom, l.EffectiveTo, c.FiledOn) || !l.meets() {
		return false, "", nil
	}
	return true, fmt.Sprintf("「%s」第 %d 版第 %d 项「%s」（%s，条件：%s）适用于本案，仍罚款 %s 元", l.ListTitle, l.ListVersion, l.Item.Seq,
		l.Item.Violation, l.Item.KindLabel, l.Item.ConditionsLabel, yuan(c.AmountFen)), nil
}

// checkLeniencyLight: a decided fine above the light band of the linked
// 从轻处罚 item.
func checkLeniencyLight(e *evaluator, f *facts) (bool, string, error) {
	c, l := f.c, f.leniency
	if l == nil || c.Kind != "penalty" || c.DecidedOn == "" || l.Item.Kind != "light" || c.AmountFen <= l.Item.LightMaxFen {
		return false, "", nil
	}
	return true, fmt.Sprintf("适用「%s」第 %d 项「%s」从轻处罚，罚款 %s 元超过上限 %s 元", l.ListTitle, l.Item.Seq, l.Item.Violation,
		yuan(c.AmountFen), yuan(l.Item.LightMaxFen)), nil
}
