package workflow

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"fazhi/internal/platform/apperr"
)

// threeReviews is 渝北-style "三重审查": the drafting office, the legal
// office (会签 of two of three reviewers), and the leader.
const threeReviews = `{
  "code": "legalreview.standard",
  "name": "合法性审查三重审查",
  "steps": [
    {"key": "draft", "name": "承办科室初审", "kind": "single", "assignees": [{"role": "科长"}],
     "deadline_days": 3, "remind_before_days": 1, "escalate_to": {"role": "分管领导"}, "allow_transfer": true},
    {"key": "legal", "name": "法制机构审查", "kind": "countersign", "approve_ratio": "2/3",
     "assignees": [{"user_id": 11}, {"user_id": 12}, {"user_id": 13}],
     "opinion_required": true, "allow_return_to": ["draft"], "allow_add_signer": true,
     "cc": [{"role": "办公室", "unit_id": 9}]},
    {"key": "leader", "name": "负责人审定", "kind": "any", "assignees": [{"user_id": 21}, {"user_id": 22}],
     "allow_return_to": "any_earlier", "opinion_required": true}
  ]
}`

func TestParseDefinitionValid(t *testing.T) {
	d, err := ParseDefinition([]byte(threeReviews))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Steps) != 3 || d.Steps[1].Kind != KindCountersign {
		t.Fatalf("steps: %+v", d.Steps)
	}
	if got := float64(d.Steps[1].ApproveRatio); got != 2.0/3 {
		t.Errorf("ratio = %v, want 2/3", got)
	}
	if !d.Steps[2].AllowReturnTo.AnyEarlier || d.Steps[1].AllowReturnTo.Keys[0] != "draft" {
		t.Errorf("return targets: %+v %+v", d.Steps[1].AllowReturnTo, d.Steps[2].AllowReturnTo)
	}
	if d.Steps[0].EscalateTo == nil || d.Steps[0].EscalateTo.Role != "分管领导" {
		t.Errorf("escalate_to: %+v", d.Steps[0].EscalateTo)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	d2, err := ParseDefinition(b)
	if err != nil {
		t.Fatalf("reparse %s: %v", b, err)
	}
	if !reflect.DeepEqual(d, d2) {
		t.Errorf("round trip changed definition:\n%+v\n%+v", d, d2)
	}
	if !strings.Contains(string(b), `"allow_return_to":"any_earlier"`) {
		t.Errorf("any_earlier not written back: %s", b)
	}
}

// step builds a one-step definition around a step body, for error cases.
func oneStep(body string) string {
	return `{"code":"t","name":"测试","steps":[` + body + `]}`
}

