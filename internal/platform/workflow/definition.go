// Package workflow runs review chains (审批链): sequential steps, 会签 (all or a
// ratio must approve), 或签 (any one), return to an earlier step, 转办, 加签,
// 抄送, and a working-day deadline per step with one reminder and one
// escalation.
//
// The engine is pure and deterministic on purpose: it never reads the clock,
// never touches a database and never sends anything. Each action takes the
// current *Instance and returns a new one plus the events it produced; the
// caller stores the instance (it is plain JSON, one column next to a version
// number) and, after commit, turns the events into audit records and
// notifications. A failed action leaves the input untouched, so a caller can
// simply discard the error path. Because every input (time, role holders,
// working-day calendar) is passed in, the same inputs always give the same
// result, which is what makes the chains testable and replayable.
package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
)

// Limits keep a definition small enough to show on one screen and to store
// in every instance (each instance carries a snapshot of its definition).
const (
	MaxDefinitionBytes = 64 << 10
	MaxSteps           = 30
	MaxAssignees       = 50 // per assignee or cc list, and per CC action
	MaxNameRunes       = 100
	MaxDeadlineDays    = 365
	MaxOpinionRunes    = 5000
	MaxAttachments     = 20
)

// Kind says how a step's tasks combine into the step's outcome.
type Kind string

const (
	// KindSingle has one assignee entry (a person or a role). If a role has
	// several holders, the first of them to act decides, as for KindAny.
	KindSingle Kind = "single"
	// KindCountersign (会签) passes when approvals/total >= ApproveRatio and
	// fails as soon as that can no longer happen.
	KindCountersign Kind = "countersign"
	// KindAny (或签) passes on the first approval; the first rejection ends
	// the chain too, because under 或签 whoever acts first decides.
	KindAny Kind = "any"
)

// Label is the Chinese name shown to users.
func (k Kind) Label() string {
	switch k {
	case KindSingle:
		return "单人审批"
	case KindCountersign:
		return "会签"
	case KindAny:
		return "或签"
	}
	return string(k)
}

// Definition is a chain as administrators configure it per unit and per kind
// of matter (e.g. 渝北's "三重审查" is three sequential steps).
type Definition struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Steps []Step `json:"steps"`
}

// Assignee names who works on a step: a user, or the holders of a role in a
// unit. UnitID 0 means the unit the instance was started for, so one
// definition serves every unit that uses it.
type Assignee struct {
	UserID int64  `json:"user_id,omitempty"`
	Role   string `json:"role,omitempty"`
	UnitID int64  `json:"unit_id,omitempty"`
}

// Step is one stage of a chain.
type Step struct {
	Key       string     `json:"key"`
	Name      string     `json:"name"`
	Kind      Kind       `json:"kind"`
	Assignees []Assignee `json:"assignees"`
	// ApproveRatio applies to countersign only; 0 (absent) means everyone
	// must approve. JSON accepts a number (0.5) or an exact fraction ("2/3"),
	// because 0.67 would silently demand three of three.
	ApproveRatio Ratio `json:"approve_ratio,omitempty"`
	// DeadlineDays are working days from activation; 0 means no deadline.
	DeadlineDays int `json:"deadline_days,omitempty"`
	// RemindBeforeDays: a reminder goes out this many working days before
	// the due date; 0 means no reminder.
	RemindBeforeDays int           `json:"remind_before_days,omitempty"`
	EscalateTo       *Assignee     `json:"escalate_to,omitempty"`
	OpinionRequired  bool          `json:"opinion_required,omitempty"`
	AllowReturnTo    ReturnTargets `json:"allow_return_to,omitzero"`
	AllowTransfer    bool          `json:"allow_transfer,omitempty"`
	AllowAddSigner   bool          `json:"allow_add_signer,omitempty"`
	// CC receive a copy (抄送) when the step is approved.
	CC []Assignee `json:"cc,omitempty"`
}

// ratio is the effective approval ratio (absent means all).
func (s Step) ratio() float64 {
	if s.ApproveRatio == 0 {
		return 1
	}
	return float64(s.ApproveRatio)
}

// Ratio is a fraction in (0, 1]; see Step.ApproveRatio.
type Ratio float64

// UnmarshalJSON accepts a number or a "n/d" string.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var f float64
	if err := json.Unmarshal(b, &f); err == nil {
		*r = Ratio(f)
		return nil
	}
	bad := apperr.Field("approve_ratio", "会签通过比例须为数字（如 0.5）或分数（如 \"2/3\"）")
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return bad
	}
	ns, ds, ok := strings.Cut(s, "/")
	if !ok {
		return bad
	}
	n, err1 := strconv.Atoi(strings.TrimSpace(ns))
	d, err2 := strconv.Atoi(strings.TrimSpace(ds))
	if err1 != nil || err2 != nil || d <= 0 {
		return bad
	}
	*r = Ratio(float64(n) / float64(d))
	return nil
}

