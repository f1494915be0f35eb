package workflow

import (
	"slices"
	"time"
)

// SchemaVersion is written into every instance so that stored JSON can be
// migrated if the shape ever changes.
const SchemaVersion = 1

// Status is the state of a whole chain. Running is the only non-final one.
type Status string

const (
	Running   Status = "running"
	Approved  Status = "approved"
	Rejected  Status = "rejected"
	Withdrawn Status = "withdrawn"
)

// Label is the Chinese name shown to users.
func (s Status) Label() string {
	switch s {
	case Running:
		return "审批中"
	case Approved:
		return "已通过"
	case Rejected:
		return "未通过"
	case Withdrawn:
		return "已撤回"
	}
	return string(s)
}

// TaskStatus is the state of one person's task on one step.
type TaskStatus string

const (
	TaskPending     TaskStatus = "pending"
	TaskApproved    TaskStatus = "approved"
	TaskRejected    TaskStatus = "rejected"
	TaskReturned    TaskStatus = "returned"
	TaskTransferred TaskStatus = "transferred"
	// TaskCanceled closes a task nobody needs any more: the step was decided
	// without it (或签, a reached 会签 ratio), returned, or withdrawn.
	TaskCanceled TaskStatus = "canceled"
)

// Label is the Chinese name shown to users.
func (s TaskStatus) Label() string {
	switch s {
	case TaskPending:
		return "待办"
	case TaskApproved:
		return "同意"
	case TaskRejected:
		return "不同意"
	case TaskReturned:
		return "退回"
	case TaskTransferred:
		return "已转办"
	case TaskCanceled:
		return "无需办理"
	}
	return string(s)
}

// Instance is the whole state of one chain run. It is meant to be stored as
// JSON in one column; it carries a snapshot of its definition so that an
// administrator editing the chain never changes a matter already under way.
type Instance struct {
	Schema     int        `json:"schema"`
	Definition Definition `json:"definition"`
	UnitID     int64      `json:"unit_id"`
	Initiator  int64      `json:"initiator"`
	Status     Status     `json:"status"`
	// Current indexes Steps and Definition.Steps; after the chain ends it
	// still points at the step where it ended.
	Current   int         `json:"current"`
	Steps     []StepState `json:"steps"`
	History   []Event     `json:"history"`
	StartedAt time.Time   `json:"started_at"`
	EndedAt   time.Time   `json:"ended_at,omitzero"`
}

// StepState is the run-time state of one step. Round counts activations:
// a return re-opens a step in a new round, and the tasks of earlier rounds
// stay in Tasks so their opinions remain on record.
type StepState struct {
	Key         string    `json:"key"`
	Round       int       `json:"round"`
	ActivatedAt time.Time `json:"activated_at,omitzero"`
	DueAt       time.Time `json:"due_at,omitzero"`
	RemindAt    time.Time `json:"remind_at,omitzero"`
	RemindedAt  time.Time `json:"reminded_at,omitzero"`
	EscalatedAt time.Time `json:"escalated_at,omitzero"`
	// Escalate and CC are resolved from roles when the step is activated,
	// like the assignees, so later queries need no resolver.
	Escalate []int64 `json:"escalate,omitempty"`
	CC       []int64 `json:"cc,omitempty"`
	Tasks    []Task  `json:"tasks,omitempty"`
}

// Task is one person's piece of a step.
type Task struct {
	Round         int        `json:"round"`
	Assignee      int64      `json:"assignee"`
	Status        TaskStatus `json:"status"`
	Opinion       string     `json:"opinion,omitempty"`
	Attachments   []int64    `json:"attachments,omitempty"` // file IDs
	ActedAt       time.Time  `json:"acted_at,omitzero"`
	ActedBy       int64      `json:"acted_by,omitempty"` // 0 when the system closed it
	AddedBy       int64      `json:"added_by,omitempty"` // who transferred or added this task
	TransferredTo int64      `json:"transferred_to,omitempty"`
}

// Action names an event in the history.
type Action string

