package casereview

import (
	"testing"

	"fazhi/internal/platform/apperr"
)

// small is a rubric of two sections (30 + 70) with cut-offs 90 / 60.
func small() Rubric {
	r := Rubric{Name: "测试标准", ExcellentMin: 90, PassMin: 60, Definition: Definition{
		Vetoes: []VetoItem{{Code: "V1", Text: "主体不合法", Effect: VetoFail}, {Code: "V2", Text: "未经法制审核", Effect: VetoNoExcellent}},
		Sections: []Section{
			{Code: "A", Name: "卷面", Cap: 30, Items: []DeductionItem{{Code: "A1", Text: "无目录", Points: 10}, {Code: "A2", Text: "无页码", Points: 20}, {Code: "A3", Text: "未一案一卷", Points: 15}}},
			{Code: "B", Name: "程序", Cap: 70, Items: []DeductionItem{{Code: "B1", Text: "未告知", Points: 5}, {Code: "B2", Text: "超期", Points: 40}}},
		}}}
	if err := r.Validate(); err != nil {
		panic(err)
	}
	return r
}

func TestScoreVetoSectionCapsAndCutOffs(t *testing.T) {
	r := small()
	if r.Total != 100 {
		t.Fatalf("total %d", r.Total)
	}
	cases := []struct {
		name       string
		vetoes     []VetoHit
		deductions []Deduction
		score      int
		grade      string
		sectionA   int
	}{
		{"clean file", nil, nil, 100, GradeExcellent, 30},
		{"exactly the excellent cut-off", nil, []Deduction{{Code: "A1", Points: 10, Reason: "缺目录"}}, 90, GradeExcellent, 20},
		{"one point below excellent", nil, []Deduction{{Code: "A1", Points: 10, Reason: "缺目录"}, {Code: "B1", Points: 1, Reason: "告知不全"}}, 89, GradePass, 20},
		{"exactly the pass cut-off", nil, []Deduction{{Code: "B2", Points: 40, Reason: "超期"}}, 60, GradePass, 30},
		{"one point below pass", nil, []Deduction{{Code: "B2", Points: 40, Reason: "超期"}, {Code: "B1", Points: 1, Reason: "x"}}, 59, GradeFail, 30},
		// 10 + 20 + 15 = 45 taken from a section of 30: it stops at zero.
		{"section capped at zero", nil, []Deduction{{Code: "A1", Reason: "a"}, {Code: "A2", Reason: "b"}, {Code: "A3", Reason: "c"}}, 70, GradePass, 0},
		// Every section to zero: 0, never negative.
		{"deduction to zero", nil, []Deduction{{Code: "A2", Reason: "a"}, {Code: "A3", Reason: "b"}, {Code: "B2", Reason: "c"}, {Code: "B2", Reason: "d"}}, 0, GradeFail, 0},
		{"veto fails a perfect file outright", []VetoHit{{Code: "V1", Reason: "无执法主体资格"}}, nil, 0, GradeFail, 30},
		{"no-excellent veto caps a perfect file at pass", []VetoHit{{Code: "V2", Reason: "重大决定未审核"}}, nil, 100, GradePass, 30},
		{"no-excellent veto does not lift a failing file", []VetoHit{{Code: "V2", Reason: "x"}}, []Deduction{{Code: "B2", Reason: "a"}, {Code: "B1", Reason: "b"}}, 55, GradeFail, 30},
	}
	for _, c := range cases {
		got, err := r.Score(c.vetoes, c.deductions)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got.Score != c.score || got.Grade != c.grade || got.Sections[0].Score != c.sectionA {
			t.Errorf("%s: score %d grade %s section A %d; want %d %s %d", c.name, got.Score, got.Grade, got.Sections[0].Score, c.score, c.grade, c.sectionA)
		}
		if got.Score < 0 || got.Sections[1].Score < 0 {
			t.Errorf("%s: negative score %+v", c.name, got)
		}
		if got.Vetoed != (len(c.vetoes) > 0) {
			t.Errorf("%s: vetoed %v", c.name, got.Vetoed)
		}
	}
}

func TestScoreRefusesBadDeductions(t *testing.T) {
	r := small()
	for _, c := range []struct {
		name   string
		vetoes []VetoHit
		ds     []Deduction
		field  string
	}{
		{"more than the item's points", nil, []Deduction{{Code: "B1", Points: 6, Reason: "x"}}, "deductions[0].points"},
		{"negative points", nil, []Deduction{{Code: "B1", Points: -3, Reason: "x"}}, "deductions[0].points"},
		{"unknown item", nil, []Deduction{{Code: "Z9", Reason: "x"}}, "deductions[0].code"},
		{"no reason", nil, []Deduction{{Code: "B1", Reason: "  "}}, "deductions[0].reason"},
		{"NUL in the reason", nil, []Deduction{{Code: "B1", Reason: "a\x00b"}}, "deductions[0].reason"},
		{"unknown veto", []VetoHit{{Code: "V9", Reason: "x"}}, nil, "vetoes[0].code"},
		{"veto twice", []VetoHit{{Code: "V1", Reason: "x"}, {Code: "V1", Reason: "y"}}, nil, "vetoes[1].code"},
	} {
		_, err := r.Score(c.vetoes, c.ds)
		if ae := apperr.As(err); ae == nil || len(ae.Fields) == 0 || ae.Fields[0].Field != c.field {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestRubricValidate(t *testing.T) {
	for _, c := range []struct {
		name  string
		edit  func(r *Rubric)
		field string
	}{
		{"excellent not above pass", func(r *Rubric) { r.ExcellentMin = 60 }, "excellent_min"},
		{"excellent above total", func(r *Rubric) { r.ExcellentMin = 101 }, "excellent_min"},
		{"negative pass", func(r *Rubric) { r.PassMin = -1 }, "pass_min"},
		{"item above the section cap", func(r *Rubric) { r.Definition.Sections[0].Items[0].Points = 31 }, "definition.sections[0].items[0].points"},
		{"duplicate code", func(r *Rubric) { r.Definition.Sections[1].Items[0].Code = "A1" }, "definition.sections[1].items[0].code"},
		{"bad veto effect", func(r *Rubric) { r.Definition.Vetoes[0].Effect = "maybe" }, "definition.vetoes[0].effect"},
		{"no sections", func(r *Rubric) { r.Definition.Sections = nil; r.ExcellentMin, r.PassMin = 1, 0 }, "definition.sections"},
	} {
		r := small()
		c.edit(&r)
		err := r.Validate()
		ae := apperr.As(err)
		found := false
		for _, fe := range ae.Fields {
			found = found || fe.Field == c.field
		}
		if !found {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	d := DefaultRubric()
	if err := d.Validate(); err != nil || d.Total != 100 {
		t.Fatalf("default rubric: %v total %d", err, d.Total)
	}
}
