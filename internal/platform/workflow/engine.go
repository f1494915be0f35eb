package workflow

import (
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
)

// DueCalculator adds working days to an instant. The integrator plugs in the
// statutory calendar (holidays and 调休) so that step deadlines count days the
// way the law does; the engine itself knows nothing about calendars.
type DueCalculator interface {
	AddWorkingDays(from time.Time, n int) time.Time
}

// Resolver returns the users holding a role in a unit. It is called only
// when a step is activated, so a change of staff affects steps reached
// afterwards, never tasks already handed out.
type Resolver interface {
	UsersInRole(role string, unitID int64) ([]int64, error)
}

// Engine runs chains. It holds only the two lookups it needs and no state,
// so one Engine serves every module and goroutine.
type Engine struct {
	due DueCalculator
	res Resolver
}

// New returns an engine. due may be nil if no chain uses deadlines, res if
// no chain names roles; using them then is an internal error.
func New(due DueCalculator, res Resolver) *Engine { return &Engine{due: due, res: res} }

// Act says who acts, when, and with what opinion and attachments (file IDs).
type Act struct {
	Actor       int64
	At          time.Time
	Opinion     string
	Attachments []int64
}

// Start validates def, opens its first step and returns the new instance.
// unitID is the unit the matter belongs to; role assignees without their
// own unit are looked up there.
func (e *Engine) Start(def Definition, initiator, unitID int64, at time.Time) (*Instance, []Event, error) {
	if err := def.Validate(); err != nil {
		return nil, nil, err
	}
	if initiator <= 0 {
		return nil, nil, apperr.Field("initiator", "发起人无效")
	}
	if at.IsZero() {
		return nil, nil, apperr.Field("at", "缺少办理时间")
	}
	at = at.UTC()
	in := &Instance{
		Schema: SchemaVersion, Definition: def, UnitID: unitID, Initiator: initiator,
		Status: Running, StartedAt: at, Steps: make([]StepState, len(def.Steps)),
	}
	for i, s := range def.Steps {
		in.Steps[i].Key = s.Key
	}
	in.emit(Event{At: at, Action: ActStart, Actor: initiator})
	if err := e.activate(in, 0, at); err != nil {
		return nil, nil, err
	}
	return in, in.History, nil
}

// Approve records the actor's approval and, if that decides the step, moves
// on to the next step or ends the chain as approved.
func (e *Engine) Approve(in *Instance, a Act) (*Instance, []Event, error) {
	return e.act(in, a, func(n *Instance, st *StepState, t *Task, def Step) error {
		if err := checkOpinion(def, a, def.OpinionRequired); err != nil {
			return err
		}
		decide(t, TaskApproved, a)
		n.emit(Event{At: a.At, Action: ActApprove, Actor: a.Actor, Step: st.Key, Round: st.Round,
			Opinion: a.Opinion, Attachments: t.Attachments})
		if approved, _, total := st.tally(); approved >= need(def, total) {
			return e.advance(n, a.At)
		}
		return nil
	})
}

// Reject records the actor's rejection. On a single or 或签 step that ends
// the chain as rejected; on a 会签 step it is one vote, and the chain ends
// only once the ratio can no longer be reached.
func (e *Engine) Reject(in *Instance, a Act) (*Instance, []Event, error) {
	return e.act(in, a, func(n *Instance, st *StepState, t *Task, def Step) error {
		if err := checkOpinion(def, a, def.OpinionRequired); err != nil {
			return err
		}
		decide(t, TaskRejected, a)
		n.emit(Event{At: a.At, Action: ActReject, Actor: a.Actor, Step: st.Key, Round: st.Round,
			Opinion: a.Opinion, Attachments: t.Attachments})
		approved, pending, total := st.tally()
		if def.Kind != KindCountersign || approved+pending < need(def, total) {
			closeOpen(st, a.At)
			n.finish(Rejected, a.At)
		}
		return nil
	})
}

