package workflow

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
)

// weekdays is a stand-in calendar: Monday to Friday are working days. The
// real statutory calendar is plugged in by the integrator.
type weekdays struct{}

func (weekdays) AddWorkingDays(from time.Time, n int) time.Time {
	t := from
	for n > 0 {
		t = t.Add(24 * time.Hour)
		if wd := t.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return t
}

// roles maps "role@unit" to its holders.
type roles map[string][]int64

func (r roles) UsersInRole(role string, unit int64) ([]int64, error) {
	return r[fmt.Sprintf("%s@%d", role, unit)], nil
}

const (
	initiator = 100
	unit      = 7
)

// t0 is Monday 2026-03-02 09:00 in Beijing.
var t0 = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func hours(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

var testRoles = roles{
	"科长@7":   {1},
	"分管领导@7": {50, 51},
	"办公室@9":  {60},
	"空岗@7":   nil,
}

func newEngine() *Engine { return New(weekdays{}, testRoles) }

func mustDef(t *testing.T, s string) Definition {
	t.Helper()
	d, err := ParseDefinition([]byte(s))
	if err != nil {
		t.Fatalf("definition: %v", err)
	}
	return d
}

func start(t *testing.T, def string) *Instance {
	t.Helper()
	in, evs, err := newEngine().Start(mustDef(t, def), initiator, unit, t0)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if len(evs) != 2 || evs[0].Action != ActStart || evs[1].Action != ActActivate {
		t.Fatalf("start events: %+v", evs)
	}
	return in
}

type step func(*Engine, *Instance) (*Instance, []Event, error)

// must applies an action that is expected to succeed.
func must(t *testing.T, in *Instance, f step) (*Instance, []Event) {
	t.Helper()
	n, evs, err := f(newEngine(), in)
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	return n, evs
}

// refused applies an action that must fail with code, leaving in unchanged.
func refused(t *testing.T, in *Instance, code apperr.Code, f step) *apperr.Error {
	t.Helper()
	before, _ := json.Marshal(in)
	n, evs, err := f(newEngine(), in)
	if apperr.CodeOf(err) != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if n != nil || evs != nil {
		t.Fatalf("failed action returned state")
	}
	after, _ := json.Marshal(in)
	if string(before) != string(after) {
		t.Fatalf("failed action changed its input")
	}
	return apperr.As(err)
}

func approve(actor int64, h int, opinion string) step {
	return func(e *Engine, in *Instance) (*Instance, []Event, error) {
		return e.Approve(in, Act{Actor: actor, At: hours(h), Opinion: opinion})
	}
}

func reject(actor int64, h int, opinion string) step {
	return func(e *Engine, in *Instance) (*Instance, []Event, error) {
		return e.Reject(in, Act{Actor: actor, At: hours(h), Opinion: opinion})
	}
}

func actions(evs []Event) []Action {
	var out []Action
	for _, e := range evs {
		out = append(out, e.Action)
	}
	return out
}

func taskStatuses(st StepState, round int) map[int64]TaskStatus {
	m := map[int64]TaskStatus{}
	for _, t := range st.Tasks {
		if t.Round == round {
			m[t.Assignee] = t.Status
		}
	}
	return m
}

const seq3 = `{"code":"seq","name":"三步审批","steps":[
 {"key":"a","name":"初审","kind":"single","assignees":[{"role":"科长"}]},
 {"key":"b","name":"复审","kind":"single","assignees":[{"user_id":2}],"allow_return_to":"any_earlier"},
 {"key":"c","name":"审定","kind":"single","assignees":[{"user_id":3}],"allow_return_to":["a"],"opinion_required":true}]}`

func TestSequentialApprove(t *testing.T) {
	in := start(t, seq3)
	if !slices.Equal(in.Pending(), []int64{1}) || in.History[1].To[0] != 1 {
		t.Fatalf("role 科长 should resolve to user 1: %v", in.Pending())
	}
	in, evs := must(t, in, approve(1, 1, ""))
	if !slices.Equal(actions(evs), []Action{ActApprove, ActActivate}) || evs[1].Step != "b" || evs[1].To[0] != 2 {
		t.Fatalf("events after step a: %+v", evs)
	}
	in, _ = must(t, in, approve(2, 2, "同意"))
	in, evs = must(t, in, approve(3, 3, "同意印发"))
	if in.Status != Approved || !in.EndedAt.Equal(hours(3)) {
		t.Fatalf("status %s ended %v", in.Status, in.EndedAt)
	}
	last := evs[len(evs)-1]
	if last.Action != ActFinish || last.Result != Approved || !slices.Equal(last.To, []int64{initiator}) {
		t.Fatalf("finish event: %+v", last)
	}
	task := in.Steps[2].Tasks[0]
	if task.Status != TaskApproved || task.Opinion != "同意印发" || task.ActedBy != 3 || !task.ActedAt.Equal(hours(3)) {
		t.Fatalf("task record: %+v", task)
	}
	for i, e := range in.History {
		if e.Seq != i+1 {
			t.Fatalf("history seq %d at %d", e.Seq, i)
		}
	}
	refused(t, in, apperr.Conflict, approve(3, 4, "再次"))
}

func TestRejectEndsChain(t *testing.T) {
	in := start(t, seq3)
	in, _ = must(t, in, approve(1, 1, ""))
	in, evs := must(t, in, reject(2, 2, "依据不足"))
	if in.Status != Rejected || !slices.Equal(actions(evs), []Action{ActReject, ActFinish}) {
		t.Fatalf("status %s events %v", in.Status, actions(evs))
	}
	if in.Steps[2].Round != 0 {
		t.Fatal("step c must never open")
	}
	refused(t, in, apperr.Conflict, approve(2, 3, ""))
}

func TestReturnToChosenEarlierStep(t *testing.T) {
	in := start(t, seq3)
	in, _ = must(t, in, approve(1, 1, "初审意见"))
	in, _ = must(t, in, approve(2, 2, ""))
	ret := func(to string, opinion string) step {
		return func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.Return(in, Act{Actor: 3, At: hours(3), Opinion: opinion}, to)
		}
	}
	// c allows only a: b is refused, c itself is not earlier, zz does not exist.
	if e := refused(t, in, apperr.Forbidden, ret("b", "补充材料")); !strings.Contains(e.Message, "不允许退回到「复审」") {
		t.Errorf("message: %s", e.Message)
	}
	refused(t, in, apperr.Forbidden, ret("c", "补充材料"))
	if e := refused(t, in, apperr.Invalid, ret("zz", "补充材料")); e.Fields[0].Field != "to" {
		t.Errorf("fields: %+v", e.Fields)
	}
	refused(t, in, apperr.Invalid, ret("a", "")) // c requires an opinion
	in, evs := must(t, in, ret("a", "请补充制定依据"))
	if !slices.Equal(actions(evs), []Action{ActReturn, ActActivate}) || evs[0].TargetStep != "a" {
		t.Fatalf("events: %+v", evs)
	}
	if in.Current != 0 || in.Steps[0].Round != 2 || !slices.Equal(in.Pending(), []int64{1}) {
		t.Fatalf("after return: current %d round %d pending %v", in.Current, in.Steps[0].Round, in.Pending())
	}
	if s := taskStatuses(in.Steps[2], 1)[3]; s != TaskReturned {
		t.Fatalf("c's task = %s", s)
	}
	// Round 1 of a keeps its opinion on record.
	if in.Steps[0].Tasks[0].Opinion != "初审意见" || in.Steps[0].Tasks[0].Round != 1 {
		t.Fatalf("old round lost: %+v", in.Steps[0].Tasks)
	}
	// b (any_earlier) may return to a as well; here we approve through again.
	in, _ = must(t, in, approve(1, 4, ""))
	in, _ = must(t, in, approve(2, 5, ""))
	if in.Steps[1].Round != 2 {
		t.Fatalf("b round = %d", in.Steps[1].Round)
	}
	in, _ = must(t, in, approve(3, 6, "同意"))
	if in.Status != Approved || in.Steps[2].Round != 2 {
		t.Fatalf("status %s c round %d", in.Status, in.Steps[2].Round)
	}
}

const countersign = `{"code":"cs","name":"会签","steps":[
 {"key":"legal","name":"法制审查","kind":"countersign","approve_ratio":"2/3",
  "assignees":[{"user_id":11},{"user_id":12},{"user_id":13}]},
 {"key":"leader","name":"审定","kind":"single","assignees":[{"user_id":21}]}]}`

func TestCountersign(t *testing.T) {
	t.Run("passes at 2 of 3", func(t *testing.T) {
		in := start(t, countersign)
		in, evs := must(t, in, approve(11, 1, ""))
		if len(evs) != 1 || in.Current != 0 {
			t.Fatalf("one approval must not decide: %v", actions(evs))
		}
		in, evs = must(t, in, approve(13, 2, ""))
		if in.Current != 1 || !slices.Equal(actions(evs), []Action{ActApprove, ActActivate}) {
			t.Fatalf("two of three must pass: current %d %v", in.Current, actions(evs))
		}
		want := map[int64]TaskStatus{11: TaskApproved, 12: TaskCanceled, 13: TaskApproved}
		if got := taskStatuses(in.Steps[0], 1); !reflect.DeepEqual(got, want) {
			t.Fatalf("tasks %v", got)
		}
		refused(t, in, apperr.Forbidden, approve(12, 3, ""))
	})
	t.Run("one rejection still reachable, second fails", func(t *testing.T) {
		in := start(t, countersign)
		in, evs := must(t, in, reject(11, 1, "不同意"))
		if in.Status != Running || len(evs) != 1 {
			t.Fatalf("2 of 3 still reachable: %s %v", in.Status, actions(evs))
		}
		in, evs = must(t, in, reject(12, 2, "不同意"))
		if in.Status != Rejected || !slices.Equal(actions(evs), []Action{ActReject, ActFinish}) {
			t.Fatalf("2 of 3 no longer reachable: %s %v", in.Status, actions(evs))
		}
		if s := taskStatuses(in.Steps[0], 1)[13]; s != TaskCanceled {
			t.Fatalf("13's task = %s", s)
		}
	})
	t.Run("default ratio means all", func(t *testing.T) {
		in := start(t, strings.Replace(countersign, `"approve_ratio":"2/3",`, "", 1))
		in, _ = must(t, in, approve(11, 1, ""))
		in, _ = must(t, in, approve(12, 2, ""))
		if in.Current != 0 {
			t.Fatal("all three must approve")
		}
		in, _ = must(t, in, reject(13, 3, "不同意"))
		if in.Status != Rejected {
			t.Fatalf("status %s", in.Status)
		}
	})
}

func TestNeed(t *testing.T) {
	cases := []struct {
		ratio Ratio
		total int
		want  int
	}{
		{0, 3, 3}, {1, 3, 3}, {Ratio(2.0 / 3), 3, 2}, {Ratio(2.0 / 3), 4, 3}, {0.5, 4, 2}, {0.5, 5, 3},
		{0.6667, 3, 3}, {0.01, 3, 1}, {Ratio(1.0 / 3), 3, 1}, {Ratio(2.0 / 3), 6, 4},
	}
	for _, c := range cases {
		if got := need(Step{Kind: KindCountersign, ApproveRatio: c.ratio}, c.total); got != c.want {
			t.Errorf("need(%v, %d) = %d, want %d", c.ratio, c.total, got, c.want)
		}
	}
	if need(Step{Kind: KindAny}, 5) != 1 {
		t.Error("或签 needs one")
	}
}

func TestAnySign(t *testing.T) {
	def := `{"code":"any","name":"或签","steps":[
	 {"key":"x","name":"科室审核","kind":"any","assignees":[{"user_id":1},{"role":"分管领导"}]},
	 {"key":"y","name":"审定","kind":"single","assignees":[{"user_id":3}]}]}`
	in := start(t, def)
	if !slices.Equal(in.Pending(), []int64{1, 50, 51}) {
		t.Fatalf("pending %v", in.Pending())
	}
	in, _ = must(t, in, approve(51, 1, ""))
	want := map[int64]TaskStatus{1: TaskCanceled, 50: TaskCanceled, 51: TaskApproved}
	if got := taskStatuses(in.Steps[0], 1); in.Current != 1 || !reflect.DeepEqual(got, want) {
		t.Fatalf("current %d tasks %v", in.Current, got)
	}
	refused(t, in, apperr.Forbidden, approve(1, 2, ""))

	in = start(t, def)
	in, _ = must(t, in, reject(50, 1, "不同意"))
	if in.Status != Rejected {
		t.Fatalf("或签: first rejection decides, status %s", in.Status)
	}
}

const flexible = `{"code":"flex","name":"可转办","steps":[
 {"key":"a","name":"会签审核","kind":"countersign","assignees":[{"user_id":1},{"user_id":2}],
  "allow_transfer":true,"allow_add_signer":true},
 {"key":"b","name":"审定","kind":"single","assignees":[{"user_id":3}]}]}`

func TestTransfer(t *testing.T) {
	in := start(t, flexible)
	transfer := func(actor, to int64) step {
		return func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.Transfer(in, Act{Actor: actor, At: hours(1), Opinion: "请王科长办理"}, to)
		}
	}
	refused(t, in, apperr.Conflict, transfer(1, 2)) // 2 already has a task
	if e := refused(t, in, apperr.Invalid, transfer(1, 1)); e.Fields[0].Field != "to" {
		t.Fatalf("fields %+v", e.Fields)
	}
	refused(t, in, apperr.Forbidden, transfer(9, 5))
	in, evs := must(t, in, transfer(1, 5))
	if len(evs) != 1 || evs[0].Action != ActTransfer || evs[0].User != 5 || !slices.Equal(evs[0].To, []int64{5}) {
		t.Fatalf("events %+v", evs)
	}
	if !slices.Equal(in.Pending(), []int64{2, 5}) {
		t.Fatalf("pending %v", in.Pending())
	}
	if tk := in.Steps[0].Tasks[0]; tk.Status != TaskTransferred || tk.TransferredTo != 5 {
		t.Fatalf("old task %+v", tk)
	}
	refused(t, in, apperr.Forbidden, approve(1, 2, ""))
	in, _ = must(t, in, approve(2, 2, ""))
	in, _ = must(t, in, approve(5, 3, ""))
	if in.Current != 1 {
		t.Fatal("both remaining votes approve the 会签")
	}
	refused(t, in, apperr.Forbidden, transfer(3, 4)) // step b does not allow transfer
}