// ReturnTargets lists the earlier steps a step may return to, or all of them
// ("any_earlier" in JSON).
type ReturnTargets struct {
	AnyEarlier bool
	Keys       []string
}

// IsZero makes `omitzero` drop an empty list.
func (r ReturnTargets) IsZero() bool { return !r.AnyEarlier && len(r.Keys) == 0 }

// MarshalJSON writes "any_earlier" or the list of keys.
func (r ReturnTargets) MarshalJSON() ([]byte, error) {
	if r.AnyEarlier {
		return []byte(`"any_earlier"`), nil
	}
	if r.Keys == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(r.Keys)
}

// UnmarshalJSON reads "any_earlier" or a list of step keys.
func (r *ReturnTargets) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	bad := apperr.Field("allow_return_to", "可退回步骤须为步骤标识列表或 \"any_earlier\"")
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if s != "any_earlier" {
			return bad
		}
		*r = ReturnTargets{AnyEarlier: true}
		return nil
	}
	var keys []string
	if err := json.Unmarshal(b, &keys); err != nil {
		return bad
	}
	if len(keys) == 0 {
		keys = nil
	}
	*r = ReturnTargets{Keys: keys}
	return nil
}

// allows reports whether a step at index from may return to index to.
func (r ReturnTargets) allows(def Definition, from, to int) bool {
	if to < 0 || to >= from {
		return false
	}
	return r.AnyEarlier || slices.Contains(r.Keys, def.Steps[to].Key)
}

var (
	codeRe = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)
	keyRe  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
)

// ParseDefinition decodes and validates a chain definition. Unknown fields
// are refused (a misspelt "opinion_requird" must not silently drop a legal
// requirement), as is anything after the object.
func ParseDefinition(data []byte) (Definition, error) {
	var d Definition
	if len(data) > MaxDefinitionBytes {
		return d, apperr.New(apperr.TooLarge, "审批流程定义过大（不能超过 %d KB）", MaxDefinitionBytes>>10)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return Definition{}, decodeError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Definition{}, apperr.New(apperr.Invalid, "审批流程定义之后还有多余内容")
	}
	d.normalize()
	if err := d.Validate(); err != nil {
		return Definition{}, err
	}
	return d, nil
}

// decodeError turns encoding/json errors into Chinese messages naming the field.
func decodeError(err error) error {
	if e := apperr.As(err); e != nil {
		return e
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return apperr.Wrap(err, apperr.Invalid, "审批流程定义不是有效的 JSON（第 %d 字节附近）", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "definition"
		}
		return apperr.Field(field, "字段 %s 的类型不正确", field)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return apperr.Wrap(err, apperr.Invalid, "审批流程定义不完整")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return apperr.Field(name, "不认识的字段 %s", name)
	}
	return apperr.Wrap(err, apperr.Invalid, "审批流程定义格式不正确")
}

// normalize makes empty lists nil so that a parsed definition survives a
// JSON round trip unchanged (`[]` and an omitted list mean the same thing).
func (d *Definition) normalize() {
	if len(d.Steps) == 0 {
		d.Steps = nil
	}
	for i := range d.Steps {
		s := &d.Steps[i]
		if len(s.Assignees) == 0 {
			s.Assignees = nil
		}
		if len(s.CC) == 0 {
			s.CC = nil
		}
	}
}

