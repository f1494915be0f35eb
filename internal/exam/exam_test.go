package exam

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
)

func TestAssembleIsReproducibleFromTheSeed(t *testing.T) {
	pools := [][]int64{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {11, 12, 13, 14, 15, 16}}
	quotas := []Quota{{Topic: "a", Kind: "single", Count: 4, Points: 2}, {Topic: "a", Kind: "judge", Count: 3, Points: 1}}
	a, b := Assemble(42, quotas, pools), Assemble(42, quotas, pools)
	if !slices.Equal(a, b) || len(a) != 7 {
		t.Fatalf("same seed, different papers: %v %v", a, b)
	}
	if c := Assemble(43, quotas, pools); slices.Equal(a, c) {
		t.Fatalf("seeds 42 and 43 drew the same paper %v", a)
	}
	for i, it := range a {
		want := pools[0]
		if i >= 4 {
			want = pools[1]
		}
		if !slices.Contains(want, it.QuestionID) {
			t.Errorf("item %d (%d) is not from its quota's pool", i, it.QuestionID)
		}
	}
}

func itemsOf(t *testing.T, f *fixture, attemptID int64) []Item {
	t.Helper()
	items, err := f.s.st.items(context.Background(), f.d, attemptID)
	if err != nil {
		t.Fatal(err)
	}
	var out []Item
	for _, it := range items {
		out = append(out, Item{QuestionID: it.QuestionID, Points: it.Points})
	}
	return out
}

// Each candidate gets a different draw, and the stored seed gives the
// stored paper again.
func TestPapersDifferAndReassemble(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.newExam(f.examInput(), "zhang", "li")
		p1, err := f.s.Start(f.cand["zhang"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		p2, err := f.s.Start(f.cand["li"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		i1, i2 := itemsOf(t, f, p1.AttemptID), itemsOf(t, f, p2.AttemptID)
		if len(i1) != 16 || slices.Equal(i1, i2) {
			t.Fatalf("papers: %d items, equal=%v", len(i1), slices.Equal(i1, i2))
		}
		ex, _ := f.s.st.exam(context.Background(), f.d, e.ID)
		for _, p := range []*Paper{p1, p2} {
			at, _ := f.s.st.attempt(context.Background(), f.d, p.AttemptID)
			if again := Assemble(at.Seed, ex.Quotas, ex.pools); !slices.Equal(again, itemsOf(t, f, p.AttemptID)) {
				t.Errorf("attempt %d: the seed does not reproduce the paper", p.AttemptID)
			}
		}
		// A question added to the bank later does not change the pools.
		f.question(QuestionInput{Kind: "single", Topic: f.topicA, Difficulty: "easy", Stem: "后加的题", Options: []string{"甲", "乙"}, Answer: "A"})
		ex2, _ := f.s.st.exam(context.Background(), f.d, e.ID)
		if !slices.Equal(ex2.pools[0], ex.pools[0]) {
			t.Error("the pool moved with the bank")
		}
		// Resuming returns the same attempt.
		again, err := f.s.Start(f.cand["zhang"], e.ID)
		if err != nil || again.AttemptID != p1.AttemptID {
			t.Fatalf("resume: %v %v", again, err)
		}
	})
}

// Nothing the candidate receives carries the key: the types have no
// answer field and the JSON holds no "answer" key before or after
// submission.
func TestCandidateNeverReceivesAnswers(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.newExam(f.examInput(), "zhang")
		ctx := f.cand["zhang"]
		p, err := f.s.Start(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, v any) {
			b, _ := json.Marshal(v)
			var walk func(any)
			walk = func(x any) {
				switch x := x.(type) {
				case map[string]any:
					for k, v := range x {
						if k == "answer" || k == "key" || k == "explanation" || k == "correct" {
							t.Errorf("%s carries %q", what, k)
						}
						walk(v)
					}
				case []any:
					for _, v := range x {
						walk(v)
					}
				}
			}
			var x any
			_ = json.Unmarshal(b, &x)
			walk(x)
		}
		check("paper", p)
		key := f.key(p.AttemptID)
		if _, err := f.s.SaveAnswers(ctx, p.AttemptID, []AnswerInput{{Pos: 1, Answer: key[1]}}); err != nil {
			t.Fatal(err)
		}
		my, err := f.s.MyExams(ctx)
		if err != nil {
			t.Fatal(err)
		}
		check("my exams", my)
		done, err := f.s.Submit(ctx, p.AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		check("submitted paper", done)
		if done.Result == nil || done.Result.Score != p.Questions[0].Points {
			t.Fatalf("result %+v", done.Result)
		}
		// Saved holds only what the candidate chose.
		if len(done.Saved) != 1 || done.Saved["1"] != key[1] {
			t.Errorf("saved %v", done.Saved)
		}
	})
}

func TestScoringAndPassMark(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.newExam(f.examInput(), "zhang", "li")
		for who, right := range map[string]int{"zhang": 16, "li": 10} {
			ctx := f.cand[who]
			p, err := f.s.Start(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			key := f.key(p.AttemptID)
			var ans []AnswerInput
			want := 0
			for _, q := range p.Questions {
				a := key[q.Pos]
				if q.Pos > right {
					a = map[string]string{"single": "D", "multiple": "AB", "judge": "F"}[q.Kind]
					if q.Kind == "single" && len(q.Options) == 3 {
						a = "A"
					}
				} else {
					want += q.Points
				}
				if q.Kind == "multiple" && q.Pos <= right {
					a = "C、A" // any order and separator
				}
				ans = append(ans, AnswerInput{Pos: q.Pos, Answer: a})
			}
			if _, err := f.s.SaveAnswers(ctx, p.AttemptID, ans); err != nil {
				t.Fatal(err)
			}
			done, err := f.s.Submit(ctx, p.AttemptID)
			if err != nil {
				t.Fatal(err)
			}
			if done.Result.Score != want || done.Result.Passed != (want >= 30) || done.Result.ClosedBy != "candidate" {
				t.Errorf("%s: result %+v, want score %d", who, done.Result, want)
			}
		}
		if n := f.count("SELECT COUNT(*) FROM exam_candidates WHERE exam_id = ? AND sat = 1 AND passed = 1", e.ID); n != 1 {
			t.Errorf("passed candidates %d, want 1", n)
		}
		// A bad answer is refused with the question named, nothing saved.
		p, _ := f.s.Start(f.cand["li"], e.ID) // the retake
		_, err := f.s.SaveAnswers(f.cand["li"], p.AttemptID, []AnswerInput{{Pos: 1, Answer: "Z"}, {Pos: 99, Answer: "A"}})
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "第 1 题") || !strings.Contains(err.Error(), "题号 99") {
			t.Errorf("bad answers: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM exam_attempt_items WHERE attempt_id = ? AND answer <> ''", p.AttemptID); n != 0 {
			t.Errorf("%d answers saved from a refused batch", n)
		}
	})
}