// Return sends the matter back to an earlier step that the current step's
// allow_return_to permits; that step opens again with freshly resolved tasks
// and the chain runs forward from there.
func (e *Engine) Return(in *Instance, a Act, toStep string) (*Instance, []Event, error) {
	return e.act(in, a, func(n *Instance, st *StepState, t *Task, def Step) error {
		to := slices.IndexFunc(n.Definition.Steps, func(s Step) bool { return s.Key == toStep })
		if to < 0 {
			return apperr.Field("to", "退回的步骤「%s」不存在", toStep)
		}
		if !def.AllowReturnTo.allows(n.Definition, n.Current, to) {
			return apperr.New(apperr.Forbidden, "「%s」不允许退回到「%s」", def.Name, n.Definition.Steps[to].Name)
		}
		if err := checkOpinion(def, a, def.OpinionRequired); err != nil {
			return err
		}
		decide(t, TaskReturned, a)
		n.emit(Event{At: a.At, Action: ActReturn, Actor: a.Actor, Step: st.Key, Round: st.Round,
			Opinion: a.Opinion, Attachments: t.Attachments, TargetStep: toStep})
		closeOpen(st, a.At)
		return e.activate(n, to, a.At)
	})
}

// Transfer (转办) hands the actor's task to another user, who takes the
// actor's place; the actor's task is kept as transferred.
func (e *Engine) Transfer(in *Instance, a Act, to int64) (*Instance, []Event, error) {
	return e.act(in, a, func(n *Instance, st *StepState, t *Task, def Step) error {
		if !def.AllowTransfer {
			return apperr.New(apperr.Forbidden, "「%s」不允许转办", def.Name)
		}
		if err := checkTarget(st, a, to, "转办"); err != nil {
			return err
		}
		if err := checkOpinion(def, a, false); err != nil {
			return err
		}
		decide(t, TaskTransferred, a)
		t.TransferredTo = to
		st.Tasks = append(st.Tasks, Task{Round: st.Round, Assignee: to, Status: TaskPending, AddedBy: a.Actor})
		n.emit(Event{At: a.At, Action: ActTransfer, Actor: a.Actor, Step: st.Key, Round: st.Round,
			Opinion: a.Opinion, Attachments: t.Attachments, User: to, To: []int64{to}})
		return nil
	})
}

// AddSigner (加签) adds a reviewer to the current step. The actor keeps
// their own task; on a 会签 step the new task counts towards the ratio.
func (e *Engine) AddSigner(in *Instance, a Act, user int64) (*Instance, []Event, error) {
	return e.act(in, a, func(n *Instance, st *StepState, t *Task, def Step) error {
		if !def.AllowAddSigner {
			return apperr.New(apperr.Forbidden, "「%s」不允许加签", def.Name)
		}
		if err := checkTarget(st, a, user, "加签"); err != nil {
			return err
		}
		if err := checkOpinion(def, a, false); err != nil {
			return err
		}
		st.Tasks = append(st.Tasks, Task{Round: st.Round, Assignee: user, Status: TaskPending, AddedBy: a.Actor})
		n.emit(Event{At: a.At, Action: ActAddSigner, Actor: a.Actor, Step: st.Key, Round: st.Round,
			Opinion: a.Opinion, User: user, To: []int64{user}})
		return nil
	})
}

// CC (抄送) copies the matter to users for their information. It changes no
// task; the event it returns is the notification to send.
func (e *Engine) CC(in *Instance, a Act, users []int64) (*Instance, []Event, error) {
	return e.act(in, a, func(n *Instance, st *StepState, _ *Task, def Step) error {
		users = dedupe(users)
		if len(users) == 0 {
			return apperr.Field("users", "请选择抄送人")
		}
		if len(users) > MaxAssignees {
			return apperr.Field("users", "抄送人不能超过%d个", MaxAssignees)
		}
		if slices.ContainsFunc(users, func(u int64) bool { return u <= 0 }) {
			return apperr.Field("users", "抄送人编号无效")
		}
		if err := checkOpinion(def, a, false); err != nil {
			return err
		}
		n.emit(Event{At: a.At, Action: ActCC, Actor: a.Actor, Step: st.Key, Round: st.Round,
			Opinion: a.Opinion, Attachments: clean(a.Attachments), To: users})
		return nil
	})
}

