package exam

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
)

// The attempt's timer is the exam's own rule (a duration in minutes within
// the window), not a statutory deadline: it is counted in wall-clock time,
// not through the working-day calendar.

func notCandidate() error {
	return apperr.New(apperr.NotFound, "考试不存在或您不是本场考试的考生")
}

func notYours() error { return apperr.New(apperr.NotFound, "答卷不存在") }

func newSeed() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:]) >> 1)
}

// candidateCtx is the signed-in candidate's row of exam examID.
func (s *Service) candidateCtx(ctx context.Context, q db.Querier, examID int64) (*auth.Actor, *Exam, *Candidate, error) {
	a, err := auth.Require(ctx, PermTake)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := s.st.candidateOf(ctx, q, examID, a.UserID)
	if apperr.Is(err, apperr.NotFound) {
		return nil, nil, nil, notCandidate()
	}
	if err != nil {
		return nil, nil, nil, err
	}
	e, err := s.st.exam(ctx, q, examID)
	if err != nil {
		return nil, nil, nil, err
	}
	return a, e, c, nil
}

// Start begins an attempt of exam examID for the signed-in candidate, or
// resumes the one in progress. Gates: the candidate is required for the
// exam; the window is open; the candidate has not passed yet; fewer than
// MaxAttempts attempts were started. The server records the start and the
// deadline (start + duration, at most the window's close) and draws the
// paper from a fresh seed.
func (s *Service) Start(ctx context.Context, examID int64) (*Paper, error) {
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		_, e, c, err := s.candidateCtx(ctx, tx, examID)
		if err != nil {
			return err
		}
		now := s.clock(ctx)
		if open, err := s.st.openAttempt(ctx, tx, c.ID); err == nil {
			if !now.After(open.Deadline) {
				id = open.ID
				return nil
			}
			if err := s.close(ctx, tx, open, e, AttemptExpired, "deadline", open.Deadline); err != nil {
				return err
			}
			if c, err = s.st.candidateOf(ctx, tx, examID, c.UserID); err != nil {
				return err
			}
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		switch {
		case now.Before(e.OpensAt):
			return apperr.New(apperr.Precondition, "考试尚未开始（开考时间 %s）", beijing(e.OpensAt))
		case !now.Before(e.ClosesAt):
			return apperr.New(apperr.DeadlinePassed, "考试已于 %s 截止", beijing(e.ClosesAt))
		case c.Passed:
			return apperr.New(apperr.Precondition, "您已通过本场考试（成绩 %d 分），无需再次作答", c.BestScore)
		case c.Attempts >= e.MaxAttempts:
			return apperr.New(apperr.Precondition, "已达到本场考试的作答次数上限（%d 次），不能再次作答", e.MaxAttempts)
		}
		deadline := now.Add(time.Duration(e.DurationMin) * time.Minute)
		if deadline.After(e.ClosesAt) {
			deadline = e.ClosesAt
		}
		at := &attempt{ExamID: e.ID, CandidateID: c.ID, UserID: c.UserID, Seq: c.Attempts + 1, Seed: newSeed(), StartedAt: now, Deadline: deadline.Truncate(time.Second)}
		items := Assemble(at.Seed, e.Quotas, e.pools)
		if id, err = s.st.insertAttempt(ctx, tx, at, items); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.New(apperr.Conflict, "答卷已在生成，请刷新页面")
			}
			return err
		}
		if err := CandidateTally.Write(ctx, tx, c.ID, func() error {
			_, err := tx.Exec(ctx, "UPDATE exam_candidates SET attempts = attempts + 1 WHERE id = ?", c.ID)
			return db.Classify(err)
		}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.attempt.start", ObjectType: "exam_attempt", ObjectID: itoa(id), UnitID: c.UnitID,
			Summary: fmt.Sprintf("%s 开始作答「%s」（第 %d 次，截止 %s）", c.Name, e.Title, at.Seq, beijing(at.Deadline))})
	})
	if err != nil {
		return nil, err
	}
	return s.Paper(ctx, id)
}

// owned loads attempt id of the signed-in candidate.
func (s *Service) owned(ctx context.Context, q db.Querier, id int64) (*attempt, *Exam, error) {
	a, err := auth.Require(ctx, PermTake)
	if err != nil {
		return nil, nil, err
	}
	at, err := s.st.attempt(ctx, q, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && at.UserID != a.UserID) {
		return nil, nil, notYours()
	}
	if err != nil {
		return nil, nil, err
	}
	e, err := s.st.exam(ctx, q, at.ExamID)
	return at, e, err
}