func TestAddSigner(t *testing.T) {
	in := start(t, flexible)
	add := func(actor, user int64) step {
		return func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.AddSigner(in, Act{Actor: actor, At: hours(1)}, user)
		}
	}
	in, evs := must(t, in, add(1, 7))
	if evs[0].Action != ActAddSigner || !slices.Equal(evs[0].To, []int64{7}) {
		t.Fatalf("events %+v", evs)
	}
	refused(t, in, apperr.Conflict, add(2, 7))
	in, _ = must(t, in, approve(1, 2, ""))
	in, _ = must(t, in, approve(2, 3, ""))
	if in.Current != 0 || !slices.Equal(in.Pending(), []int64{7}) {
		t.Fatalf("added signer must also approve: current %d pending %v", in.Current, in.Pending())
	}
	in, _ = must(t, in, approve(7, 4, ""))
	if in.Current != 1 {
		t.Fatal("step a should be done")
	}
	refused(t, in, apperr.Forbidden, add(3, 8))
}

func TestCC(t *testing.T) {
	in := start(t, threeReviews)
	cc := func(actor int64, users ...int64) step {
		return func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.CC(in, Act{Actor: actor, At: hours(1), Opinion: "供参阅"}, users)
		}
	}
	if e := refused(t, in, apperr.Invalid, cc(1)); e.Fields[0].Field != "users" {
		t.Fatalf("fields %+v", e.Fields)
	}
	refused(t, in, apperr.Forbidden, cc(99, 5))
	n, evs := must(t, in, cc(1, 5, 6, 5))
	if len(evs) != 1 || evs[0].Action != ActCC || !slices.Equal(evs[0].To, []int64{5, 6}) || evs[0].Opinion != "供参阅" {
		t.Fatalf("events %+v", evs)
	}
	if !slices.Equal(n.Pending(), in.Pending()) {
		t.Fatal("抄送 must not change tasks")
	}
	// The legal step has cc [{role 办公室, unit 9}]: its completion is copied there.
	n, _ = must(t, n, approve(1, 2, ""))
	n, _ = must(t, n, approve(11, 3, "合法"))
	n, evs = must(t, n, approve(12, 4, "合法"))
	if !slices.Equal(actions(evs), []Action{ActApprove, ActCC, ActActivate}) || !slices.Equal(evs[1].To, []int64{60}) {
		t.Fatalf("events %+v", evs)
	}
}