// The deadline is the server's: an answer after it is refused, the attempt
// is closed and scored with what was saved by then.
func TestAnswerAfterDeadlineIsRefused(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.newExam(f.examInput(), "zhang")
		ctx := f.cand["zhang"]
		p, err := f.s.Start(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Deadline.Equal(testStart.Add(time.Hour)) || p.RemainingSeconds != 3600 {
			t.Fatalf("deadline %v remaining %d", p.Deadline, p.RemainingSeconds)
		}
		key := f.key(p.AttemptID)
		f.now = testStart.Add(59 * time.Minute)
		if _, err := f.s.SaveAnswers(ctx, p.AttemptID, []AnswerInput{{Pos: 1, Answer: key[1]}}); err != nil {
			t.Fatal(err)
		}
		// Resuming mid-way gives the saved answers and the time left.
		r, err := f.s.Paper(ctx, p.AttemptID)
		if err != nil || r.Saved["1"] != key[1] || r.RemainingSeconds != 60 {
			t.Fatalf("resume: %+v %v", r, err)
		}
		f.now = testStart.Add(time.Hour + time.Second)
		_, err = f.s.SaveAnswers(ctx, p.AttemptID, []AnswerInput{{Pos: 2, Answer: key[2]}})
		if !apperr.Is(err, apperr.DeadlinePassed) {
			t.Fatalf("answer after the deadline: %v", err)
		}
		done, err := f.s.Paper(ctx, p.AttemptID)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != AttemptExpired || done.Result == nil || done.Result.Score != p.Questions[0].Points || done.Result.ClosedBy != "deadline" ||
			!done.Result.SubmittedAt.Equal(p.Deadline) || done.Saved["2"] != "" {
			t.Errorf("closed paper %+v result %+v", done, done.Result)
		}
		if _, err := f.s.SaveAnswers(ctx, p.AttemptID, []AnswerInput{{Pos: 2, Answer: key[2]}}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("answer to a closed paper: %v", err)
		}
		if _, err := f.s.Submit(ctx, p.AttemptID); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second submission: %v", err)
		}
		// The sweep closes an attempt nobody touches.
		f.now = testStart.Add(2 * time.Hour)
		p2, err := f.s.Start(ctx, e.ID) // the retake
		if err != nil {
			t.Fatal(err)
		}
		f.now = f.now.Add(61 * time.Minute)
		if n, err := f.s.CloseExpired(f.admin, 0, 0, 10); err != nil || n != 1 {
			t.Fatalf("sweep closed %d: %v", n, err)
		}
		if f.count("SELECT COUNT(*) FROM exam_attempts WHERE id = ? AND status = 'expired' AND closed_by = 'deadline'", p2.AttemptID) != 1 {
			t.Error("the sweep did not close the attempt")
		}
	})
}

