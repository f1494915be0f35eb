package report

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"fazhi/internal/metric"
)

// The template: the five required parts (DOMAIN.md §2.7, 厅字〔2019〕28号)
// with narrative paragraphs whose figures are placeholders {{metric.code}}
// filled from the metric registry. "%UNIT%" and "%YEAR%" / "%NEXT%" are
// replaced once, when the report is generated.
type tplSection struct {
	key, heading string
	paras        []string
	sub          []tplSection
}

// Section keys of the five required parts.
const (
	SecPreamble     = "preamble"
	SecMeasures     = "measures"
	SecDuty         = "duty"
	SecShortcomings = "shortcomings"
	SecPlans        = "plans"
	SecOther        = "other"
)

// RequiredHeadings are the five parts' headings in the required order.
var RequiredHeadings = []string{
	"主要举措和成效",
	"党政主要负责人履行推进法治建设第一责任人职责情况",
	"存在的不足和原因",
	"下一年度工作安排",
	"其他需要报告的情况",
}

var template = []tplSection{
	{key: SecPreamble, paras: []string{
		"%YEAR%年，%UNIT%坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面落实《法治政府建设实施纲要（2021—2025年）》，统筹推进依法行政各项工作，法治政府建设取得新进展。现将有关情况报告如下。",
	}},
	{key: SecMeasures, heading: RequiredHeadings[0], sub: []tplSection{
		{key: "decision", heading: "坚持依法科学民主决策", paras: []string{
			"严格落实《重大行政决策程序暂行条例》，重大行政决策经合法性审查的比例为{{decision.legal_review_rate}}。健全合法性审查机制，合法性审查按时办结率{{legalreview.on_time_rate}}，审查意见采纳率{{legalreview.adoption_rate}}。",
			"加强规范性文件监督管理，规范性文件报送备案及时率{{normdoc.filed_on_time_rate}}，备案审查通过率{{normdoc.filing_review_pass_rate}}。",
		}},
		{key: "enforcement", heading: "严格规范公正文明执法", paras: []string{
			"加强行政执法队伍建设，持证执法人员{{enforcement.certified_officers}}。全年办理行政处罚案件{{enforcement.cases_penalty}}、行政检查{{enforcement.cases_inspection}}，重大执法决定法制审核率{{enforcement.major_review_rate}}，执法决定按期公示率{{enforcement.disclosure_on_time_rate}}。",
			"优化法治化营商环境，涉企处罚决定前报备率{{enforcement.enterprise_report_rate}}，适用不罚轻罚清单办理案件{{enforcement.leniency_applied}}。推行“双随机、一公开”监管，完成抽查{{randominspection.checks_done}}，抽查结果按期公示率{{randominspection.published_on_time_rate}}。",
		}},
		{key: "disputes", heading: "依法有效化解社会矛盾纠纷", paras: []string{
			"发挥行政复议化解行政争议主渠道作用，收到行政复议申请{{reconsideration.received_count}}，审结{{reconsideration.concluded_count}}，纠错率{{reconsideration.correction_rate}}。",
			"规范行政应诉工作，行政应诉收案{{litigation.received_count}}，行政机关负责人出庭应诉率{{litigation.head_in_court_rate}}，按期答辩举证率{{litigation.defence_on_time_rate}}，行政诉讼败诉率{{litigation.loss_rate}}。",
			"坚持和发展新时代“枫桥经验”，人民调解案件{{mediation.case_count}}，调解成功率{{mediation.success_rate}}。",
		}},
		{key: "openness", heading: "推进政务公开和法律顾问工作", paras: []string{
			"收到依申请公开申请{{disclosure.received}}，按期答复率{{disclosure.on_time_rate}}。法律顾问覆盖率{{counsel.coverage_rate}}，法律顾问出具法律意见{{counsel.opinion_count}}。",
		}},
	}},
	{key: SecDuty, heading: RequiredHeadings[1], paras: []string{
		"%UNIT%党政主要负责人切实履行推进法治建设第一责任人职责，坚持重大工作亲自部署、重大问题亲自过问、重点环节亲自协调、重要任务亲自督办，将法治建设纳入年度工作要点和绩效考核，定期听取法治建设工作汇报。",
		"坚持领导干部带头尊法学法守法用法，落实政府常务会议会前学法制度，带头出庭应诉，行政机关负责人出庭应诉率{{litigation.head_in_court_rate}}。",
	}},
	{key: SecShortcomings, heading: RequiredHeadings[2], paras: []string{
		"一是问题整改仍需加力。截至统计期末，问题台账中未销号问题{{finding.open_count}}，其中超期未整改{{finding.overdue_count}}，问题按期整改销号率{{finding.closed_on_time_rate}}。",
		"二是执法规范化水平有待提升。执法监督规则预警中尚未纠正的有{{enforcement.rule_hits_open}}，个别执法人员程序意识不强。",
		"主要原因：一些单位对法治建设重要性认识不够，法治工作力量不足，基层执法人员专业能力与新形势新任务的要求还有差距。",
	}},
	{key: SecPlans, heading: RequiredHeadings[3], paras: []string{
		"%NEXT%年，%UNIT%将着力抓好以下工作：一是深入学习贯彻习近平法治思想，压实法治建设第一责任人职责；二是严格落实重大行政决策程序和合法性审查制度；三是全面推进严格规范公正文明执法，加强行政执法监督；四是抓好问题整改，逐项对账销号。",
	}},
	{key: SecOther, heading: RequiredHeadings[4], paras: []string{
		"无其他需要报告的情况。",
	}},
}

// placeholder matches {{metric.code}}.
var placeholder = regexp.MustCompile(`\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}`)