func TestOpinionRequired(t *testing.T) {
	in := start(t, threeReviews)
	in, _ = must(t, in, approve(1, 1, ""))
	for _, op := range []string{"", "   "} {
		e := refused(t, in, apperr.Invalid, approve(11, 2, op))
		if len(e.Fields) != 1 || e.Fields[0].Field != "opinion" || !strings.Contains(e.Message, "「法制机构审查」须填写审查意见") {
			t.Fatalf("error %+v", e)
		}
	}
	refused(t, in, apperr.Invalid, reject(11, 2, ""))
	refused(t, in, apperr.Invalid, approve(11, 2, strings.Repeat("意", MaxOpinionRunes+1)))
	attach := func(ids ...int64) step {
		return func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.Approve(in, Act{Actor: 11, At: hours(2), Opinion: "合法", Attachments: ids})
		}
	}
	if e := refused(t, in, apperr.Invalid, attach(0)); e.Fields[0].Field != "attachments" {
		t.Fatalf("fields %+v", e.Fields)
	}
	in, evs := must(t, in, attach(501, 502))
	if tk := in.Steps[1].Tasks[0]; !slices.Equal(tk.Attachments, []int64{501, 502}) || !slices.Equal(evs[0].Attachments, tk.Attachments) {
		t.Fatalf("attachments not kept: %+v", tk)
	}
}