// Withdraw (撤回) lets the initiator stop a running chain; open tasks close
// and their holders are told.
func (e *Engine) Withdraw(in *Instance, a Act) (*Instance, []Event, error) {
	if err := begin(in, a); err != nil {
		return nil, nil, err
	}
	if a.Actor != in.Initiator {
		return nil, nil, apperr.New(apperr.Forbidden, "只有发起人可以撤回")
	}
	if err := checkOpinion(in.CurrentStep(), a, false); err != nil {
		return nil, nil, err
	}
	a.At = a.At.UTC()
	n := in.clone()
	st := &n.Steps[n.Current]
	open := st.pending()
	closeOpen(st, a.At)
	n.emit(Event{At: a.At, Action: ActWithdraw, Actor: a.Actor, Step: st.Key, Round: st.Round,
		Opinion: a.Opinion, To: open})
	n.finish(Withdrawn, a.At)
	return n, n.History[len(in.History):], nil
}

// act runs the checks shared by every assignee action, then fn on a copy.
// The copy is returned only if fn succeeds, so errors never leave half-done
// state behind.
func (e *Engine) act(in *Instance, a Act, fn func(n *Instance, st *StepState, t *Task, def Step) error) (*Instance, []Event, error) {
	if err := begin(in, a); err != nil {
		return nil, nil, err
	}
	a.At = a.At.UTC()
	n := in.clone()
	st := &n.Steps[n.Current]
	t := st.pendingTask(a.Actor)
	if t == nil {
		return nil, nil, apperr.New(apperr.Forbidden, "您不是「%s」的待办人员，不能办理", n.CurrentStep().Name)
	}
	if err := fn(n, st, t, n.CurrentStep()); err != nil {
		return nil, nil, err
	}
	return n, n.History[len(in.History):], nil
}

func begin(in *Instance, a Act) error {
	if in == nil || len(in.Steps) == 0 || in.Current < 0 || in.Current >= len(in.Steps) ||
		len(in.Steps) != len(in.Definition.Steps) {
		return apperr.New(apperr.Internal, "审批实例数据不完整")
	}
	if a.At.IsZero() {
		return apperr.Field("at", "缺少办理时间")
	}
	if in.Status != Running {
		return apperr.New(apperr.Conflict, "审批%s，不能再办理", in.Status.Label())
	}
	return nil
}

// activate opens step idx in a new round: resolves its people, computes its
// due date and tells the assignees.
func (e *Engine) activate(n *Instance, idx int, at time.Time) error {
	def := n.Definition.Steps[idx]
	users, err := e.resolve(def.Assignees, n.UnitID)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		return apperr.New(apperr.Precondition, "「%s」没有可办理的人员，请检查审批流程配置", def.Name)
	}
	st := &n.Steps[idx]
	st.Round++
	st.ActivatedAt, st.DueAt, st.RemindAt, st.RemindedAt, st.EscalatedAt = at, time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if def.DeadlineDays > 0 {
		if e.due == nil {
			return apperr.New(apperr.Internal, "未配置工作日历，无法计算「%s」的办理时限", def.Name)
		}
		st.DueAt = e.due.AddWorkingDays(at, def.DeadlineDays).UTC()
		// "k working days before due" is counted forward from activation
		// (deadline-k working days), so the calendar needs only AddWorkingDays.
		if def.RemindBeforeDays > 0 {
			st.RemindAt = e.due.AddWorkingDays(at, def.DeadlineDays-def.RemindBeforeDays).UTC()
		}
	}
	st.Escalate = nil
	if def.EscalateTo != nil {
		if st.Escalate, err = e.resolve([]Assignee{*def.EscalateTo}, n.UnitID); err != nil {
			return err
		}
	}
	if st.CC, err = e.resolve(def.CC, n.UnitID); err != nil {
		return err
	}
	for _, u := range users {
		st.Tasks = append(st.Tasks, Task{Round: st.Round, Assignee: u, Status: TaskPending})
	}
	n.Current = idx
	n.emit(Event{At: at, Action: ActActivate, Step: st.Key, Round: st.Round, To: users, DueAt: st.DueAt})
	return nil
}

