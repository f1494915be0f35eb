package casereview

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
)

// Grades of a reviewed file.
const (
	GradeExcellent = "excellent"
	GradePass      = "pass"
	GradeFail      = "fail"
)

// Grades with labels.
var Grades = []Option{{Value: GradeExcellent, Label: "优秀"}, {Value: GradePass, Label: "合格"}, {Value: GradeFail, Label: "不合格"}}

// Effects of a veto item.
const (
	// VetoFail fails the file outright with zero points (基本标准).
	VetoFail = "fail"
	// VetoNoExcellent keeps the file from 优秀 whatever its points
	// (基本要素问题, 一票否决优秀).
	VetoNoExcellent = "no_excellent"
)

// VetoEffects with labels.
var VetoEffects = []Option{{Value: VetoFail, Label: "直接评为不合格（0 分）"}, {Value: VetoNoExcellent, Label: "不得评为优秀"}}

// VetoItem is one 一票否决 item of a rubric.
type VetoItem struct {
	Code   string `json:"code" doc:"否决项代码"`
	Text   string `json:"text" doc:"否决项内容"`
	Effect string `json:"effect" doc:"fail 直接不合格；no_excellent 不得评为优秀"`
}

// DeductionItem is one itemised deduction of a section.
type DeductionItem struct {
	Code   string `json:"code" doc:"扣分项代码"`
	Text   string `json:"text" doc:"扣分项内容"`
	Points int    `json:"points" doc:"每次最多扣分"`
}

// Section is a part of the rubric with its point cap: its deductions
// never take it below zero.
type Section struct {
	Code  string          `json:"code" doc:"部分代码"`
	Name  string          `json:"name" doc:"部分名称，如 卷面、实体、程序"`
	Cap   int             `json:"cap" doc:"本部分分值"`
	Items []DeductionItem `json:"items"`
}

// Definition is a rubric's content, kept as data.
type Definition struct {
	Vetoes   []VetoItem `json:"vetoes"`
	Sections []Section  `json:"sections"`
}

