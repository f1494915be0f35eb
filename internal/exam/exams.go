package exam

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
)

// ExamInput creates an exam.
type ExamInput struct {
	Purpose     string    `json:"purpose" doc:"考试类别（如 enforcement 行政执法人员法律知识考试）"`
	UnitID      int64     `json:"unit_id" doc:"组织单位"`
	Title       string    `json:"title"`
	Quotas      []Quota   `json:"quotas" doc:"组卷规则：每个专题、题型抽取的题数和每题分值"`
	DurationMin int       `json:"duration_min" doc:"答题时长（分钟）"`
	OpensAt     time.Time `json:"opens_at" doc:"开考时间"`
	ClosesAt    time.Time `json:"closes_at" doc:"截止时间"`
	PassMark    int       `json:"pass_mark" doc:"合格分数线"`
	MaxAttempts int       `json:"max_attempts" doc:"最多作答次数（含首次，补考次数 = 该数 - 1）"`
	Version     int64     `json:"version,omitempty" doc:"修改时：记录版本号"`
}

var (
	earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	latest   = time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
)

const maxQuestionsPerPaper = 200

func (s *Service) checkExam(in *ExamInput) apperr.Fields {
	var v apperr.Fields
	in.Title = strings.TrimSpace(in.Title)
	if _, ok := s.purposes[in.Purpose]; !ok {
		v.Add("purpose", "请选择考试类别")
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择组织单位")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "请填写考试名称")
	case n > 100:
		v.Add("title", "考试名称不能超过 100 个字")
	case strings.ContainsRune(in.Title, 0):
		v.Add("title", "考试名称含有无效字符")
	}
	if in.DurationMin < 5 || in.DurationMin > 300 {
		v.Add("duration_min", "答题时长应在 5 至 300 分钟之间")
	}
	if in.MaxAttempts < 1 || in.MaxAttempts > 10 {
		v.Add("max_attempts", "最多作答次数应在 1 至 10 次之间")
	}
	okTimes := true
	for _, t := range []struct {
		field, label string
		at           time.Time
	}{{"opens_at", "开考时间", in.OpensAt}, {"closes_at", "截止时间", in.ClosesAt}} {
		if t.at.IsZero() {
			v.Add(t.field, "请填写%s", t.label)
			okTimes = false
		} else if t.at.Before(earliest) || !t.at.Before(latest) {
			v.Add(t.field, "%s应在 2000 年至 2099 年之间", t.label)
			okTimes = false
		}
	}
	if okTimes && !in.ClosesAt.After(in.OpensAt.Add(time.Duration(in.DurationMin)*time.Minute)) {
		v.Add("closes_at", "截止时间应晚于开考时间加答题时长")
	}
	if len(in.Quotas) == 0 {
		v.Add("quotas", "请至少设置一条组卷规则")
	}
	seen := map[string]bool{}
	total, count := 0, 0
	for i := range in.Quotas {
		q := &in.Quotas[i]
		q.Topic = strings.TrimSpace(q.Topic)
		k, ok := option.Value(Kinds, strings.TrimSpace(q.Kind))
		switch {
		case q.Topic == "":
			v.Add("quotas", "第 %d 条组卷规则：请选择专题", i+1)
		case !ok:
			v.Add("quotas", "第 %d 条组卷规则：题型应为 %s", i+1, option.Joined(Kinds))
		case q.Count < 1 || q.Count > 100:
			v.Add("quotas", "第 %d 条组卷规则：题数应在 1 至 100 之间", i+1)
		case q.Points < 1 || q.Points > 100:
			v.Add("quotas", "第 %d 条组卷规则：每题分值应在 1 至 100 之间", i+1)
		case seen[q.Topic+"\x00"+k]:
			v.Add("quotas", "第 %d 条组卷规则：专题「%s」的%s重复设置", i+1, q.Topic, option.Label(Kinds, k))
		}
		q.Kind = k
		seen[q.Topic+"\x00"+k] = true
		total += q.Count * q.Points
		count += q.Count
	}
	if count > maxQuestionsPerPaper {
		v.Add("quotas", "一张试卷最多 %d 题", maxQuestionsPerPaper)
	}
	if total > 0 && (in.PassMark < 1 || in.PassMark > total) {
		v.Add("pass_mark", "合格分数线应在 1 至总分 %d 之间", total)
	}
	return v
}