// advance closes the approved current step, copies it to its cc list and
// opens the next step or ends the chain.
func (e *Engine) advance(n *Instance, at time.Time) error {
	st := &n.Steps[n.Current]
	closeOpen(st, at)
	if len(st.CC) > 0 {
		n.emit(Event{At: at, Action: ActCC, Step: st.Key, Round: st.Round, To: st.CC})
	}
	if n.Current == len(n.Steps)-1 {
		n.finish(Approved, at)
		return nil
	}
	return e.activate(n, n.Current+1, at)
}

func (n *Instance) finish(s Status, at time.Time) {
	n.Status, n.EndedAt = s, at.UTC()
	n.emit(Event{At: at, Action: ActFinish, Step: n.Steps[n.Current].Key, Round: n.Steps[n.Current].Round,
		Result: s, To: []int64{n.Initiator}})
}

func (e *Engine) resolve(as []Assignee, unit int64) ([]int64, error) {
	var out []int64
	for _, a := range as {
		if a.UserID > 0 {
			out = append(out, a.UserID)
			continue
		}
		if e.res == nil {
			return nil, apperr.New(apperr.Internal, "未配置角色解析，无法确定角色「%s」的人员", a.Role)
		}
		u := unit
		if a.UnitID != 0 {
			u = a.UnitID
		}
		ids, err := e.res.UsersInRole(a.Role, u)
		if err != nil {
			if ae := apperr.As(err); ae != nil {
				return nil, ae
			}
			return nil, apperr.Wrap(err, apperr.Internal, "查询角色「%s」的人员失败", a.Role)
		}
		out = append(out, ids...)
	}
	return dedupe(out), nil
}

// need is how many approvals decide a step with total counted tasks. The
// small epsilon keeps 2/3 of 3 at 2 despite floating point.
func need(def Step, total int) int {
	if def.Kind != KindCountersign {
		return 1
	}
	return max(1, int(math.Ceil(def.ratio()*float64(total)-1e-9)))
}

func decide(t *Task, s TaskStatus, a Act) {
	t.Status, t.Opinion, t.Attachments, t.ActedAt, t.ActedBy = s, a.Opinion, clean(a.Attachments), a.At.UTC(), a.Actor
}

// closeOpen cancels the open tasks of a step that no longer need doing.
func closeOpen(st *StepState, at time.Time) {
	for i := range st.Tasks {
		if t := &st.Tasks[i]; t.Round == st.Round && t.Status == TaskPending {
			t.Status, t.ActedAt = TaskCanceled, at.UTC()
		}
	}
}

func checkOpinion(def Step, a Act, required bool) error {
	if required && strings.TrimSpace(a.Opinion) == "" {
		return apperr.Field("opinion", "「%s」须填写审查意见", def.Name)
	}
	if utf8.RuneCountInString(a.Opinion) > MaxOpinionRunes {
		return apperr.Field("opinion", "意见不能超过%d字", MaxOpinionRunes)
	}
	if len(a.Attachments) > MaxAttachments {
		return apperr.Field("attachments", "附件不能超过%d个", MaxAttachments)
	}
	if slices.ContainsFunc(a.Attachments, func(id int64) bool { return id <= 0 }) {
		return apperr.Field("attachments", "附件编号无效")
	}
	return nil
}

func checkTarget(st *StepState, a Act, to int64, what string) error {
	switch {
	case to <= 0:
		return apperr.Field("to", "请选择%s对象", what)
	case to == a.Actor:
		return apperr.Field("to", "不能%s给自己", what)
	case st.busy(to):
		return apperr.New(apperr.Conflict, "该人员已在本步骤办理，不能重复%s", what)
	}
	return nil
}

// dedupe keeps the first occurrence of each ID and returns nil for none, so
// that instances compare equal after a JSON round trip.
func dedupe(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

func clean(ids []int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	return slices.Clone(ids)
}
