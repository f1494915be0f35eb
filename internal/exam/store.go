package exam

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"fazhi/internal/platform/db"
)

// Store holds the engine's SQL: one method per query, no permission checks.
type Store struct{}

func affected(r sql.Result, err error) (bool, error) {
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

func (Store) unit(ctx context.Context, q db.Querier, id int64) (path, name string, err error) {
	err = q.QueryRow(ctx, "SELECT path, name FROM org_unit_refs WHERE id = ?", id).Scan(&path, &name)
	return path, name, db.Classify(err)
}

// ---- questions ----

const questionCols = `q.id, q.kind, q.topic, q.difficulty, q.stem, q.options, q.answer, q.explanation, q.active, q.version,
EXISTS (SELECT 1 FROM exam_attempt_items i WHERE i.question_id = q.id)`

func scanQuestion(sc db.Scanner) (*Question, error) {
	var q Question
	var opts string
	var active, used bool
	if err := sc.Scan(&q.ID, &q.Kind, &q.Topic, &q.Difficulty, &q.Stem, &opts, &q.Answer, &q.Explanation, &active, &q.Version, &used); err != nil {
		return nil, db.Classify(err)
	}
	q.Active, q.Used = active, used
	q.Options = []string{}
	if err := json.Unmarshal([]byte(opts), &q.Options); err != nil {
		return nil, err
	}
	return &q, nil
}

func (Store) question(ctx context.Context, q db.Querier, id int64) (*Question, error) {
	return scanQuestion(q.QueryRow(ctx, "SELECT "+questionCols+" FROM exam_questions q WHERE q.id = ?", id))
}

func optionsJSON(o []string) string {
	if o == nil {
		o = []string{}
	}
	b, _ := json.Marshal(o)
	return string(b)
}

func activeOf(p *bool) int {
	if p == nil || *p {
		return 1
	}
	return 0
}

func (Store) insertQuestion(ctx context.Context, q db.Querier, in QuestionInput, by int64, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO exam_questions (kind, topic, difficulty, stem, options, answer, explanation, active, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Kind, in.Topic, in.Difficulty, in.Stem, optionsJSON(in.Options), in.Answer, in.Explanation,
		activeOf(in.Active), by, at, at).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateQuestion(ctx context.Context, q db.Querier, id, version int64, in QuestionInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE exam_questions SET kind = ?, topic = ?, difficulty = ?, stem = ?, options = ?, answer = ?, explanation = ?, active = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, in.Kind, in.Topic, in.Difficulty, in.Stem, optionsJSON(in.Options), in.Answer,
		in.Explanation, activeOf(in.Active), at, id, version))
}

func (Store) topics(ctx context.Context, q db.Querier) ([]TopicCount, error) {
	rows, err := db.All(ctx, q, func(sc db.Scanner) (struct {
		topic, kind string
		n           int
	}, error) {
		var r struct {
			topic, kind string
			n           int
		}
		err := sc.Scan(&r.topic, &r.kind, &r.n)
		return r, err
	}, "SELECT topic, kind, COUNT(*) FROM exam_questions WHERE active = 1 GROUP BY topic, kind ORDER BY topic, kind")
	if err != nil {
		return nil, err
	}
	out := []TopicCount{}
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Topic != r.topic {
			out = append(out, TopicCount{Topic: r.topic})
		}
		t := &out[len(out)-1]
		switch r.kind {
		case KindSingle:
			t.Single = r.n
		case KindMultiple:
			t.Multiple = r.n
		case KindJudge:
			t.Judge = r.n
		}
	}
	return out, nil
}

