package exam

import (
	"bytes"
	"context"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/docx"

	"github.com/xuri/excelize/v2"
)

func TestInputChecks(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		bad := []struct {
			in    QuestionInput
			field string
		}{
			{QuestionInput{Kind: "essay", Topic: "x", Difficulty: "easy", Stem: "s", Answer: "A"}, "kind"},
			{QuestionInput{Kind: "single", Topic: "", Difficulty: "easy", Stem: "s", Options: []string{"a", "b"}, Answer: "A"}, "topic"},
			{QuestionInput{Kind: "single", Topic: "x", Difficulty: "easy", Stem: "s\x00", Options: []string{"a", "b"}, Answer: "A"}, "stem"},
			{QuestionInput{Kind: "single", Topic: "x", Difficulty: "easy", Stem: "s", Options: []string{"a", "b"}, Answer: "C"}, "answer"},
			{QuestionInput{Kind: "single", Topic: "x", Difficulty: "easy", Stem: "s", Options: []string{"a", "b"}, Answer: "AB"}, "answer"},
			{QuestionInput{Kind: "multiple", Topic: "x", Difficulty: "easy", Stem: "s", Options: []string{"a", "b", "c"}, Answer: "A"}, "answer"},
			{QuestionInput{Kind: "multiple", Topic: "x", Difficulty: "easy", Stem: "s", Options: []string{"a", "b"}, Answer: "AB"}, "options"},
			{QuestionInput{Kind: "judge", Topic: "x", Difficulty: "easy", Stem: "s", Answer: "maybe"}, "answer"},
			{QuestionInput{Kind: "single", Topic: "x", Difficulty: "hardest", Stem: "s", Options: []string{"a", "b"}, Answer: "A"}, "difficulty"},
			{QuestionInput{Kind: "single", Topic: "x", Difficulty: "easy", Stem: strings.Repeat("长", 1001), Options: []string{"a", "b"}, Answer: "A"}, "stem"},
		}
		for _, b := range bad {
			_, err := f.s.CreateQuestion(f.admin, b.in)
			e := apperr.As(err)
			if e == nil || len(e.Fields) == 0 || e.Fields[0].Field != b.field {
				t.Errorf("%+v: %v, want a %s error", b.in, err, b.field)
			}
		}
		in := f.examInput()
		in.OpensAt = time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)
		in.PassMark = 999
		in.Quotas = append(in.Quotas, Quota{Topic: f.topicB, Kind: "judge", Count: 1, Points: 1}, in.Quotas[0])
		_, err := f.s.CreateExam(f.admin, in)
		e := apperr.As(err)
		fields := map[string]bool{}
		if e != nil {
			for _, fe := range e.Fields {
				fields[fe.Field] = true
			}
		}
		if !fields["opens_at"] || !fields["pass_mark"] || !fields["quotas"] {
			t.Errorf("bad exam: %v", err)
		}
		// Too few questions in the bank for a quota.
		in = f.examInput()
		in.Quotas[0].Count = 11
		if _, err := f.s.CreateExam(f.admin, in); !apperr.Is(err, apperr.Invalid) || !strings.Contains(err.Error(), "只有 10 道") {
			t.Errorf("quota over the bank: %v", err)
		}
		// A clerk without the permission.
		if _, err := f.s.CreateExam(f.clerkSJ, f.examInput()); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("clerk creates an exam: %v", err)
		}
		// A user the purpose does not know.
		e2 := f.newExam(f.examInput())
		if _, err := f.s.AddCandidates(f.admin, e2.ID, CandidatesInput{UserIDs: []int64{f.users["zhao"]}}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown candidate: %v", err)
		}
		// By unit: both of 市场监管局.
		if r, err := f.s.AddCandidates(f.admin, e2.ID, CandidatesInput{UnitID: f.sj}); err != nil || r.Added != 2 {
			t.Errorf("by unit: %+v %v", r, err)
		}
		if r, err := f.s.AddCandidates(f.admin, e2.ID, CandidatesInput{UnitID: f.sj}); err != nil || r.Added != 0 || r.Already != 2 {
			t.Errorf("again by unit: %+v %v", r, err)
		}
	})
}

