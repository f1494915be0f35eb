package exam

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// fixture: 清河区人民政府 → 区司法局 (organiser), 区市场监管局, 区教育局;
// three candidates (two in 市场监管局, one in 教育局), a bank over two
// topics and a clock the test moves.
type fixture struct {
	t           *testing.T
	d           *db.DB
	s           *Service
	now         time.Time
	root, sfj   int64
	sj, jy      int64
	users       map[string]int64
	people      map[int64]Person
	admin       context.Context // 司法局: manage, read, take district-wide
	clerkSJ     context.Context // reads results of 市场监管局's subtree
	cand        map[string]context.Context
	exam        *Exam
	sjPath      string
	topicA      string
	topicB      string
	questionIDs []int64
}

func addUnit(t *testing.T, d *db.DB, code, name string, parent int64, parentPath string) (int64, string) {
	t.Helper()
	ctx := context.Background()
	var id int64
	var p any
	if parent != 0 {
		p = parent
	}
	if err := d.QueryRow(ctx, "INSERT INTO org_units (code, name, type, parent_id, path) VALUES (?, ?, 'department', ?, '') RETURNING id", code, name, p).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("%s%d/", parentPath, id)
	if parentPath == "" {
		path = fmt.Sprintf("/%d/", id)
	}
	if _, err := d.Exec(ctx, "UPDATE org_units SET path = ? WHERE id = ?", path, id); err != nil {
		t.Fatal(err)
	}
	return id, path
}

func actor(id int64, name string, unit int64, perms map[string]auth.Scope) context.Context {
	return auth.With(context.Background(), &auth.Actor{UserID: id, Username: name, Name: name, UnitID: unit, Perms: perms})
}

// testStart is a Monday morning in Beijing.
var testStart = time.Date(2026, 12, 7, 9, 0, 0, 0, calendar.Shanghai)

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	f := &fixture{t: t, d: d, s: NewService(d), now: testStart, users: map[string]int64{}, people: map[int64]Person{}, cand: map[string]context.Context{},
		topicA: "行政处罚法", topicB: "行政许可法"}
	f.s.SetNow(func() time.Time { return f.now })
	var rootPath, sjPath string
	f.root, rootPath = addUnit(t, d, "QH", "清河区人民政府", 0, "")
	f.sfj, _ = addUnit(t, d, "SFJ", "区司法局", f.root, rootPath)
	f.sj, sjPath = addUnit(t, d, "SJ", "区市场监管局", f.root, rootPath)
	f.jy, _ = addUnit(t, d, "JY", "区教育局", f.root, rootPath)
	f.sjPath = sjPath
	all := auth.Scope{All: true}
	sub := auth.Scope{Ranges: []auth.UnitRange{{Path: sjPath, Subtree: true}}}
	for _, u := range []struct {
		name, full string
		unit       int64
	}{{"admin", "司法局管理员", f.sfj}, {"zhang", "张明", f.sj}, {"li", "李华", f.sj}, {"wang", "王芳", f.jy}, {"zhao", "赵非考生", f.jy}} {
		var id int64
		if err := d.QueryRow(context.Background(), "INSERT INTO users (username, name, unit_id) VALUES (?, ?, ?) RETURNING id", u.name, u.full, u.unit).Scan(&id); err != nil {
			t.Fatal(err)
		}
		f.users[u.name] = id
		if u.name != "admin" && u.name != "zhao" {
			f.people[id] = Person{UserID: id, Name: u.full, UnitID: u.unit}
		}
		f.cand[u.name] = actor(id, u.name, u.unit, map[string]auth.Scope{PermTake: all})
	}
	f.admin = actor(f.users["admin"], "admin", f.sfj, map[string]auth.Scope{PermManage: all, PermRead: all, PermTake: all})
	f.clerkSJ = actor(f.users["zhang"], "zhang", f.sj, map[string]auth.Scope{PermRead: sub, PermTake: all})
	f.s.RegisterPurpose(Purpose{Code: "enforcement", Label: "行政执法人员法律知识考试", Candidates: func(ctx context.Context, unitID int64, ids []int64) ([]Person, error) {
		var out []Person
		for _, p := range f.people {
			if p.UnitID == unitID {
				out = append(out, p)
				continue
			}
			for _, id := range ids {
				if id == p.UserID {
					out = append(out, p)
				}
			}
		}
		return out, nil
	}})
	// Topic A: 10 single (key A for odd, B for even), 6 multiple (AC), 8
	// judge (T); topic B: 10 single (key C).
	for i := range 10 {
		f.question(QuestionInput{Kind: "single", Topic: f.topicA, Difficulty: "easy", Stem: fmt.Sprintf("处罚法单选题 %d", i), Options: []string{"甲", "乙", "丙", "丁"},
			Answer: map[bool]string{true: "A", false: "B"}[i%2 == 1]})
		f.question(QuestionInput{Kind: "single", Topic: f.topicB, Difficulty: "medium", Stem: fmt.Sprintf("许可法单选题 %d", i), Options: []string{"甲", "乙", "丙"}, Answer: "C"})
	}
	for i := range 6 {
		f.question(QuestionInput{Kind: "multiple", Topic: f.topicA, Difficulty: "hard", Stem: fmt.Sprintf("处罚法多选题 %d", i), Options: []string{"甲", "乙", "丙", "丁"}, Answer: "CA"})
	}
	for i := range 8 {
		f.question(QuestionInput{Kind: "judge", Topic: f.topicA, Difficulty: "easy", Stem: fmt.Sprintf("处罚法判断题 %d", i), Answer: "对"})
	}
	return f
}

