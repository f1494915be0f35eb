// Package exam is the online exam engine shared by the modules that train
// and examine people: a question bank (single choice, multiple choice,
// true/false) by topic and difficulty, exams with topic quotas, a window,
// a duration, a pass mark and a retake limit, papers drawn at random for
// each attempt from a stored seed, timed attempts with answers saved on
// the server, scoring by the server only, certificates of completion and
// the counters behind coverage and pass-rate figures.
//
// Whose exam it is comes from its purpose ("enforcement": officers' legal
// training, issue 21; leaders' law exams later), registered at wiring with
// the source of its candidates. The engine imports no business module.
//
// Answer keys stay on the server: the candidate's types (Paper,
// PaperQuestion, MyExam, Result) have no answer field at all.
package exam

import (
	"context"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/option"
)

// Permissions.
const (
	PermManage = "exam.manage" // the question bank, exams and their candidates
	PermRead   = "exam.read"   // candidates' results in the actor's scope
	PermTake   = "exam.take"   // sit an exam one is a candidate of
)

func init() {
	auth.RegisterPerms("exam", map[string]string{
		PermManage: "维护考试题库、组织在线考试", PermRead: "查看考试参考与成绩情况", PermTake: "参加在线考试",
	})
}

// Option is a code with its Chinese label.
type Option = option.Option

// Question kinds.
const (
	KindSingle   = "single"
	KindMultiple = "multiple"
	KindJudge    = "judge"
)

// Kinds of questions.
var Kinds = []Option{{Value: KindSingle, Label: "单选题"}, {Value: KindMultiple, Label: "多选题"}, {Value: KindJudge, Label: "判断题"}}

// Difficulties of questions.
var Difficulties = []Option{{Value: "easy", Label: "容易"}, {Value: "medium", Label: "中等"}, {Value: "hard", Label: "较难"}}

// JudgeOptions are the two choices every true/false question shows.
var JudgeOptions = []string{"正确", "错误"}

// Attempt statuses.
const (
	AttemptOpen      = "open"
	AttemptSubmitted = "submitted"
	AttemptExpired   = "expired" // closed at its deadline with the answers saved by then
)

// AttemptStatuses with their labels.
var AttemptStatuses = []Option{{Value: AttemptOpen, Label: "答题中"}, {Value: AttemptSubmitted, Label: "已交卷"}, {Value: AttemptExpired, Label: "超时自动交卷"}}

// Question is one bank question as its managers see it (with the key).
type Question struct {
	ID              int64    `json:"id"`
	Kind            string   `json:"kind"`
	KindLabel       string   `json:"kind_label"`
	Topic           string   `json:"topic"`
	Difficulty      string   `json:"difficulty"`
	DifficultyLabel string   `json:"difficulty_label"`
	Stem            string   `json:"stem"`
	Options         []string `json:"options"`
	Answer          string   `json:"answer" doc:"标准答案：单选 A，多选 ACD，判断 T（正确）或 F（错误）"`
	Explanation     string   `json:"explanation"`
	Active          bool     `json:"active"`
	Used            bool     `json:"used" doc:"已出现在考生试卷中（不能再修改题干、选项和答案）"`
	Version         int64    `json:"version"`
}

// Quota is one part of a paper: Count questions of Kind on Topic, Points
// each.
type Quota struct {
	Topic  string `json:"topic"`
	Kind   string `json:"kind"`
	Count  int    `json:"count"`
	Points int    `json:"points"`
}

// Exam is an exam as its organisers see it.
type Exam struct {
	ID           int64     `json:"id"`
	Purpose      string    `json:"purpose"`
	PurposeLabel string    `json:"purpose_label"`
	UnitID       int64     `json:"unit_id"`
	UnitName     string    `json:"unit_name"`
	Title        string    `json:"title"`
	Quotas       []Quota   `json:"quotas"`
	TotalPoints  int       `json:"total_points"`
	DurationMin  int       `json:"duration_min"`
	OpensAt      time.Time `json:"opens_at"`
	ClosesAt     time.Time `json:"closes_at"`
	PassMark     int       `json:"pass_mark"`
	MaxAttempts  int       `json:"max_attempts"`
	State        string    `json:"state" doc:"pending 未开始 / open 进行中 / closed 已结束"`
	StateLabel   string    `json:"state_label"`
	Version      int64     `json:"version"`
	unitPath     string
	pools        [][]int64
}