// Codes returns the metric codes the text refers to, in order, once each.
func Codes(text string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

// TemplateCodes are every metric code the template refers to.
func TemplateCodes() []string {
	var out []string
	var walk func([]tplSection)
	walk = func(ss []tplSection) {
		for _, s := range ss {
			for _, p := range s.paras {
				for _, c := range Codes(p) {
					if !slices.Contains(out, c) {
						out = append(out, c)
					}
				}
			}
			walk(s.sub)
		}
	}
	walk(template)
	return out
}

// generate builds the sections from the template for a unit and year.
func generate(unitName string, year int) []Section {
	r := strings.NewReplacer("%UNIT%", unitName, "%YEAR%", strconv.Itoa(year), "%NEXT%", strconv.Itoa(year+1))
	var build func(prefix string, ts []tplSection) []Section
	build = func(prefix string, ts []tplSection) []Section {
		out := make([]Section, 0, len(ts))
		for _, t := range ts {
			s := Section{Key: prefix + t.key, Heading: t.heading, Paragraphs: []Paragraph{}}
			for i, p := range t.paras {
				s.Paragraphs = append(s.Paragraphs, Paragraph{Key: fmt.Sprintf("%s%s.%d", prefix, t.key, i+1), Text: r.Replace(p)})
			}
			s.Sub = build(prefix+t.key+".", t.sub)
			out = append(out, s)
		}
		return out
	}
	return build("", template)
}

// merge keeps the edited paragraphs of old in fresh (by key; an edited
// paragraph the template no longer has stays at the end of its section).
func merge(fresh, old []Section) []Section {
	edited := map[string]Paragraph{}
	walkParas(old, func(p *Paragraph) {
		if p.Edited {
			edited[p.Key] = *p
		}
	})
	var apply func(ss []Section, olds []Section) []Section
	apply = func(ss []Section, olds []Section) []Section {
		for i := range ss {
			seen := map[string]bool{}
			for j := range ss[i].Paragraphs {
				if e, ok := edited[ss[i].Paragraphs[j].Key]; ok {
					ss[i].Paragraphs[j] = e
				}
				seen[ss[i].Paragraphs[j].Key] = true
			}
			if k := slices.IndexFunc(olds, func(o Section) bool { return o.Key == ss[i].Key }); k >= 0 {
				for _, p := range olds[k].Paragraphs {
					if p.Edited && !seen[p.Key] {
						ss[i].Paragraphs = append(ss[i].Paragraphs, p)
					}
				}
				ss[i].Sub = apply(ss[i].Sub, olds[k].Sub)
			} else {
				ss[i].Sub = apply(ss[i].Sub, nil)
			}
		}
		return ss
	}
	return apply(fresh, old)
}

func walkParas(ss []Section, fn func(p *Paragraph)) {
	for i := range ss {
		for j := range ss[i].Paragraphs {
			fn(&ss[i].Paragraphs[j])
		}
		walkParas(ss[i].Sub, fn)
	}
}

// FigureText is how a figure is written into the report: "96.3%", "125件",
// "—" when there is nothing to compute it from.
func FigureText(f metric.Figure) string {
	if f.NoData {
		return "—"
	}
	v := strconv.FormatFloat(f.Value, 'f', -1, 64)
	if f.Value == math.Trunc(f.Value) {
		v = strconv.FormatFloat(f.Value, 'f', 0, 64)
	} else if f.Unit == "%" {
		v = strconv.FormatFloat(f.Value, 'f', 1, 64)
	}
	return v + f.Unit
}

// sources turns the registry's figures into the report's sources.
func sources(figs []metric.Figure, q metric.Query, unitName string) map[string]Source {
	out := make(map[string]Source, len(figs))
	for _, f := range figs {
		out[f.Code] = Source{Code: f.Code, Name: f.Name, Unit: f.Unit, Value: f.Value, Numerator: f.Numerator, Denominator: f.Denominator,
			NoData: f.NoData, Text: FigureText(f), From: q.From, To: q.To, UnitID: q.UnitID, UnitName: unitName, Link: f.Link, Definition: f.Definition}
	}
	return out
}

// render fills every paragraph's placeholders from figs.
func render(ss []Section, figs map[string]Source) {
	walkParas(ss, func(p *Paragraph) { p.Rendered, p.Parts = renderText(p.Text, figs) })
}

func renderText(text string, figs map[string]Source) (string, []Part) {
	var b strings.Builder
	parts := []Part{}
	last := 0
	for _, m := range placeholder.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > last {
			parts = append(parts, Part{Text: text[last:m[0]]})
			b.WriteString(text[last:m[0]])
		}
		code := text[m[2]:m[3]]
		v := "—"
		if f, ok := figs[code]; ok {
			v = f.Text
		}
		parts = append(parts, Part{Text: v, Code: code})
		b.WriteString(v)
		last = m[1]
	}
	if last < len(text) {
		parts = append(parts, Part{Text: text[last:]})
		b.WriteString(text[last:])
	}
	return b.String(), parts
}

// Flat is one paragraph with the headings above it, in document order.
type Flat struct {
	Key      string `json:"key"`
	Heading  string `json:"heading"`
	Rendered string `json:"rendered"`
}

func flatten(ss []Section) []Flat {
	var out []Flat
	var walk func(ss []Section, heading string)
	walk = func(ss []Section, heading string) {
		for _, s := range ss {
			h := heading
			if s.Heading != "" {
				h = strings.TrimPrefix(heading+" › "+s.Heading, " › ")
			}
			for _, p := range s.Paragraphs {
				out = append(out, Flat{Key: p.Key, Heading: h, Rendered: p.Rendered})
			}
			walk(s.Sub, h)
		}
	}
	walk(ss, "")
	return out
}
