package exam

import (
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
)

// An exam is edited before anyone sat it (the pools frozen again, the
// version moving, a stale version a conflict, bad input refused naming the
// field); once an attempt exists it is neither edited nor deleted; an exam
// nobody sat is deleted with its candidates; another manager's scope and a
// non-manager are refused; every write is audited.
func TestEditAndDeleteExamBeforeAnyoneSat(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.newExam(f.examInput(), "zhang", "li")
		in := f.examInput()
		in.Title, in.PassMark, in.DurationMin, in.Version = "2026 年度行政执法人员法律知识考试（补充）", 20, 45, e.Version
		in.Quotas = in.Quotas[:2] // 5 single + 2 multiple of topic A: 20 points
		got, err := f.s.UpdateExam(f.admin, e.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != in.Title || got.TotalPoints != 20 || got.PassMark != 20 || got.DurationMin != 45 || got.Version != e.Version+1 || len(got.Quotas) != 2 {
			t.Fatalf("edited: %+v", got)
		}
		if _, err := f.s.UpdateExam(f.admin, e.ID, in); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("stale version: %v", err)
		}
		in.Version = got.Version
		bad := in
		bad.Title, bad.PassMark = "坏\x00标题", 999
		_, err = f.s.UpdateExam(f.admin, e.ID, bad)
		if e := apperr.As(err); e == nil || e.Code != apperr.Invalid || len(e.Fields) < 2 {
			t.Fatalf("bad input: %v", err)
		}
		bad = in
		bad.Purpose = "other"
		if _, err := f.s.UpdateExam(f.admin, e.ID, bad); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("purpose changed: %v", err)
		}
		bad = in
		bad.Quotas = []Quota{{Topic: f.topicB, Kind: "single", Count: 11, Points: 1}} // the bank has 10
		bad.PassMark = 5
		if _, err := f.s.UpdateExam(f.admin, e.ID, bad); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "只有 10 道") {
			t.Fatalf("quota beyond the bank: %v", err)
		}
		if _, err := f.s.UpdateExam(f.clerkSJ, e.ID, in); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("edit without exam.manage: %v", err)
		}
		sjPath := auth.Scope{Ranges: []auth.UnitRange{{Path: f.sjPath, Subtree: true}}}
		other := actor(f.users["li"], "li", f.sj, map[string]auth.Scope{PermManage: sjPath})
		if _, err := f.s.UpdateExam(other, e.ID, in); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("edit by a manager of another unit: %v", err)
		}
		if err := f.s.DeleteExam(other, e.ID, in.Version); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("delete by a manager of another unit: %v", err)
		}
		if err := f.s.DeleteExam(f.admin, e.ID, 0); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("delete without version: %v", err)
		}

		// zhang sits it: no more edits, no deletion.
		if _, err := f.s.Start(f.cand["zhang"], e.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.UpdateExam(f.admin, e.ID, in)
		if !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "已有 1 人次作答，不能修改") {
			t.Fatalf("edit after an attempt: %v", err)
		}
		if err := f.s.DeleteExam(f.admin, e.ID, in.Version); !apperr.Is(err, apperr.Conflict) || !strings.Contains(err.Error(), "不能删除") {
			t.Fatalf("delete after an attempt: %v", err)
		}

		// An exam nobody sat goes, with its candidates.
		later := f.examInput()
		later.OpensAt, later.ClosesAt = testStart.Add(30*24*time.Hour), testStart.Add(40*24*time.Hour)
		e2 := f.newExam(later, "zhang", "wang")
		if err := f.s.DeleteExam(f.admin, e2.ID, e2.Version+1); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("delete at a stale version: %v", err)
		}
		if err := f.s.DeleteExam(f.admin, e2.ID, e2.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.GetExam(f.admin, e2.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("deleted exam still read: %v", err)
		}
		if n := f.count("SELECT COUNT(*) FROM exam_candidates WHERE exam_id = ?", e2.ID); n != 0 {
			t.Fatalf("candidates of the deleted exam: %d", n)
		}
		for _, act := range []string{"exam.update", "exam.delete"} {
			if n := f.count("SELECT COUNT(*) FROM audit_events WHERE action = ?", act); n != 1 {
				t.Fatalf("%s audited %d times", act, n)
			}
		}
		if n := f.count("SELECT COUNT(*) FROM exams WHERE id = ?", e.ID); n != 1 {
			t.Fatalf("the sat exam is gone")
		}
	})
}