// Candidate is one required candidate of an exam with the result so far.
type Candidate struct {
	ID         int64      `json:"id"`
	ExamID     int64      `json:"exam_id"`
	ExamTitle  string     `json:"exam_title"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	UnitID     int64      `json:"unit_id"`
	UnitName   string     `json:"unit_name"`
	Attempts   int        `json:"attempts"`
	Sat        bool       `json:"sat"`
	Passed     bool       `json:"passed"`
	BestScore  int        `json:"best_score"`
	PassedAt   *time.Time `json:"passed_at,omitempty"`
	CloseDay   string     `json:"close_day"`
	StateLabel string     `json:"state_label" doc:"未参考 / 未通过 / 已通过"`
}

// PaperQuestion is one question of a candidate's paper: no answer, no
// explanation.
type PaperQuestion struct {
	Pos       int      `json:"pos"`
	Kind      string   `json:"kind"`
	KindLabel string   `json:"kind_label"`
	Stem      string   `json:"stem"`
	Options   []string `json:"options"`
	Points    int      `json:"points"`
}

// Paper is a candidate's attempt: the questions, the answers saved so far,
// the server's deadline and, once closed, the score.
type Paper struct {
	AttemptID        int64             `json:"attempt_id"`
	ExamID           int64             `json:"exam_id"`
	ExamTitle        string            `json:"exam_title"`
	Seq              int               `json:"seq" doc:"第几次作答"`
	Status           string            `json:"status"`
	StatusLabel      string            `json:"status_label"`
	StartedAt        time.Time         `json:"started_at"`
	Deadline         time.Time         `json:"deadline"`
	ServerNow        time.Time         `json:"server_now"`
	RemainingSeconds int               `json:"remaining_seconds"`
	TotalPoints      int               `json:"total_points"`
	PassMark         int               `json:"pass_mark"`
	Questions        []PaperQuestion   `json:"questions"`
	Saved            map[string]string `json:"saved" doc:"已保存的作答：题号 → 选项"`
	Result           *Result           `json:"result,omitempty"`
}

// Result is a closed attempt's outcome (the score only: which questions
// were wrong is not shown, so a retake stays an exam).
type Result struct {
	Score       int        `json:"score"`
	TotalPoints int        `json:"total_points"`
	PassMark    int        `json:"pass_mark"`
	Passed      bool       `json:"passed"`
	Answered    int        `json:"answered"`
	Questions   int        `json:"questions"`
	SubmittedAt *time.Time `json:"submitted_at,omitempty"`
	ClosedBy    string     `json:"closed_by" doc:"candidate 考生交卷 / deadline 到时自动交卷"`
}

// MyExam is one exam in a candidate's list.
type MyExam struct {
	ExamID        int64     `json:"exam_id"`
	Title         string    `json:"title"`
	PurposeLabel  string    `json:"purpose_label"`
	DurationMin   int       `json:"duration_min"`
	OpensAt       time.Time `json:"opens_at"`
	ClosesAt      time.Time `json:"closes_at"`
	TotalPoints   int       `json:"total_points"`
	PassMark      int       `json:"pass_mark"`
	MaxAttempts   int       `json:"max_attempts"`
	Attempts      int       `json:"attempts"`
	BestScore     int       `json:"best_score"`
	Sat           bool      `json:"sat"`
	Passed        bool      `json:"passed"`
	State         string    `json:"state"`
	StateLabel    string    `json:"state_label"`
	OpenAttemptID int64     `json:"open_attempt_id" doc:"正在作答的答卷（0：无）"`
	CanStart      bool      `json:"can_start"`
	Note          string    `json:"note" doc:"不能开始时的原因"`
	purpose       string
}

// Person is a candidate as the purpose's source names them.
type Person struct {
	UserID int64
	Name   string
	UnitID int64
}

// CandidateSource lists the people a purpose's exams may require: those
// of unit unitID's subtree (0: none) and those of userIDs, each once.
// Unknown ids are left out; the engine reports them.
type CandidateSource func(ctx context.Context, unitID int64, userIDs []int64) ([]Person, error)

// Purpose is whose exams these are.
type Purpose struct {
	Code, Label string
	Candidates  CandidateSource
}