func TestParseDefinitionErrors(t *testing.T) {
	okStep := `{"key":"a","name":"初审","kind":"single","assignees":[{"user_id":1}]}`
	cases := []struct {
		name  string
		in    string
		code  apperr.Code
		field string // a field error expected with this name
		msg   string // and its message contains this
	}{
		{"no steps", `{"code":"t","name":"测试","steps":[]}`, apperr.Invalid, "steps", "至少需要一个"},
		{"duplicate key", `{"code":"t","name":"测试","steps":[` + okStep + `,` + okStep + `]}`, apperr.Invalid, "steps[1].key", "与第1步重复"},
		{"ratio above 1", oneStep(`{"key":"a","name":"会签","kind":"countersign","approve_ratio":1.5,"assignees":[{"user_id":1}]}`), apperr.Invalid, "steps[0].approve_ratio", "第1步「会签」：会签通过比例须大于0且不超过1"},
		{"ratio negative", oneStep(`{"key":"a","name":"会签","kind":"countersign","approve_ratio":-0.1,"assignees":[{"user_id":1}]}`), apperr.Invalid, "steps[0].approve_ratio", "大于0"},
		{"ratio bad fraction", oneStep(`{"key":"a","name":"会签","kind":"countersign","approve_ratio":"2/0","assignees":[{"user_id":1}]}`), apperr.Invalid, "approve_ratio", "分数"},
		{"ratio on single", oneStep(`{"key":"a","name":"初审","kind":"single","approve_ratio":0.5,"assignees":[{"user_id":1}]}`), apperr.Invalid, "steps[0].approve_ratio", "只有会签"},
		{"unknown kind", oneStep(`{"key":"a","name":"初审","kind":"all","assignees":[{"user_id":1}]}`), apperr.Invalid, "steps[0].kind", "countersign"},
		{"single with two", oneStep(`{"key":"a","name":"初审","kind":"single","assignees":[{"user_id":1},{"user_id":2}]}`), apperr.Invalid, "steps[0].assignees", "只能指定一个"},
		{"no assignees", oneStep(`{"key":"a","name":"初审","kind":"any","assignees":[]}`), apperr.Invalid, "steps[0].assignees", "至少指定一个"},
		{"user and role", oneStep(`{"key":"a","name":"初审","kind":"any","assignees":[{"user_id":1,"role":"科长"}]}`), apperr.Invalid, "steps[0].assignees[0]", "只能填一个"},
		{"return to later", `{"code":"t","name":"测试","steps":[{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"allow_return_to":["b"]},{"key":"b","name":"乙","kind":"single","assignees":[{"user_id":2}]}]}`, apperr.Invalid, "steps[0].allow_return_to", "只能退回到之前的步骤"},
		{"return to missing", `{"code":"t","name":"测试","steps":[` + okStep + `,{"key":"b","name":"乙","kind":"single","assignees":[{"user_id":2}],"allow_return_to":["zz"]}]}`, apperr.Invalid, "steps[1].allow_return_to", "zz 不存在"},
		{"return to self", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"allow_return_to":["a"]}`), apperr.Invalid, "steps[0].allow_return_to", "之前的步骤"},
		{"any_earlier on first", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"allow_return_to":"any_earlier"}`), apperr.Invalid, "steps[0].allow_return_to", "第1步之前"},
		{"bad return string", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"allow_return_to":"all"}`), apperr.Invalid, "allow_return_to", "any_earlier"},
		{"remind not before deadline", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"deadline_days":3,"remind_before_days":3}`), apperr.Invalid, "steps[0].remind_before_days", "小于办理时限"},
		{"escalate without deadline", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"escalate_to":{"role":"分管领导"}}`), apperr.Invalid, "steps[0].escalate_to", "未设置办理时限"},
		{"escalate empty", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"deadline_days":2,"escalate_to":{}}`), apperr.Invalid, "steps[0].escalate_to", "须指定用户或角色"},
		{"deadline too long", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"deadline_days":400}`), apperr.Invalid, "steps[0].deadline_days", "365"},
		{"bad key", oneStep(`{"key":"A b","name":"甲","kind":"single","assignees":[{"user_id":1}]}`), apperr.Invalid, "steps[0].key", "步骤标识"},
		{"blank name", oneStep(`{"key":"a","name":"  ","kind":"single","assignees":[{"user_id":1}]}`), apperr.Invalid, "steps[0].name", "不能为空"},
		{"bad code", `{"code":"","name":"测试","steps":[` + okStep + `]}`, apperr.Invalid, "code", "流程编码"},
		{"unknown field", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"opinion_requird":true}`), apperr.Invalid, "opinion_requird", "不认识的字段"},
		{"wrong type", oneStep(`{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":"1"}]}`), apperr.Invalid, "steps.assignees.user_id", "类型不正确"},
		{"trailing data", oneStep(okStep) + `{}`, apperr.Invalid, "", "多余内容"},
		{"not json", `{"code":`, apperr.Invalid, "", "不完整"},
		{"syntax", `{"code" "t"}`, apperr.Invalid, "", "不是有效的 JSON"},
		{"too large", `{"name":"` + strings.Repeat("x", MaxDefinitionBytes) + `"}`, apperr.TooLarge, "", "过大"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseDefinition([]byte(c.in))
			e := apperr.As(err)
			if e == nil || e.Code != c.code {
				t.Fatalf("err = %v, want code %s", err, c.code)
			}
			if c.field == "" {
				if !strings.Contains(e.Message, c.msg) {
					t.Errorf("message %q lacks %q", e.Message, c.msg)
				}
				return
			}
			for _, f := range e.Fields {
				if f.Field == c.field && strings.Contains(f.Message, c.msg) {
					return
				}
			}
			t.Errorf("no field error %s containing %q in %+v", c.field, c.msg, e.Fields)
		})
	}
}

// A definition with several problems reports all of them at once.
func TestValidateReportsEveryProblem(t *testing.T) {
	d := Definition{Code: "x", Name: "测试", Steps: []Step{
		{Key: "a", Name: "甲", Kind: KindAny},
		{Key: "a", Name: "乙", Kind: KindCountersign, ApproveRatio: 2, Assignees: []Assignee{{UserID: 1}}},
	}}
	e := apperr.As(d.Validate())
	if e == nil || len(e.Fields) != 3 {
		t.Fatalf("want 3 field errors, got %v", e)
	}
	want := []string{"steps[0].assignees", "steps[1].key", "steps[1].approve_ratio"}
	for i, f := range e.Fields {
		if f.Field != want[i] {
			t.Errorf("field %d = %s, want %s", i, f.Field, want[i])
		}
	}
}

func FuzzParseDefinition(f *testing.F) {
	f.Add([]byte(threeReviews))
	f.Add([]byte(oneStep(`{"key":"a","name":"甲","kind":"countersign","approve_ratio":0.5,"assignees":[{"user_id":1},{"role":"r","unit_id":2}],"cc":[]}`)))
	f.Add([]byte(`{"code":"a","name":"b","steps":[{"key":"a","name":"甲","kind":"single","assignees":[{"user_id":1}],"allow_return_to":[]}]}`))
	f.Add([]byte(`{"code":"a","steps":null}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"code":"a","name":"b","steps":[{"approve_ratio":"1/3"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ParseDefinition(data)
		if err != nil {
			if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.TooLarge {
				t.Fatalf("error code %s for %q: %v", c, data, err)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("parsed definition does not validate: %v", err)
		}
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		d2, err := ParseDefinition(b)
		if err != nil {
			t.Fatalf("reparse of %s: %v", b, err)
		}
		if !reflect.DeepEqual(d, d2) {
			t.Fatalf("round trip changed definition:\n%#v\n%#v", d, d2)
		}
	})
}