func workbook(t *testing.T, rows [][]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	_ = x.SetSheetName("Sheet1", QuestionSheet)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		_ = x.SetSheetRow(QuestionSheet, cell, &r)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestImportReportsEveryBadRowAndWritesNothing(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		head := []any{"题型", "专题", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析"}
		good := []any{"单选题", "行政复议法", "容易", "行政复议申请期限一般为知道行政行为之日起多少日？", "十五日", "三十日", "六十日", "九十日", "", "", "C", "复议法第二十条"}
		rows := [][]any{head, good,
			{"问答题", "行政复议法", "容易", "题干", "", "", "", "", "", "", "A", ""},
			{"判断题", "行政复议法", "容易", "判断题干", "", "", "", "", "", "", "也许", ""},
			{"多选题", "行政复议法", "较难", "多选题干", "甲", "", "丙", "丁", "", "", "AC", ""},
			{"判断题", "行政复议法", "容易", "行政复议不收费。", "", "", "", "", "", "", "对", ""},
		}
		before := f.count("SELECT COUNT(*) FROM exam_questions")
		rep, err := f.s.ImportQuestions(f.admin, workbook(t, rows), false)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Rows != 5 || rep.Created != 0 || len(rep.Problems) != 3 {
			t.Fatalf("report %+v", rep)
		}
		want := []struct {
			row int
			col string
		}{{3, "A（题型）"}, {4, "K（答案）"}, {5, "F（选项B）"}}
		for i, w := range want {
			p := rep.Problems[i]
			if p.Sheet != QuestionSheet || p.Row != w.row || p.Column != w.col || p.Reason == "" {
				t.Errorf("problem %d: %+v, want row %d column %s", i, p, w.row, w.col)
			}
		}
		if n := f.count("SELECT COUNT(*) FROM exam_questions"); n != before {
			t.Fatalf("a bad batch wrote %d questions", n-before)
		}
		fixed := [][]any{head, good, rows[5]}
		rep, err = f.s.ImportQuestions(f.admin, workbook(t, fixed), false)
		if err != nil || rep.Created != 2 {
			t.Fatalf("fixed import %+v %v", rep, err)
		}
		// Export → import round trip: every exported row reads back clean.
		var buf bytes.Buffer
		if err := f.s.ExportQuestions(f.admin, &buf, QuestionFilter{Topic: "行政复议法"}); err != nil {
			t.Fatal(err)
		}
		rep, err = f.s.ImportQuestions(f.admin, buf.Bytes(), true)
		if err != nil || rep.Rows != 2 || len(rep.Problems) != 0 {
			t.Fatalf("export read back %+v %v", rep, err)
		}
		if _, err := f.s.ImportQuestions(f.cand["zhang"], buf.Bytes(), false); !apperr.Is(err, apperr.Forbidden) {
			t.Errorf("candidate imports: %v", err)
		}
	})
}

func TestCertificate(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		e := f.newExam(f.examInput(), "zhang")
		ctx := f.cand["zhang"]
		if _, _, err := f.s.Certificate(ctx, e.ID); !apperr.Is(err, apperr.Precondition) {
			t.Errorf("certificate before passing: %v", err)
		}
		p, _ := f.s.Start(ctx, e.ID)
		var all []AnswerInput
		for pos, k := range f.key(p.AttemptID) {
			all = append(all, AnswerInput{Pos: pos, Answer: k})
		}
		if _, err := f.s.SaveAnswers(ctx, p.AttemptID, all); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Submit(ctx, p.AttemptID); err != nil {
			t.Fatal(err)
		}
		b, name, err := f.s.Certificate(ctx, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		text, err := docx.Text(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range []string{"培训考试结业证明", "张明同志（区市场监管局）", "2026 年度行政执法人员法律知识考试", "成绩 38 分", "合格分数线 30 分", "区司法局"} {
			if !strings.Contains(text, w) {
				t.Errorf("certificate lacks %q: %s", w, text)
			}
		}
		if !strings.HasSuffix(name, ".docx") {
			t.Errorf("name %s", name)
		}
		if _, _, err := f.s.Certificate(f.cand["li"], e.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("someone else's certificate: %v", err)
		}
	})
}