// Paper returns the candidate's attempt (closing it first if its deadline
// has passed): questions without keys, saved answers, the server's
// deadline and, once closed, the score.
func (s *Service) Paper(ctx context.Context, id int64) (*Paper, error) {
	at, e, err := s.owned(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if at.Status == AttemptOpen && s.clock(ctx).After(at.Deadline) {
		if err := s.expire(ctx, id); err != nil {
			return nil, err
		}
		if at, e, err = s.owned(ctx, s.db, id); err != nil {
			return nil, err
		}
	}
	items, err := s.st.items(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	now := s.clock(ctx)
	p := &Paper{AttemptID: at.ID, ExamID: e.ID, ExamTitle: e.Title, Seq: at.Seq, Status: at.Status, StatusLabel: option.Label(AttemptStatuses, at.Status),
		StartedAt: at.StartedAt, Deadline: at.Deadline, ServerNow: now, TotalPoints: e.TotalPoints, PassMark: e.PassMark,
		Questions: make([]PaperQuestion, 0, len(items)), Saved: map[string]string{}}
	if at.Status == AttemptOpen {
		p.RemainingSeconds = max(0, int(at.Deadline.Sub(now).Seconds()))
	}
	answered := 0
	for _, it := range items {
		opts := it.Options
		if it.Kind == KindJudge {
			opts = JudgeOptions
		}
		p.Questions = append(p.Questions, PaperQuestion{Pos: it.Pos, Kind: it.Kind, KindLabel: option.Label(Kinds, it.Kind), Stem: it.Stem, Options: opts, Points: it.Points})
		if it.Answer != "" {
			p.Saved[strconv.Itoa(it.Pos)] = it.Answer
			answered++
		}
	}
	if at.Status != AttemptOpen {
		p.Result = &Result{Score: at.Score, TotalPoints: e.TotalPoints, PassMark: e.PassMark, Passed: at.Passed, Answered: answered,
			Questions: len(items), SubmittedAt: at.SubmittedAt, ClosedBy: at.ClosedBy}
	}
	return p, nil
}

// AnswerInput is one answer: the question's number on the paper and the
// chosen options ("A", "ACD", "T"/"F"; "" clears it).
type AnswerInput struct {
	Pos    int    `json:"pos" doc:"题号"`
	Answer string `json:"answer" doc:"单选 A；多选 ACD；判断 T 或 F；空表示清除"`
}

// Saved is the answer to an autosave.
type Saved struct {
	Saved            int       `json:"saved"`
	SavedAt          time.Time `json:"saved_at"`
	RemainingSeconds int       `json:"remaining_seconds"`
}

// SaveAnswers stores answers of an open attempt. Past its deadline the
// attempt is closed and scored with what was saved by then, and the
// answers are refused.
func (s *Service) SaveAnswers(ctx context.Context, id int64, answers []AnswerInput) (*Saved, error) {
	if len(answers) == 0 {
		return nil, apperr.Field("answers", "没有要保存的作答")
	}
	if len(answers) > maxQuestionsPerPaper {
		return nil, apperr.Field("answers", "一次最多保存 %d 题", maxQuestionsPerPaper)
	}
	var out *Saved
	expired := false
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		at, e, err := s.owned(ctx, tx, id)
		if err != nil {
			return err
		}
		if at.Status != AttemptOpen {
			return apperr.New(apperr.Conflict, "答卷已交卷，不能再修改作答")
		}
		now := s.clock(ctx)
		if now.After(at.Deadline) {
			expired = true
			return s.close(ctx, tx, at, e, AttemptExpired, "deadline", at.Deadline)
		}
		items, err := s.st.items(ctx, tx, id)
		if err != nil {
			return err
		}
		var v apperr.Fields
		for i, in := range answers {
			if in.Pos < 1 || in.Pos > len(items) {
				v.Add("answers", "第 %d 项：题号 %d 不在试卷中", i+1, in.Pos)
				continue
			}
			it := items[in.Pos-1]
			norm := ""
			if in.Answer != "" {
				var p string
				if norm, p = normAnswer(it.Kind, len(it.Options), in.Answer, false); p != "" {
					v.Add("answers", "第 %d 题：%s", in.Pos, p)
					continue
				}
			}
			answers[i].Answer = norm
		}
		if err := v.Err(); err != nil {
			return err
		}
		for _, in := range answers {
			if err := s.st.saveAnswer(ctx, tx, id, in.Pos, in.Answer); err != nil {
				return err
			}
		}
		out = &Saved{Saved: len(answers), SavedAt: now, RemainingSeconds: max(0, int(at.Deadline.Sub(now).Seconds()))}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.attempt.save", ObjectType: "exam_attempt", ObjectID: itoa(id),
			Summary: fmt.Sprintf("保存「%s」作答 %d 题", e.Title, len(answers))})
	})
	if err != nil {
		return nil, err
	}
	if expired {
		return nil, apperr.New(apperr.DeadlinePassed, "答题时间已到，答卷已按截止时已保存的作答自动交卷，本次作答未保存")
	}
	return out, nil
}