const (
	ActStart     Action = "start"      // 发起
	ActActivate  Action = "activate"   // a step opens; To = its assignees
	ActApprove   Action = "approve"    // 同意
	ActReject    Action = "reject"     // 不同意
	ActReturn    Action = "return"     // 退回; TargetStep says where to
	ActTransfer  Action = "transfer"   // 转办; User is the new assignee
	ActAddSigner Action = "add_signer" // 加签; User is the added assignee
	ActCC        Action = "cc"         // 抄送; To = the copied users
	ActWithdraw  Action = "withdraw"   // 撤回 by the initiator
	ActFinish    Action = "finish"     // the chain ended; Result says how
	ActRemind    Action = "remind"     // 催办提醒 before the due date
	ActEscalate  Action = "escalate"   // 超期督办 after the due date
)

// Label is the Chinese name shown on the timeline.
func (a Action) Label() string {
	return map[Action]string{
		ActStart: "发起", ActActivate: "送达", ActApprove: "同意", ActReject: "不同意",
		ActReturn: "退回", ActTransfer: "转办", ActAddSigner: "加签", ActCC: "抄送",
		ActWithdraw: "撤回", ActFinish: "办结", ActRemind: "到期提醒", ActEscalate: "超期督办",
	}[a]
}

// Event is one line of the history, and also the unit of output: the caller
// writes each new event to the audit log and notifies the users in To.
// Returned events share memory with the instance's history: read only.
type Event struct {
	Seq         int       `json:"seq"` // 1-based position in History
	At          time.Time `json:"at"`
	Action      Action    `json:"action"`
	Actor       int64     `json:"actor,omitempty"` // 0 = the system
	Step        string    `json:"step,omitempty"`
	Round       int       `json:"round,omitempty"`
	Opinion     string    `json:"opinion,omitempty"`
	Attachments []int64   `json:"attachments,omitempty"`
	TargetStep  string    `json:"target_step,omitempty"`
	User        int64     `json:"user,omitempty"`
	To          []int64   `json:"to,omitempty"`
	DueAt       time.Time `json:"due_at,omitzero"`
	Result      Status    `json:"result,omitempty"`
}

// Pending returns the users with an open task on the current step, in task
// order; a module stores them to build each user's to-do list.
func (in *Instance) Pending() []int64 {
	if in.Status != Running {
		return nil
	}
	return in.Steps[in.Current].pending()
}

// CurrentStep returns the definition of the current step.
func (in *Instance) CurrentStep() Step { return in.Definition.Steps[in.Current] }

func (st *StepState) pending() []int64 {
	var out []int64
	for _, t := range st.Tasks {
		if t.Round == st.Round && t.Status == TaskPending {
			out = append(out, t.Assignee)
		}
	}
	return out
}

// pendingTask returns the actor's open task in the current round, or nil.
func (st *StepState) pendingTask(user int64) *Task {
	for i := range st.Tasks {
		t := &st.Tasks[i]
		if t.Round == st.Round && t.Status == TaskPending && t.Assignee == user {
			return t
		}
	}
	return nil
}

// busy reports whether user already holds or decided a task in this round,
// so a transfer or 加签 cannot give one person two votes.
func (st *StepState) busy(user int64) bool {
	for _, t := range st.Tasks {
		if t.Round == st.Round && t.Assignee == user &&
			(t.Status == TaskPending || t.Status == TaskApproved || t.Status == TaskRejected) {
			return true
		}
	}
	return false
}

// tally counts the current round's votes; transferred and canceled tasks do
// not count towards the total.
func (st *StepState) tally() (approved, pending, total int) {
	for _, t := range st.Tasks {
		if t.Round != st.Round {
			continue
		}
		switch t.Status {
		case TaskApproved:
			approved++
			total++
		case TaskPending:
			pending++
			total++
		case TaskRejected:
			total++
		}
	}
	return
}

// clone copies everything an action may change. History is clipped rather
// than copied: appending to a clipped slice always reallocates, so the
// caller's instance never sees the new events.
func (in *Instance) clone() *Instance {
	n := *in
	n.Steps = make([]StepState, len(in.Steps))
	for i, s := range in.Steps {
		s.Tasks = slices.Clone(s.Tasks)
		n.Steps[i] = s
	}
	n.History = slices.Clip(in.History)
	return &n
}

// emit appends an event to the history.
func (in *Instance) emit(e Event) {
	e.Seq = len(in.History) + 1
	e.At = e.At.UTC()
	in.History = append(in.History, e)
}