// Rubric is a scoring standard (评查标准) with its grade cut-offs.
type Rubric struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	Definition   Definition `json:"definition"`
	Total        int        `json:"total" doc:"满分（各部分分值之和）"`
	ExcellentMin int        `json:"excellent_min" doc:"优秀分数线（不低于）"`
	PassMin      int        `json:"pass_min" doc:"合格分数线（不低于）"`
	Version      int64      `json:"version"`
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,32}$`)

// Validate checks a rubric: codes unique and well formed, caps positive,
// item points within their section's cap, cut-offs ordered within the
// total. It fills Total.
func (r *Rubric) Validate() error {
	var v apperr.Fields
	r.Name = strings.TrimSpace(r.Name)
	if r.Name == "" || strings.ContainsRune(r.Name, 0) || utf8.RuneCountInString(r.Name) > 100 {
		v.Add("name", "请填写评查标准名称（不超过 100 个字）")
	}
	seen := map[string]bool{}
	code := func(field, c string) {
		switch {
		case !codePattern.MatchString(c):
			v.Add(field, "代码「%s」应为 1–32 位字母、数字或 . _ -", c)
		case seen[c]:
			v.Add(field, "代码「%s」重复", c)
		}
		seen[c] = true
	}
	text := func(field, label, t string) {
		if strings.TrimSpace(t) == "" || strings.ContainsRune(t, 0) || utf8.RuneCountInString(t) > 200 {
			v.Add(field, "请填写%s（不超过 200 个字）", label)
		}
	}
	if len(r.Definition.Vetoes) > 50 || len(r.Definition.Sections) > 20 {
		v.Add("definition", "否决项不能超过 50 项，部分不能超过 20 个")
		return v.Err()
	}
	for i, it := range r.Definition.Vetoes {
		f := fmt.Sprintf("definition.vetoes[%d]", i)
		code(f+".code", it.Code)
		text(f+".text", "否决项内容", it.Text)
		if it.Effect != VetoFail && it.Effect != VetoNoExcellent {
			v.Add(f+".effect", "否决项效力应为 fail（直接不合格）或 no_excellent（不得评为优秀）")
		}
	}
	if len(r.Definition.Sections) == 0 {
		v.Add("definition.sections", "评查标准至少应有一个评分部分")
	}
	r.Total = 0
	for i, s := range r.Definition.Sections {
		f := fmt.Sprintf("definition.sections[%d]", i)
		code(f+".code", s.Code)
		text(f+".name", "部分名称", s.Name)
		if s.Cap < 1 || s.Cap > 1000 {
			v.Add(f+".cap", "部分分值应在 1 至 1000 之间")
		}
		r.Total += s.Cap
		if len(s.Items) == 0 || len(s.Items) > 200 {
			v.Add(f+".items", "每个部分应有 1 至 200 个扣分项")
		}
		for j, it := range s.Items {
			g := fmt.Sprintf("%s.items[%d]", f, j)
			code(g+".code", it.Code)
			text(g+".text", "扣分项内容", it.Text)
			if it.Points < 1 || it.Points > s.Cap {
				v.Add(g+".points", "扣分项分值应在 1 至本部分分值 %d 之间", s.Cap)
			}
		}
	}
	if r.PassMin < 0 || r.PassMin > r.Total {
		v.Add("pass_min", "合格分数线应在 0 至满分 %d 之间", r.Total)
	}
	if r.ExcellentMin <= r.PassMin || r.ExcellentMin > r.Total {
		v.Add("excellent_min", "优秀分数线应高于合格分数线且不超过满分 %d", r.Total)
	}
	return v.Err()
}

func (r *Rubric) encode() string {
	b, _ := json.Marshal(r.Definition)
	return string(b)
}

// VetoHit is a veto item found in a file, with the reviewer's reason.
type VetoHit struct {
	Code   string `json:"code" doc:"否决项代码"`
	Reason string `json:"reason" doc:"认定理由"`
}

// Deduction is one deduction taken, with its reason.
type Deduction struct {
	Code   string `json:"code" doc:"扣分项代码"`
	Points int    `json:"points" doc:"扣分（不超过该项分值；0 按该项分值）"`
	Reason string `json:"reason" doc:"扣分理由"`
}

// SectionScore is a section's result.
type SectionScore struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	Cap      int    `json:"cap"`
	Deducted int    `json:"deducted" doc:"实际扣分（不超过本部分分值）"`
	Score    int    `json:"score"`
}

// Scored is a file's result under a rubric.
type Scored struct {
	Score      int            `json:"score"`
	Grade      string         `json:"grade"`
	GradeLabel string         `json:"grade_label"`
	Vetoed     bool           `json:"vetoed" doc:"有否决项"`
	Sections   []SectionScore `json:"sections"`
	Vetoes     []VetoHit      `json:"vetoes"`
	Deductions []Deduction    `json:"deductions"`
}

// Score applies the rubric: each deduction is checked against its item
// (at most the item's points, a reason required), a section loses at most
// its cap (never below zero), a veto of effect fail makes the file 不合格
// with zero points, a veto of effect no_excellent caps the grade at 合格;
// otherwise the cut-offs decide (score ≥ ExcellentMin 优秀, ≥ PassMin 合格).
func (r *Rubric) Score(vetoes []VetoHit, deductions []Deduction) (Scored, error) {
	var v apperr.Fields
	out := Scored{Vetoes: []VetoHit{}, Deductions: []Deduction{}, Sections: []SectionScore{}}
	vetoBy := map[string]VetoItem{}
	for _, it := range r.Definition.Vetoes {
		vetoBy[it.Code] = it
	}
	type loc struct {
		section int
		item    DeductionItem
	}
	itemBy := map[string]loc{}
	for i, s := range r.Definition.Sections {
		for _, it := range s.Items {
			itemBy[it.Code] = loc{i, it}
		}
	}
	if len(vetoes) > 50 || len(deductions) > 500 {
		return out, apperr.Field("deductions", "否决项或扣分项过多")
	}
	fail, noExcellent := false, false
	seenVeto := map[string]bool{}
	for i, h := range vetoes {
		f := fmt.Sprintf("vetoes[%d]", i)
		it, ok := vetoBy[h.Code]
		if !ok {
			v.Add(f+".code", "评查标准中没有否决项「%s」", h.Code)
			continue
		}
		if seenVeto[h.Code] {
			v.Add(f+".code", "否决项「%s」重复", it.Text)
			continue
		}
		seenVeto[h.Code] = true
		h.Reason = strings.TrimSpace(h.Reason)
		if h.Reason == "" || strings.ContainsRune(h.Reason, 0) || utf8.RuneCountInString(h.Reason) > 500 {
			v.Add(f+".reason", "请填写否决项「%s」的认定理由（不超过 500 个字）", it.Text)
		}
		fail = fail || it.Effect == VetoFail
		noExcellent = noExcellent || it.Effect == VetoNoExcellent
		out.Vetoes = append(out.Vetoes, h)
	}
	deducted := make([]int, len(r.Definition.Sections))
	for i, d := range deductions {
		f := fmt.Sprintf("deductions[%d]", i)
		l, ok := itemBy[d.Code]
		if !ok {
			v.Add(f+".code", "评查标准中没有扣分项「%s」", d.Code)
			continue
		}
		if d.Points == 0 {
			d.Points = l.item.Points
		}
		if d.Points < 0 || d.Points > l.item.Points {
			v.Add(f+".points", "「%s」每次最多扣 %d 分", l.item.Text, l.item.Points)
		}
		d.Reason = strings.TrimSpace(d.Reason)
		if d.Reason == "" || strings.ContainsRune(d.Reason, 0) || utf8.RuneCountInString(d.Reason) > 500 {
			v.Add(f+".reason", "请填写「%s」的扣分理由（不超过 500 个字）", l.item.Text)
		}
		deducted[l.section] += d.Points
		out.Deductions = append(out.Deductions, d)
	}
	if err := v.Err(); err != nil {
		return out, err
	}
	for i, s := range r.Definition.Sections {
		d := min(deducted[i], s.Cap)
		out.Sections = append(out.Sections, SectionScore{Code: s.Code, Name: s.Name, Cap: s.Cap, Deducted: d, Score: s.Cap - d})
		out.Score += s.Cap - d
	}
	out.Vetoed = len(out.Vetoes) > 0
	switch {
	case fail:
		out.Score, out.Grade = 0, GradeFail
	case out.Score >= r.ExcellentMin && !noExcellent:
		out.Grade = GradeExcellent
	case out.Score >= r.PassMin:
		out.Grade = GradePass
	default:
		out.Grade = GradeFail
	}
	out.GradeLabel = labelOf(Grades, out.Grade)
	return out, nil
}

// DefaultRubric is the 行政处罚案卷 standard the demo and a new
// installation start from (DOMAIN.md §4: 基本标准 veto list, 卷面 20 and
// 内容 80 points; cut-offs 90 / 60, to be set per province).
func DefaultRubric() Rubric {
	return Rubric{Name: "行政处罚案卷评查标准（百分制）", ExcellentMin: 90, PassMin: 60, Definition: Definition{
		Vetoes: []VetoItem{
			{Code: "V1", Text: "执法主体不合法或超越职权", Effect: VetoFail},
			{Code: "V2", Text: "执法人员无执法资格或少于 2 人", Effect: VetoFail},
			{Code: "V3", Text: "主要事实不清、证据不足", Effect: VetoFail},
			{Code: "V4", Text: "适用法律错误或定性错误", Effect: VetoFail},
			{Code: "V5", Text: "违反法定程序（应听证未告知听证等）", Effect: VetoFail},
			{Code: "V6", Text: "涉嫌犯罪应移送而未移送", Effect: VetoFail},
			{Code: "V7", Text: "重大执法决定未经法制审核", Effect: VetoNoExcellent},
		},
		Sections: []Section{
			{Code: "A", Name: "卷面与立卷", Cap: 20, Items: []DeductionItem{
				{Code: "A1", Text: "未使用规范文书格式", Points: 2},
				{Code: "A2", Text: "未做到一案一卷", Points: 3},
				{Code: "A3", Text: "卷内目录、页码缺失或错误", Points: 2},
				{Code: "A4", Text: "文书排列顺序不规范", Points: 2},
				{Code: "A5", Text: "封面、备考表填写不全", Points: 1},
			}},
			{Code: "B", Name: "实体", Cap: 40, Items: []DeductionItem{
				{Code: "B1", Text: "证据收集不全面、证明力不足", Points: 10},
				{Code: "B2", Text: "裁量未说明理由或不适当", Points: 8},
				{Code: "B3", Text: "处罚决定书引用法律条款不完整", Points: 5},
				{Code: "B4", Text: "强制措施使用不当", Points: 15},
			}},
			{Code: "C", Name: "程序", Cap: 40, Items: []DeductionItem{
				{Code: "C1", Text: "无立案审批表或立案不及时", Points: 2},
				{Code: "C2", Text: "未履行告知程序", Points: 5},
				{Code: "C3", Text: "无调查终结报告", Points: 3},
				{Code: "C4", Text: "送达程序不规范或无送达回证", Points: 2},
				{Code: "C5", Text: "超期办案", Points: 5},
				{Code: "C6", Text: "未按规定公示执法决定", Points: 3},
			}},
		},
	}}
}