func TestGates(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		in := f.examInput()
		in.MaxAttempts = 1
		e := f.newExam(in, "zhang", "li")
		// Not a candidate: not found.
		if _, err := f.s.Start(f.cand["wang"], e.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("non-candidate start: %v", err)
		}
		// Someone else's attempt: not found.
		p, err := f.s.Start(f.cand["zhang"], e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Paper(f.cand["li"], p.AttemptID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another's paper: %v", err)
		}
		if _, err := f.s.SaveAnswers(f.cand["li"], p.AttemptID, []AnswerInput{{Pos: 1, Answer: "A"}}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another's answers: %v", err)
		}
		if _, err := f.s.Submit(f.cand["li"], p.AttemptID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("another's submission: %v", err)
		}
		// Retake limit: one attempt only.
		if _, err := f.s.Submit(f.cand["zhang"], p.AttemptID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Start(f.cand["zhang"], e.ID); !apperr.Is(err, apperr.Precondition) || !strings.Contains(err.Error(), "作答次数上限（1 次）") {
			t.Errorf("retake over the limit: %v", err)
		}
		// Passed: no retake even under the limit.
		in.MaxAttempts, in.Title = 3, "补考场次"
		e2 := f.newExam(in, "zhang")
		p2, _ := f.s.Start(f.cand["zhang"], e2.ID)
		key := f.key(p2.AttemptID)
		var all []AnswerInput
		for pos, k := range key {
			all = append(all, AnswerInput{Pos: pos, Answer: k})
		}
		if _, err := f.s.SaveAnswers(f.cand["zhang"], p2.AttemptID, all); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Submit(f.cand["zhang"], p2.AttemptID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Start(f.cand["zhang"], e2.ID); !apperr.Is(err, apperr.Precondition) || !strings.Contains(err.Error(), "已通过") {
			t.Errorf("retake after passing: %v", err)
		}
		// The window: before it opens, after it closes.
		in.OpensAt, in.ClosesAt, in.Title = testStart.Add(24*time.Hour), testStart.Add(48*time.Hour), "明天的考试"
		e3 := f.newExam(in, "li")
		if _, err := f.s.Start(f.cand["li"], e3.ID); !apperr.Is(err, apperr.Precondition) {
			t.Errorf("start before the window: %v", err)
		}
		f.now = testStart.Add(49 * time.Hour)
		if _, err := f.s.Start(f.cand["li"], e3.ID); !apperr.Is(err, apperr.DeadlinePassed) {
			t.Errorf("start after the window: %v", err)
		}
		if _, err := f.s.AddCandidates(f.admin, e3.ID, CandidatesInput{UserIDs: []int64{f.users["wang"]}}); !apperr.Is(err, apperr.Precondition) {
			t.Errorf("candidates after the window: %v", err)
		}
		// Deadline capped by the window's close.
		f.now = testStart
		in.OpensAt, in.ClosesAt, in.Title, in.DurationMin = testStart.Add(-time.Hour), testStart.Add(30*time.Minute), "即将截止", 20
		e4 := f.newExam(in, "li")
		f.now = testStart.Add(20 * time.Minute)
		p4, err := f.s.Start(f.cand["li"], e4.ID)
		if err != nil || !p4.Deadline.Equal(in.ClosesAt) {
			t.Errorf("deadline past the window: %v %v", p4, err)
		}
		// A question on a paper keeps its stem and key; it can be withdrawn.
		items := itemsOf(t, f, p2.AttemptID)
		q, err := f.s.GetQuestion(f.admin, items[0].QuestionID)
		if err != nil || !q.Used {
			t.Fatalf("used question %+v %v", q, err)
		}
		edit := QuestionInput{Kind: q.Kind, Topic: q.Topic, Difficulty: q.Difficulty, Stem: q.Stem + "（改）", Options: q.Options, Answer: q.Answer, Version: q.Version}
		if _, err := f.s.UpdateQuestion(f.admin, q.ID, edit); !apperr.Is(err, apperr.Precondition) {
			t.Errorf("editing a used question's stem: %v", err)
		}
		off := false
		edit.Stem, edit.Active, edit.Explanation = q.Stem, &off, "补充解析"
		if u, err := f.s.UpdateQuestion(f.admin, q.ID, edit); err != nil || u.Active || u.Explanation != "补充解析" {
			t.Errorf("withdrawing a used question: %+v %v", u, err)
		}
	})
}