func (f *fixture) question(in QuestionInput) *Question {
	f.t.Helper()
	q, err := f.s.CreateQuestion(f.admin, in)
	if err != nil {
		f.t.Fatal(err)
	}
	f.questionIDs = append(f.questionIDs, q.ID)
	return q
}

// examInput: 5 single (2 points) + 2 multiple (5) + 4 judge (2.5 → 2) of
// topic A and 5 single of topic B (2): total 10+10+8+10 = 38, pass 30.
func (f *fixture) examInput() ExamInput {
	return ExamInput{Purpose: "enforcement", UnitID: f.sfj, Title: "2026 年度行政执法人员法律知识考试", DurationMin: 60,
		OpensAt: testStart, ClosesAt: testStart.Add(7 * 24 * time.Hour), PassMark: 30, MaxAttempts: 2,
		Quotas: []Quota{{Topic: f.topicA, Kind: "single", Count: 5, Points: 2}, {Topic: f.topicA, Kind: "multiple", Count: 2, Points: 5},
			{Topic: f.topicA, Kind: "judge", Count: 4, Points: 2}, {Topic: f.topicB, Kind: "single", Count: 5, Points: 2}}}
}

func (f *fixture) newExam(in ExamInput, who ...string) *Exam {
	f.t.Helper()
	e, err := f.s.CreateExam(f.admin, in)
	if err != nil {
		f.t.Fatal(err)
	}
	var ids []int64
	for _, w := range who {
		ids = append(ids, f.users[w])
	}
	if len(ids) > 0 {
		if _, err := f.s.AddCandidates(f.admin, e.ID, CandidatesInput{UserIDs: ids}); err != nil {
			f.t.Fatal(err)
		}
	}
	return e
}

// key returns the right answers of an attempt's items (test only: read
// from the bank, as the server scores).
func (f *fixture) key(attemptID int64) map[int]string {
	f.t.Helper()
	items, err := f.s.st.items(context.Background(), f.d, attemptID)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[int]string{}
	for _, it := range items {
		out[it.Pos] = it.Key
	}
	return out
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.d.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) { fn(t, newFixture(t, d)) })
}

func dbReq() db.ListReq { return db.ListReq{Page: 1, Size: 50} }
