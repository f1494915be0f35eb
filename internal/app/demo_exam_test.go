package app

import (
	"fmt"
	"time"

	"fazhi/internal/exam"
	"fazhi/internal/platform/db"
)

// exams walks the demo exams: every attempt started inside its exam's
// window with the deadline the rule gives (start + duration, at most the
// close), closed no later than its deadline (or still open before it),
// scored exactly as the keys say; every candidate's attempts, sat, passed
// and best score agree with the attempts; the counters do not drift; the
// open exam is still waiting for clerk_sj (the browser test starts it).
func (c *demoCheck) exams() {
	type att struct {
		id, exam, cand                      int64
		status                              string
		started, deadline, opens, closes    time.Time
		submitted                           *time.Time
		duration, score, passMark, computed int
		passed                              bool
	}
	rows, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (att, error) {
		var r att
		err := sc.Scan(&r.id, &r.exam, &r.cand, &r.status, &r.started, &r.deadline, &r.submitted, &r.score, &r.passed, &r.opens, &r.closes, &r.duration, &r.passMark, &r.computed)
		return r, err
	}, `SELECT a.id, a.exam_id, a.candidate_id, a.status, a.started_at, a.deadline, a.submitted_at, a.score, a.passed, e.opens_at, e.closes_at, e.duration_min, e.pass_mark,
COALESCE((SELECT SUM(i.points) FROM exam_attempt_items i JOIN exam_questions q ON q.id = i.question_id WHERE i.attempt_id = a.id AND i.answer = q.answer), 0)
FROM exam_attempts a JOIN exams e ON e.id = a.exam_id ORDER BY a.id`)
	if err != nil {
		c.t.Fatal(err)
	}
	type tally struct {
		n, best     int
		sat, passed bool
	}
	byCand := map[int64]*tally{}
	expired := 0
	for _, r := range rows {
		c.count("exam")
		rec := fmt.Sprintf("考试答卷 %d", r.id)
		if r.started.Before(r.opens) || !r.started.Before(r.closes) {
			c.bad(rec, "开始于 %s，不在考试时间 %s 至 %s 内", r.started, r.opens, r.closes)
		}
		want := r.started.Add(time.Duration(r.duration) * time.Minute)
		if want.After(r.closes) {
			want = r.closes
		}
		if !r.deadline.Equal(want.Truncate(time.Second)) {
			c.bad(rec, "截止时间 %s，按规则应为 %s", r.deadline, want)
		}
		t := byCand[r.cand]
		if t == nil {
			t = &tally{}
			byCand[r.cand] = t
		}
		t.n++
		switch r.status {
		case exam.AttemptOpen:
			if !r.deadline.After(c.now) {
				c.bad(rec, "截止时间已过仍未交卷")
			}
			continue
		case exam.AttemptExpired:
			expired++
		}
		if r.submitted == nil || r.submitted.After(r.deadline) {
			c.bad(rec, "交卷时间 %v 晚于截止时间 %s", r.submitted, r.deadline)
		}
		if r.score != r.computed || r.passed != (r.score >= r.passMark) {
			c.bad(rec, "成绩 %d（合格 %v），按标准答案应为 %d", r.score, r.passed, r.computed)
		}
		t.sat = true
		t.passed = t.passed || r.passed
		t.best = max(t.best, r.score)
	}
	type cand struct {
		id                  int64
		attempts, best      int
		sat, passed         bool
		username, examTitle string
	}
	cands, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (cand, error) {
		var r cand
		err := sc.Scan(&r.id, &r.attempts, &r.best, &r.sat, &r.passed, &r.username, &r.examTitle)
		return r, err
	}, `SELECT c.id, c.attempts, c.best_score, c.sat, c.passed, u.username, e.title FROM exam_candidates c JOIN users u ON u.id = c.user_id JOIN exams e ON e.id = c.exam_id ORDER BY c.id`)
	if err != nil {
		c.t.Fatal(err)
	}
	clerkWaiting := false
	for _, r := range cands {
		t := byCand[r.id]
		if t == nil {
			t = &tally{}
		}
		if r.attempts != t.n || r.sat != t.sat || r.passed != t.passed || r.best != t.best {
			c.bad("考生 "+r.username+"（"+r.examTitle+"）", "作答 %d 次、已考 %v、合格 %v、最高分 %d，与答卷（%d 次、%v、%v、%d）不符",
				r.attempts, r.sat, r.passed, r.best, t.n, t.sat, t.passed, t.best)
		}
		if r.username == "clerk_sj" && r.examTitle == "2026 年下半年行政执法人员法律知识考试" && r.attempts == 0 {
			clerkWaiting = true
		}
	}
	if expired == 0 || !clerkWaiting {
		c.bad("在线考试演示", "到时自动交卷的答卷 %d 份；clerk_sj 待考的下半年考试：%v", expired, clerkWaiting)
	}
	if drift, n, err := exam.CandidateTally.Verify(c.ctx, c.a.DB, 5); err != nil || n != 0 {
		c.bad("在线考试计数", "偏差 %d：%v %v", n, drift, err)
	}
}
