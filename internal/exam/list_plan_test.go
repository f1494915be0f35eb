package exam

import (
	"testing"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// The registers' default order and common filters are served by an index
// (migration 00260) on both databases.
func TestListPlans(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		e := f.newExam(f.examInput(), "zhang", "li")
		must := func(l db.ListSQL, err error) db.ListSQL {
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		keys := []any{int64(500)}
		dbtest.CheckPlans(t, d, []dbtest.PlanCase{
			{Name: "question bank", List: must(f.s.questionSQL(f.admin, QuestionFilter{})), Keys: keys},
			{Name: "questions of a topic", List: must(f.s.questionSQL(f.admin, QuestionFilter{Topic: f.topicA})), Keys: keys, SortOK: true, Indexed: []string{"q", "exam_questions"}},
			{Name: "all candidates", List: must(f.s.candidateSQL(f.admin, CandidateFilter{})), Keys: keys},
			{Name: "an exam's results", List: must(f.s.candidateSQL(f.admin, CandidateFilter{ExamID: e.ID})), Keys: keys, SortOK: true, Indexed: []string{"c", "exam_candidates"}},
			{Name: "a unit's candidates", List: must(f.s.candidateSQL(f.clerkSJ, CandidateFilter{})), Keys: keys, SortOK: true, Indexed: []string{"c", "exam_candidates"}},
		})
	})
}