func TestNonAssigneeRefused(t *testing.T) {
	in := start(t, seq3)
	for _, f := range []step{
		approve(2, 1, ""), reject(initiator, 1, "x"),
		func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.Return(in, Act{Actor: 3, At: hours(1), Opinion: "x"}, "a")
		},
	} {
		if e := refused(t, in, apperr.Forbidden, f); !strings.Contains(e.Message, "您不是「初审」的待办人员") {
			t.Fatalf("message %s", e.Message)
		}
	}
}

func TestWithdraw(t *testing.T) {
	in := start(t, countersign)
	in, _ = must(t, in, approve(11, 1, ""))
	withdraw := func(actor int64) step {
		return func(e *Engine, in *Instance) (*Instance, []Event, error) {
			return e.Withdraw(in, Act{Actor: actor, At: hours(2), Opinion: "材料有误，撤回重报"})
		}
	}
	if e := refused(t, in, apperr.Forbidden, withdraw(11)); !strings.Contains(e.Message, "发起人") {
		t.Fatal(e.Message)
	}
	in, evs := must(t, in, withdraw(initiator))
	if in.Status != Withdrawn || !slices.Equal(actions(evs), []Action{ActWithdraw, ActFinish}) {
		t.Fatalf("status %s events %v", in.Status, actions(evs))
	}
	if !slices.Equal(evs[0].To, []int64{12, 13}) {
		t.Fatalf("open task holders must be told: %v", evs[0].To)
	}
	if in.Pending() != nil || taskStatuses(in.Steps[0], 1)[12] != TaskCanceled {
		t.Fatal("open tasks must close")
	}
	refused(t, in, apperr.Conflict, withdraw(initiator))
	refused(t, in, apperr.Conflict, approve(12, 3, ""))
}