// CreateExam creates an exam: the quotas are checked against the bank and
// each quota's pool of usable questions is frozen, so every paper can be
// drawn again from its seed. Candidates are added separately.
func (s *Service) CreateExam(ctx context.Context, in ExamInput) (*Exam, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	v := s.checkExam(&in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		path, _, err := s.st.unit(ctx, tx, in.UnitID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("unit_id", "所选组织单位不存在")
		} else if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, PermManage, path); err != nil {
			return err
		}
		pools, total, err := s.freeze(ctx, tx, in, &v)
		if err != nil {
			return err
		}
		if err := v.Err(); err != nil {
			return err
		}
		closeDay := calendar.Today(in.ClosesAt).String()
		if id, err = s.st.insertExam(ctx, tx, in, pools, total, closeDay, a.UserID, s.clock(ctx)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.create", ObjectType: "exam", ObjectID: itoa(id), UnitID: in.UnitID,
			Summary: fmt.Sprintf("组织在线考试：%s（总分 %d，合格线 %d，时长 %d 分钟）", in.Title, total, in.PassMark, in.DurationMin), After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.GetExam(ctx, id)
}

func (s *Service) decorateExam(e *Exam, now time.Time) {
	e.PurposeLabel = s.purposeLabel(e.Purpose)
	e.State, e.StateLabel = examState(e, now)
	if e.Quotas == nil {
		e.Quotas = []Quota{}
	}
}

func examState(e *Exam, now time.Time) (string, string) {
	switch {
	case now.Before(e.OpensAt):
		return "pending", "未开始"
	case now.Before(e.ClosesAt):
		return "open", "进行中"
	}
	return "closed", "已结束"
}

// manageable loads exam id for a manager in whose scope its unit lies.
func (s *Service) manageable(ctx context.Context, q db.Querier, id int64) (*Exam, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	e, err := s.st.exam(ctx, q, id)
	if apperr.Is(err, apperr.NotFound) {
		return nil, notFoundExam()
	}
	if err != nil {
		return nil, err
	}
	if !auth.From(ctx).CanIn(PermManage, e.unitPath) {
		return nil, notFoundExam()
	}
	return e, nil
}

// GetExam reads one exam (organisers).
func (s *Service) GetExam(ctx context.Context, id int64) (*Exam, error) {
	e, err := s.manageable(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	s.decorateExam(e, s.clock(ctx))
	return e, nil
}

// ExamFilter narrows the exam list.
type ExamFilter struct {
	Q       string `query:"q" doc:"考试名称"`
	Purpose string `query:"purpose" doc:"考试类别"`
}

// ListExams pages the exams organised in the actor's scope.
func (s *Service) ListExams(ctx context.Context, f ExamFilter, req db.ListReq) (db.Paged[Exam], error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return db.Paged[Exam]{Items: []Exam{}}, err
	}
	scope, args := auth.ScopeClause(a, PermManage, "e.unit_id")
	conds := []string{scope}
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `e.title LIKE ? ESCAPE '\'`)
		args = append(args, db.Like(q))
	}
	if p := strings.TrimSpace(f.Purpose); p != "" {
		conds = append(conds, "e.purpose = ?")
		args = append(args, p)
	}
	now := s.clock(ctx)
	l := db.ListSQL{Cols: examCols, From: examFrom, CountFrom: "exams e", Where: strings.Join(conds, " AND "), Args: args, Order: []db.Key{{Expr: "e.id", Desc: true}}}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Exam, error) {
		e, err := scanExam(sc)
		if err != nil {
			return Exam{}, err
		}
		s.decorateExam(e, now)
		return *e, nil
	}, func(e Exam) []any { return []any{e.ID} })
}