// pool is the ids of the usable questions of topic and kind, in id order.
func (Store) pool(ctx context.Context, q db.Querier, topic, kind string) ([]int64, error) {
	return db.All(ctx, q, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT id FROM exam_questions WHERE topic = ? AND kind = ? AND active = 1 ORDER BY id", topic, kind)
}

// ---- exams ----

const examCols = `e.id, e.purpose, e.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), e.title, e.quotas, e.pools, e.total_points, e.duration_min,
e.opens_at, e.closes_at, e.pass_mark, e.max_attempts, e.version`
const examFrom = `exams e LEFT JOIN org_unit_refs u ON u.id = e.unit_id`

func scanExam(sc db.Scanner) (*Exam, error) {
	var e Exam
	var quotas, pools string
	if err := sc.Scan(&e.ID, &e.Purpose, &e.UnitID, &e.UnitName, &e.unitPath, &e.Title, &quotas, &pools, &e.TotalPoints, &e.DurationMin,
		&e.OpensAt, &e.ClosesAt, &e.PassMark, &e.MaxAttempts, &e.Version); err != nil {
		return nil, db.Classify(err)
	}
	if err := json.Unmarshal([]byte(quotas), &e.Quotas); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(pools), &e.pools); err != nil {
		return nil, err
	}
	e.OpensAt, e.ClosesAt = e.OpensAt.UTC(), e.ClosesAt.UTC()
	return &e, nil
}

func (Store) exam(ctx context.Context, q db.Querier, id int64) (*Exam, error) {
	return scanExam(q.QueryRow(ctx, "SELECT "+examCols+" FROM "+examFrom+" WHERE e.id = ?", id))
}

func (Store) insertExam(ctx context.Context, q db.Querier, in ExamInput, pools [][]int64, total int, closeDay string, by int64, at time.Time) (int64, error) {
	qb, _ := json.Marshal(in.Quotas)
	pb, _ := json.Marshal(pools)
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO exams (purpose, unit_id, title, quotas, pools, total_points, duration_min, opens_at, closes_at, close_day, pass_mark, max_attempts,
created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.Purpose, in.UnitID, in.Title, string(qb), string(pb), total,
		in.DurationMin, in.OpensAt.UTC(), in.ClosesAt.UTC(), closeDay, in.PassMark, in.MaxAttempts, by, at, at).Scan(&id)
	return id, db.Classify(err)
}

// updateExam rewrites an exam nobody has sat (the condition is in the
// statement, so an attempt started meanwhile makes it match nothing).
func (Store) updateExam(ctx context.Context, q db.Querier, id, version int64, in ExamInput, pools [][]int64, total int, closeDay string, at time.Time) (bool, error) {
	qb, _ := json.Marshal(in.Quotas)
	pb, _ := json.Marshal(pools)
	return affected(q.Exec(ctx, `UPDATE exams SET unit_id = ?, title = ?, quotas = ?, pools = ?, total_points = ?, duration_min = ?, opens_at = ?, closes_at = ?,
close_day = ?, pass_mark = ?, max_attempts = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ? AND NOT EXISTS (SELECT 1 FROM exam_attempts a WHERE a.exam_id = exams.id)`, in.UnitID, in.Title, string(qb), string(pb), total,
		in.DurationMin, in.OpensAt.UTC(), in.ClosesAt.UTC(), closeDay, in.PassMark, in.MaxAttempts, at, id, version))
}

// attemptCount is how many attempts an exam has (sat by anyone).
func (Store) attemptCount(ctx context.Context, q db.Querier, examID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM exam_attempts WHERE exam_id = ?", examID).Scan(&n)
	return n, db.Classify(err)
}

// deleteExam removes an exam nobody has sat, with its candidates.
func (Store) deleteExam(ctx context.Context, q db.Querier, id, version int64) (bool, error) {
	if _, err := q.Exec(ctx, `DELETE FROM exam_candidates WHERE exam_id = ? AND NOT EXISTS (SELECT 1 FROM exam_attempts a WHERE a.exam_id = ?)`, id, id); err != nil {
		return false, db.Classify(err)
	}
	return affected(q.Exec(ctx, `DELETE FROM exams WHERE id = ? AND version = ? AND NOT EXISTS (SELECT 1 FROM exam_attempts a WHERE a.exam_id = exams.id)`, id, version))
}

// ---- candidates ----

const candidateCols = `c.id, c.exam_id, e.title, c.user_id, c.name, c.unit_id, COALESCE(u.name, ''), c.attempts, c.sat, c.passed, c.best_score, c.passed_at, e.close_day`
const candidateFrom = `exam_candidates c JOIN exams e ON e.id = c.exam_id LEFT JOIN org_unit_refs u ON u.id = c.unit_id`