// Random attempts: the counters never drift, and the coverage equals the
// live count of the candidates behind it; a reader sees only their scope.
func TestCoverageFromCounters(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		rng := rand.New(rand.NewPCG(3, 21))
		var exams []*Exam
		for i := range 3 {
			in := f.examInput()
			in.Title = in.Title + string(rune('甲'+i))
			in.ClosesAt = testStart.Add(time.Duration(i+1) * 24 * time.Hour)
			exams = append(exams, f.newExam(in, "zhang", "li", "wang"))
		}
		for _, e := range exams {
			for _, who := range []string{"zhang", "li", "wang"} {
				if rng.IntN(4) == 0 {
					continue
				}
				p, err := f.s.Start(f.cand[who], e.ID)
				if err != nil {
					t.Fatal(err)
				}
				key := f.key(p.AttemptID)
				var ans []AnswerInput
				for pos, k := range key {
					if rng.IntN(5) > 0 {
						ans = append(ans, AnswerInput{Pos: pos, Answer: k})
					}
				}
				if len(ans) > 0 {
					if _, err := f.s.SaveAnswers(f.cand[who], p.AttemptID, ans); err != nil {
						t.Fatal(err)
					}
				}
				if rng.IntN(3) > 0 {
					if _, err := f.s.Submit(f.cand[who], p.AttemptID); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		f.now = testStart.Add(10 * 24 * time.Hour)
		if _, err := f.s.CloseExpired(f.admin, 0, 0, 100); err != nil {
			t.Fatal(err)
		}
		drift, n, err := CandidateTally.Verify(context.Background(), f.d, 10)
		if err != nil || n != 0 {
			t.Fatalf("drift %v %d %v", drift, n, err)
		}
		all, args := auth.ScopeClause(auth.From(f.admin), PermRead, "c.unit_id")
		c, err := f.s.Coverage(f.admin, "enforcement", all, args, 0, "2026-12-01", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		live := Counts{Required: f.count("SELECT COUNT(*) FROM exam_candidates"), Sat: f.count("SELECT COUNT(*) FROM exam_candidates WHERE sat = 1"),
			Passed: f.count("SELECT COUNT(*) FROM exam_candidates WHERE passed = 1")}
		if c != live || c.Required != 9 || c.Sat == 0 {
			t.Errorf("coverage %+v, live %+v", c, live)
		}
		if n := f.count("SELECT COUNT(*) FROM exam_attempts WHERE status = 'open'"); n != 0 {
			t.Errorf("%d attempts still open after the sweep", n)
		}
		// 市场监管局 only, as a subtree.
		c, _ = f.s.Coverage(f.admin, "enforcement", all, args, f.sj, "2026-12-01", "2026-12-31")
		if c.Required != 6 {
			t.Errorf("subtree coverage %+v", c)
		}
		// The exam's per-unit lines in a clerk's scope.
		lines, err := f.s.ExamCoverage(f.clerkSJ, exams[0].ID)
		if err != nil || len(lines) != 1 || lines[0].UnitID != f.sj || lines[0].Required != 2 {
			t.Errorf("clerk's coverage %+v %v", lines, err)
		}
		p, err := f.s.ListCandidates(f.clerkSJ, CandidateFilter{}, dbReq())
		if err != nil || p.Total != 6 {
			t.Errorf("clerk's candidates %d %v", p.Total, err)
		}
	})
}