// CandidatesInput adds required candidates: everyone the purpose's source
// names in unit UnitID's subtree, and the users UserIDs.
type CandidatesInput struct {
	UnitID  int64   `json:"unit_id,omitempty" doc:"按单位添加（含下级单位）"`
	UserIDs []int64 `json:"user_ids,omitempty" doc:"按人员添加（用户 ID）"`
}

// CandidatesAdded says what AddCandidates did.
type CandidatesAdded struct {
	Added   int     `json:"added"`
	Already int     `json:"already" doc:"已是本场考试考生，未重复添加"`
	Unknown []int64 `json:"unknown" doc:"不属于本类考试考生范围的用户 ID"`
}

const maxCandidateBatch = 2000

// AddCandidates adds required candidates to an exam that has not closed.
// Each candidate keeps the name and unit the purpose's source gives; a
// unit (or a person's unit) outside the manager's scope is refused.
func (s *Service) AddCandidates(ctx context.Context, examID int64, in CandidatesInput) (*CandidatesAdded, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	if in.UnitID <= 0 && len(in.UserIDs) == 0 {
		return nil, apperr.Field("unit_id", "请选择单位或人员")
	}
	if len(in.UserIDs) > maxCandidateBatch {
		return nil, apperr.Field("user_ids", "一次最多添加 %d 人", maxCandidateBatch)
	}
	e, err := s.manageable(ctx, s.db, examID)
	if err != nil {
		return nil, err
	}
	if !s.clock(ctx).Before(e.ClosesAt) {
		return nil, apperr.New(apperr.Precondition, "考试已截止，不能再添加考生")
	}
	if in.UnitID > 0 {
		path, _, err := s.st.unit(ctx, s.db, in.UnitID)
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Field("unit_id", "所选单位不存在")
		} else if err != nil {
			return nil, err
		}
		if !a.CanIn(PermManage, path) {
			return nil, apperr.Field("unit_id", "所选单位不在您的数据权限范围内")
		}
	}
	src := s.purposes[e.Purpose].Candidates
	if src == nil {
		return nil, apperr.New(apperr.Precondition, "该类考试未配置考生来源")
	}
	people, err := src(ctx, in.UnitID, in.UserIDs)
	if err != nil {
		return nil, err
	}
	out := &CandidatesAdded{Unknown: []int64{}}
	named := map[int64]bool{}
	for _, p := range people {
		named[p.UserID] = true
	}
	for _, id := range in.UserIDs {
		if !named[id] {
			out.Unknown = append(out.Unknown, id)
		}
	}
	if len(out.Unknown) > 0 {
		return nil, apperr.Field("user_ids", "以下用户不属于%s的考生范围：%v", s.purposeLabel(e.Purpose), out.Unknown)
	}
	if len(people) > maxCandidateBatch {
		return nil, apperr.Field("unit_id", "一次最多添加 %d 人", maxCandidateBatch)
	}
	at := s.clock(ctx)
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		have, err := s.st.candidateUsers(ctx, tx, examID)
		if err != nil {
			return err
		}
		var names []string
		for _, p := range people {
			if have[p.UserID] {
				out.Already++
				continue
			}
			path, _, err := s.st.unit(ctx, tx, p.UnitID)
			if err != nil {
				return err
			}
			if !a.CanIn(PermManage, path) {
				return apperr.Field("user_ids", "%s所在单位不在您的数据权限范围内", p.Name)
			}
			have[p.UserID] = true
			id, err := s.st.insertCandidate(ctx, tx, examID, p, at)
			if err != nil {
				return err
			}
			if err := CandidateTally.Added(ctx, tx, id); err != nil {
				return err
			}
			out.Added++
			if len(names) < 20 {
				names = append(names, p.Name)
			}
		}
		if out.Added == 0 {
			return nil
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.candidates.add", ObjectType: "exam", ObjectID: itoa(examID), UnitID: e.UnitID,
			Summary: fmt.Sprintf("「%s」添加考生 %d 人：%s", e.Title, out.Added, strings.Join(names, "、"))})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