func scanCandidate(sc db.Scanner) (*Candidate, error) {
	var c Candidate
	var sat, passed bool
	var passedAt sql.NullTime
	if err := sc.Scan(&c.ID, &c.ExamID, &c.ExamTitle, &c.UserID, &c.Name, &c.UnitID, &c.UnitName, &c.Attempts, &sat, &passed, &c.BestScore, &passedAt, &c.CloseDay); err != nil {
		return nil, db.Classify(err)
	}
	c.Sat, c.Passed = sat, passed
	if passedAt.Valid {
		t := passedAt.Time.UTC()
		c.PassedAt = &t
	}
	switch {
	case c.Passed:
		c.StateLabel = "已通过"
	case c.Sat:
		c.StateLabel = "未通过"
	default:
		c.StateLabel = "未参考"
	}
	return &c, nil
}

func (Store) candidateOf(ctx context.Context, q db.Querier, examID, userID int64) (*Candidate, error) {
	return scanCandidate(q.QueryRow(ctx, "SELECT "+candidateCols+" FROM "+candidateFrom+" WHERE c.exam_id = ? AND c.user_id = ?", examID, userID))
}

func (Store) candidateUsers(ctx context.Context, q db.Querier, examID int64) (map[int64]bool, error) {
	ids, err := db.All(ctx, q, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT user_id FROM exam_candidates WHERE exam_id = ?", examID)
	out := map[int64]bool{}
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

func (Store) insertCandidate(ctx context.Context, q db.Querier, examID int64, p Person, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO exam_candidates (exam_id, user_id, name, unit_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
		examID, p.UserID, p.Name, p.UnitID, at).Scan(&id)
	return id, db.Classify(err)
}

// ---- attempts ----

type attempt struct {
	ID, ExamID, CandidateID, UserID int64
	Seq                             int
	Seed                            int64
	Status, ClosedBy                string
	StartedAt, Deadline             time.Time
	SubmittedAt                     *time.Time
	Score                           int
	Passed                          bool
}

const attemptCols = `a.id, a.exam_id, a.candidate_id, a.user_id, a.seq, a.seed, a.status, a.closed_by, a.started_at, a.deadline, a.submitted_at, a.score, a.passed`

func scanAttempt(sc db.Scanner) (*attempt, error) {
	var a attempt
	var sub sql.NullTime
	var passed bool
	if err := sc.Scan(&a.ID, &a.ExamID, &a.CandidateID, &a.UserID, &a.Seq, &a.Seed, &a.Status, &a.ClosedBy, &a.StartedAt, &a.Deadline, &sub, &a.Score, &passed); err != nil {
		return nil, db.Classify(err)
	}
	a.Passed = passed
	a.StartedAt, a.Deadline = a.StartedAt.UTC(), a.Deadline.UTC()
	if sub.Valid {
		t := sub.Time.UTC()
		a.SubmittedAt = &t
	}
	return &a, nil
}

func (Store) attempt(ctx context.Context, q db.Querier, id int64) (*attempt, error) {
	return scanAttempt(q.QueryRow(ctx, "SELECT "+attemptCols+" FROM exam_attempts a WHERE a.id = ?", id))
}

func (Store) openAttempt(ctx context.Context, q db.Querier, candidateID int64) (*attempt, error) {
	return scanAttempt(q.QueryRow(ctx, "SELECT "+attemptCols+" FROM exam_attempts a WHERE a.candidate_id = ? AND a.status = 'open' ORDER BY a.id DESC LIMIT 1", candidateID))
}

func (Store) lastAttempt(ctx context.Context, q db.Querier, candidateID int64) (*attempt, error) {
	return scanAttempt(q.QueryRow(ctx, "SELECT "+attemptCols+" FROM exam_attempts a WHERE a.candidate_id = ? ORDER BY a.seq DESC LIMIT 1", candidateID))
}

func (Store) insertAttempt(ctx context.Context, q db.Querier, a *attempt, items []Item) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO exam_attempts (exam_id, candidate_id, user_id, seq, seed, status, started_at, deadline)
VALUES (?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id`, a.ExamID, a.CandidateID, a.UserID, a.Seq, a.Seed, a.StartedAt, a.Deadline).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	for i, it := range items {
		if _, err := q.Exec(ctx, "INSERT INTO exam_attempt_items (attempt_id, pos, question_id, points) VALUES (?, ?, ?, ?)", id, i+1, it.QuestionID, it.Points); err != nil {
			return 0, db.Classify(err)
		}
	}
	return id, nil
}

// paperItem is one item of an attempt with its question (and key: the
// service never copies the key into what a candidate receives).
type paperItem struct {
	Pos, Points        int
	QuestionID         int64
	Kind, Stem, Answer string
	Options            []string
	Key                string
}

func (Store) items(ctx context.Context, q db.Querier, attemptID int64) ([]paperItem, error) {
	return db.All(ctx, q, func(sc db.Scanner) (paperItem, error) {
		var it paperItem
		var opts string
		if err := sc.Scan(&it.Pos, &it.Points, &it.QuestionID, &it.Kind, &it.Stem, &opts, &it.Answer, &it.Key); err != nil {
			return it, err
		}
		it.Options = []string{}
		return it, json.Unmarshal([]byte(opts), &it.Options)
	}, `SELECT i.pos, i.points, i.question_id, q.kind, q.stem, q.options, i.answer, q.answer FROM exam_attempt_items i
JOIN exam_questions q ON q.id = i.question_id WHERE i.attempt_id = ? ORDER BY i.pos`, attemptID)
}

func (Store) saveAnswer(ctx context.Context, q db.Querier, attemptID int64, pos int, answer string) error {
	_, err := q.Exec(ctx, "UPDATE exam_attempt_items SET answer = ? WHERE attempt_id = ? AND pos = ?", answer, attemptID, pos)
	return db.Classify(err)
}

func (Store) markItems(ctx context.Context, q db.Querier, attemptID int64, correct []int) error {
	if len(correct) > 0 {
		ph := strings.TrimSuffix(strings.Repeat("?,", len(correct)), ",")
		args := []any{attemptID}
		for _, p := range correct {
			args = append(args, p)
		}
		if _, err := q.Exec(ctx, "UPDATE exam_attempt_items SET correct = 1 WHERE attempt_id = ? AND pos IN ("+ph+")", args...); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

func (Store) closeAttempt(ctx context.Context, q db.Querier, id int64, status, by string, at time.Time, score int, passed bool) (bool, error) {
	return affected(q.Exec(ctx, "UPDATE exam_attempts SET status = ?, closed_by = ?, submitted_at = ?, score = ?, passed = ? WHERE id = ? AND status = 'open'",
		status, by, at, score, b2i(passed), id))
}

func (Store) expiredAttempts(ctx context.Context, q db.Querier, now time.Time, userID, examID int64, limit int) ([]int64, error) {
	cond, args := "a.status = 'open' AND a.deadline < ?", []any{now}
	if userID > 0 {
		cond += " AND a.user_id = ?"
		args = append(args, userID)
	}
	if examID > 0 {
		cond += " AND a.exam_id = ?"
		args = append(args, examID)
	}
	return db.All(ctx, q, func(sc db.Scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "SELECT a.id FROM exam_attempts a WHERE "+cond+" ORDER BY a.deadline, a.id LIMIT "+itoa(int64(limit)), args...)
}

func (Store) myExams(ctx context.Context, q db.Querier, userID int64) ([]MyExam, error) {
	return db.All(ctx, q, func(sc db.Scanner) (MyExam, error) {
		var m MyExam
		var sat, passed bool
		err := sc.Scan(&m.ExamID, &m.Title, &m.purpose, &m.DurationMin, &m.OpensAt, &m.ClosesAt, &m.TotalPoints, &m.PassMark, &m.MaxAttempts,
			&m.Attempts, &m.BestScore, &sat, &passed, &m.OpenAttemptID)
		m.Sat, m.Passed = sat, passed
		m.OpensAt, m.ClosesAt = m.OpensAt.UTC(), m.ClosesAt.UTC()
		return m, err
	}, `SELECT e.id, e.title, e.purpose, e.duration_min, e.opens_at, e.closes_at, e.total_points, e.pass_mark, e.max_attempts,
c.attempts, c.best_score, c.sat, c.passed, COALESCE((SELECT MAX(a.id) FROM exam_attempts a WHERE a.candidate_id = c.id AND a.status = 'open'), 0)
FROM exam_candidates c JOIN exams e ON e.id = c.exam_id WHERE c.user_id = ? ORDER BY e.closes_at DESC, e.id DESC LIMIT 200`, userID)
}