// Submit closes the candidate's open attempt and scores it. After the
// deadline it is closed as at the deadline (what was saved by then).
func (s *Service) Submit(ctx context.Context, id int64) (*Paper, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		at, e, err := s.owned(ctx, tx, id)
		if err != nil {
			return err
		}
		if at.Status != AttemptOpen {
			return apperr.New(apperr.Conflict, "答卷已交卷")
		}
		now := s.clock(ctx)
		if now.After(at.Deadline) {
			return s.close(ctx, tx, at, e, AttemptExpired, "deadline", at.Deadline)
		}
		return s.close(ctx, tx, at, e, AttemptSubmitted, "candidate", now)
	})
	if err != nil {
		return nil, err
	}
	return s.Paper(ctx, id)
}

// close scores an open attempt from its saved answers (server side: the
// bank's keys), closes it and records the candidate's result.
func (s *Service) close(ctx context.Context, tx *db.Tx, at *attempt, e *Exam, status, by string, when time.Time) error {
	items, err := s.st.items(ctx, tx, at.ID)
	if err != nil {
		return err
	}
	score := 0
	var correct []int
	for _, it := range items {
		if it.Answer != "" && it.Answer == it.Key {
			score += it.Points
			correct = append(correct, it.Pos)
		}
	}
	passed := score >= e.PassMark
	ok, err := s.st.closeAttempt(ctx, tx, at.ID, status, by, when, score, passed)
	if err != nil {
		return err
	}
	if !ok {
		return apperr.New(apperr.Conflict, "答卷已交卷")
	}
	if err := s.st.markItems(ctx, tx, at.ID, correct); err != nil {
		return err
	}
	err = CandidateTally.Write(ctx, tx, at.CandidateID, func() error {
		q := "UPDATE exam_candidates SET sat = 1, best_score = CASE WHEN best_score < ? THEN ? ELSE best_score END WHERE id = ?"
		args := []any{score, score, at.CandidateID}
		if passed {
			q = "UPDATE exam_candidates SET sat = 1, passed = 1, passed_at = COALESCE(passed_at, ?), best_score = CASE WHEN best_score < ? THEN ? ELSE best_score END WHERE id = ?"
			args = []any{when, score, score, at.CandidateID}
		}
		_, err := tx.Exec(ctx, q, args...)
		return db.Classify(err)
	})
	if err != nil {
		return err
	}
	verdict := map[bool]string{true: "合格", false: "不合格"}[passed]
	how := map[string]string{"candidate": "交卷", "deadline": "到时自动交卷"}[by]
	return audit.Record(ctx, tx, audit.Event{Action: "exam.attempt." + status, ObjectType: "exam_attempt", ObjectID: itoa(at.ID),
		Summary: fmt.Sprintf("「%s」第 %d 次作答%s：%d 分（合格线 %d），%s", e.Title, at.Seq, how, score, e.PassMark, verdict)})
}

func (s *Service) expire(ctx context.Context, id int64) error {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		at, err := s.st.attempt(ctx, tx, id)
		if err != nil || at.Status != AttemptOpen || !s.clock(ctx).After(at.Deadline) {
			return err
		}
		e, err := s.st.exam(ctx, tx, at.ExamID)
		if err != nil {
			return err
		}
		return s.close(ctx, tx, at, e, AttemptExpired, "deadline", at.Deadline)
	})
	if apperr.Is(err, apperr.Conflict) {
		return nil // closed meanwhile
	}
	return err
}

// CloseExpired closes up to limit attempts open past their deadline, of
// user userID and exam examID when not 0 (the background sweep passes 0,
// 0). It returns how many it closed.
func (s *Service) CloseExpired(ctx context.Context, userID, examID int64, limit int) (int, error) {
	ids, err := s.st.expiredAttempts(ctx, s.db, s.clock(ctx), userID, examID, limit)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if err := s.expire(ctx, id); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// MyExams lists the exams the signed-in user is a candidate of, newest
// window first.
func (s *Service) MyExams(ctx context.Context) ([]MyExam, error) {
	a, err := auth.Require(ctx, PermTake)
	if err != nil {
		return nil, err
	}
	if _, err := s.CloseExpired(ctx, a.UserID, 0, 50); err != nil {
		return nil, err
	}
	rows, err := s.st.myExams(ctx, s.db, a.UserID)
	if err != nil {
		return nil, err
	}
	now := s.clock(ctx)
	for i := range rows {
		m := &rows[i]
		m.PurposeLabel = s.purposeLabel(m.purpose)
		m.State, m.StateLabel = examState(&Exam{OpensAt: m.OpensAt, ClosesAt: m.ClosesAt}, now)
		switch {
		case m.OpenAttemptID > 0:
			m.CanStart, m.Note = true, "答题中，可继续作答"
		case m.State == "pending":
			m.Note = "考试尚未开始"
		case m.State == "closed":
			m.Note = "考试已截止"
		case m.Passed:
			m.Note = "已通过"
		case m.Attempts >= m.MaxAttempts:
			m.Note = "已达作答次数上限"
		default:
			m.CanStart = true
		}
	}
	return rows, nil
}

func beijing(t time.Time) string {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return t.In(loc).Format("2006-01-02 15:04")
}