// Validate checks a definition and reports every problem at once, each
// naming the step and field in Chinese.
func (d Definition) Validate() error {
	var v apperr.Fields
	if !codeRe.MatchString(d.Code) {
		v.Add("code", "流程编码须以小写字母开头，只含小写字母、数字、._-，不超过64个字符")
	}
	checkName(&v, "name", "流程名称", d.Name)
	if len(d.Steps) == 0 {
		v.Add("steps", "至少需要一个审批步骤")
	}
	if len(d.Steps) > MaxSteps {
		v.Add("steps", "审批步骤不能超过%d个", MaxSteps)
		return v.Err()
	}
	index := make(map[string]int, len(d.Steps))
	for i, s := range d.Steps {
		p := fmt.Sprintf("steps[%d]", i)
		label := fmt.Sprintf("第%d步", i+1)
		if s.Name != "" && utf8.RuneCountInString(s.Name) <= MaxNameRunes {
			label += "「" + s.Name + "」"
		}
		if !keyRe.MatchString(s.Key) {
			v.Add(p+".key", "%s：步骤标识须以小写字母开头，只含小写字母、数字、下划线，不超过64个字符", label)
		} else if j, dup := index[s.Key]; dup {
			v.Add(p+".key", "%s：步骤标识 %s 与第%d步重复", label, s.Key, j+1)
		} else {
			index[s.Key] = i
		}
		checkName(&v, p+".name", label+"：步骤名称", s.Name)
		switch s.Kind {
		case KindSingle:
			if len(s.Assignees) != 1 {
				v.Add(p+".assignees", "%s：单人审批须且只能指定一个审批人或角色", label)
			}
		case KindCountersign, KindAny:
		default:
			v.Add(p+".kind", "%s：审批方式须为 single（单人）、countersign（会签）或 any（或签）", label)
		}
		if len(s.Assignees) == 0 {
			v.Add(p+".assignees", "%s：至少指定一个审批人或角色", label)
		}
		checkAssignees(&v, p+".assignees", label+"：审批人", s.Assignees)
		checkAssignees(&v, p+".cc", label+"：抄送人", s.CC)
		if s.ApproveRatio != 0 {
			if s.Kind != KindCountersign {
				v.Add(p+".approve_ratio", "%s：只有会签步骤可以设置通过比例", label)
			} else if !(s.ApproveRatio > 0 && s.ApproveRatio <= 1) {
				v.Add(p+".approve_ratio", "%s：会签通过比例须大于0且不超过1", label)
			}
		}
		if s.DeadlineDays < 0 || s.DeadlineDays > MaxDeadlineDays {
			v.Add(p+".deadline_days", "%s：办理时限须在0至%d个工作日之间", label, MaxDeadlineDays)
		}
		if s.RemindBeforeDays < 0 || (s.RemindBeforeDays > 0 && s.RemindBeforeDays >= s.DeadlineDays) {
			v.Add(p+".remind_before_days", "%s：提前提醒天数须小于办理时限", label)
		}
		if s.EscalateTo != nil {
			if s.DeadlineDays == 0 {
				v.Add(p+".escalate_to", "%s：未设置办理时限时不能设置超期督办对象", label)
			}
			checkAssignee(&v, p+".escalate_to", label+"：超期督办对象", *s.EscalateTo)
		}
	}
	// Return targets need every key, so they are checked in a second pass.
	for i, s := range d.Steps {
		p := fmt.Sprintf("steps[%d].allow_return_to", i)
		if s.AllowReturnTo.AnyEarlier && i == 0 {
			v.Add(p, "第1步之前没有可退回的步骤")
		}
		seen := map[string]bool{}
		for _, k := range s.AllowReturnTo.Keys {
			j, ok := index[k]
			switch {
			case seen[k]:
				v.Add(p, "第%d步：可退回步骤 %s 重复", i+1, k)
			case !ok:
				v.Add(p, "第%d步：可退回的步骤 %s 不存在", i+1, k)
			case j >= i:
				v.Add(p, "第%d步：只能退回到之前的步骤，%s 不在本步之前", i+1, k)
			}
			seen[k] = true
		}
	}
	return v.Err()
}

func checkName(v *apperr.Fields, field, what, s string) {
	if strings.TrimSpace(s) == "" {
		v.Add(field, "%s不能为空", what)
	} else if utf8.RuneCountInString(s) > MaxNameRunes {
		v.Add(field, "%s不能超过%d个字", what, MaxNameRunes)
	}
}

func checkAssignees(v *apperr.Fields, field, what string, as []Assignee) {
	if len(as) > MaxAssignees {
		v.Add(field, "%s不能超过%d个", what, MaxAssignees)
		return
	}
	for i, a := range as {
		checkAssignee(v, fmt.Sprintf("%s[%d]", field, i), what, a)
	}
}

func checkAssignee(v *apperr.Fields, field, what string, a Assignee) {
	switch {
	case a.UserID != 0 && a.Role != "":
		v.Add(field, "%s：用户和角色只能填一个", what)
	case a.UserID < 0:
		v.Add(field, "%s：用户编号无效", what)
	case a.UserID > 0 && a.UnitID != 0:
		v.Add(field, "%s：指定用户时不能再指定单位", what)
	case a.UserID == 0 && strings.TrimSpace(a.Role) == "":
		v.Add(field, "%s：须指定用户或角色", what)
	case utf8.RuneCountInString(a.Role) > 64:
		v.Add(field, "%s：角色名称过长", what)
	case a.UnitID < 0:
		v.Add(field, "%s：单位编号无效", what)
	}
}