func TestStartErrors(t *testing.T) {
	e := newEngine()
	_, _, err := e.Start(mustDef(t, `{"code":"v","name":"空岗","steps":[{"key":"a","name":"初审","kind":"single","assignees":[{"role":"空岗"}]}]}`), initiator, unit, t0)
	if apperr.CodeOf(err) != apperr.Precondition || !strings.Contains(err.Error(), "「初审」没有可办理的人员") {
		t.Fatalf("err %v", err)
	}
	if _, _, err := e.Start(Definition{}, initiator, unit, t0); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("invalid definition: %v", err)
	}
	if _, _, err := New(nil, testRoles).Start(mustDef(t, threeReviews), initiator, unit, t0); apperr.CodeOf(err) != apperr.Internal {
		t.Fatalf("deadline without calendar: %v", err)
	}
}

// A chain stored mid-way and loaded again behaves exactly like the original.
func TestJSONRoundTripMidChain(t *testing.T) {
	in := start(t, threeReviews)
	in, _ = must(t, in, approve(1, 1, "初审同意"))
	in, _ = must(t, in, approve(11, 2, "合法"))
	in, _ = must(t, in, func(e *Engine, in *Instance) (*Instance, []Event, error) {
		return e.AddSigner(in, Act{Actor: 12, At: hours(3)}, 14)
	})
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var loaded Instance
	if err := json.Unmarshal(b, &loaded); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in, &loaded) {
		t.Fatalf("round trip differs:\n%s", b)
	}
	a, _ := must(t, in, approve(12, 4, "合法"))
	c, _ := must(t, &loaded, approve(12, 4, "合法"))
	ja, _ := json.Marshal(a)
	jc, _ := json.Marshal(c)
	if string(ja) != string(jc) {
		t.Fatal("loaded instance diverges from the original")
	}
	for _, key := range []string{`"status":"running"`, `"due_at":"2026-03-05T01:00:00Z"`, `"allow_return_to":["draft"]`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("stored JSON lacks %s", key)
		}
	}
}
