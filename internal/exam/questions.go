package exam

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

const (
	maxStem        = 1000
	maxOption      = 300
	maxExplanation = 2000
	maxTopic       = 40
	maxOptions     = 6
)

// QuestionInput creates or edits a bank question.
type QuestionInput struct {
	Kind        string   `json:"kind" doc:"题型：single 单选、multiple 多选、judge 判断"`
	Topic       string   `json:"topic" doc:"专题"`
	Difficulty  string   `json:"difficulty" doc:"难度：easy、medium、hard"`
	Stem        string   `json:"stem" doc:"题干"`
	Options     []string `json:"options,omitempty" doc:"选项（单选、多选 2 至 6 个；判断题不填）"`
	Answer      string   `json:"answer" doc:"答案：单选 A；多选 ACD；判断 T（正确）或 F（错误），也可填 对、错"`
	Explanation string   `json:"explanation,omitempty" doc:"解析"`
	Active      *bool    `json:"active,omitempty" doc:"是否可用于组卷，默认是"`
	Version     int64    `json:"version,omitempty"`
}

func letters(n int) string { return "ABCDEF"[:n] }

// normAnswer returns the canonical answer of a question of kind with n
// options, or a problem. A key (isKey) of a multiple-choice question has
// at least two right options; a candidate's answer may pick one.
func normAnswer(kind string, n int, raw string, isKey bool) (string, string) {
	a := strings.ToUpper(strings.TrimSpace(raw))
	switch kind {
	case KindJudge:
		switch a {
		case "T", "对", "正确", "√", "是", "TRUE":
			return "T", ""
		case "F", "错", "错误", "×", "否", "FALSE":
			return "F", ""
		}
		return "", "判断题答案应为 T（正确）或 F（错误）"
	case KindSingle, KindMultiple:
		var picked []byte
		for _, r := range a {
			if r == ',' || r == '，' || r == '、' || r == ' ' {
				continue
			}
			i := strings.IndexRune(letters(n), r)
			if i < 0 {
				return "", fmt.Sprintf("答案只能是选项字母 %s", strings.Join(strings.Split(letters(n), ""), "、"))
			}
			if !slices.Contains(picked, byte(r)) {
				picked = append(picked, byte(r))
			}
		}
		slices.Sort(picked)
		switch {
		case len(picked) == 0:
			return "", "请填写答案"
		case kind == KindSingle && len(picked) != 1:
			return "", "单选题只能有一个正确选项"
		case kind == KindMultiple && isKey && len(picked) < 2:
			return "", "多选题至少有两个正确选项"
		}
		return string(picked), ""
	}
	return "", ""
}

// checkQuestion validates in (trimming it) and returns the problems by field.
func checkQuestion(in *QuestionInput) apperr.Fields {
	var v apperr.Fields
	in.Topic, in.Stem, in.Explanation = strings.TrimSpace(in.Topic), strings.TrimSpace(in.Stem), strings.TrimSpace(in.Explanation)
	kind, okKind := option.Value(Kinds, strings.TrimSpace(in.Kind))
	if !okKind {
		v.Add("kind", "题型应为：%s", option.Joined(Kinds))
	}
	in.Kind = kind
	if d, ok := option.Value(Difficulties, strings.TrimSpace(in.Difficulty)); ok {
		in.Difficulty = d
	} else {
		v.Add("difficulty", "难度应为：%s", option.Joined(Difficulties))
	}
	switch n := utf8.RuneCountInString(in.Topic); {
	case n == 0:
		v.Add("topic", "请填写专题")
	case n > maxTopic:
		v.Add("topic", "专题不能超过 %d 个字", maxTopic)
	}
	switch n := utf8.RuneCountInString(in.Stem); {
	case n == 0:
		v.Add("stem", "请填写题干")
	case n > maxStem:
		v.Add("stem", "题干不能超过 %d 个字", maxStem)
	}
	if utf8.RuneCountInString(in.Explanation) > maxExplanation {
		v.Add("explanation", "解析不能超过 %d 个字", maxExplanation)
	}
	for _, s := range append([]string{in.Topic, in.Stem, in.Explanation}, in.Options...) {
		if strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
			v.Add("stem", "题目内容含有无效字符")
			break
		}
	}
	opts := make([]string, 0, len(in.Options))
	for _, o := range in.Options {
		if o = strings.TrimSpace(o); o != "" {
			opts = append(opts, o)
		}
	}
	in.Options = opts
	if !okKind {
		return v
	}
	if in.Kind == KindJudge {
		if len(in.Options) > 0 {
			v.Add("options", "判断题不填选项")
		}
	} else {
		switch {
		case len(in.Options) < 2 || (in.Kind == KindMultiple && len(in.Options) < 3):
			v.Add("options", "%s至少需要 %d 个选项", option.Label(Kinds, in.Kind), map[bool]int{true: 3, false: 2}[in.Kind == KindMultiple])
		case len(in.Options) > maxOptions:
			v.Add("options", "选项不能超过 %d 个", maxOptions)
		}
		seen := map[string]bool{}
		for _, o := range in.Options {
			if utf8.RuneCountInString(o) > maxOption {
				v.Add("options", "每个选项不能超过 %d 个字", maxOption)
				break
			}
			if seen[o] {
				v.Add("options", "选项「%s」重复", o)
				break
			}
			seen[o] = true
		}
	}
	n := min(len(in.Options), maxOptions)
	if a, p := normAnswer(in.Kind, n, in.Answer, true); p != "" {
		v.Add("answer", "%s", p)
	} else {
		in.Answer = a
	}
	return v
}

func (s *Service) decorateQuestion(q *Question) {
	q.KindLabel = option.Label(Kinds, q.Kind)
	q.DifficultyLabel = option.Label(Difficulties, q.Difficulty)
}

// GetQuestion reads one question with its key (managers only).
func (s *Service) GetQuestion(ctx context.Context, id int64) (*Question, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	q, err := s.st.question(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	s.decorateQuestion(q)
	return q, nil
}

// CreateQuestion adds a question to the bank.
func (s *Service) CreateQuestion(ctx context.Context, in QuestionInput) (*Question, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	if err := checkQuestion(&in).Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		if id, err = s.st.insertQuestion(ctx, tx, in, a.UserID, s.clock(ctx)); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.question.create", ObjectType: "exam_question", ObjectID: itoa(id),
			UnitID: a.UnitID, Summary: fmt.Sprintf("新增考试题目（%s，%s）：%s", option.Label(Kinds, in.Kind), in.Topic, clip(in.Stem, 40)), After: in})
	})
	if err != nil {
		return nil, err
	}
	return s.GetQuestion(ctx, id)
}

// UpdateQuestion edits a question. Once it has appeared on a candidate's
// paper its stem, options and key are fixed (papers are scored and
// reproduced from the bank); it can still be withdrawn from new exams.
func (s *Service) UpdateQuestion(ctx context.Context, id int64, in QuestionInput) (*Question, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	if err := checkQuestion(&in).Err(); err != nil {
		return nil, err
	}
	_, err = update.Run(ctx, s.db, in.Version, update.Update[*Question]{
		Load:    func(ctx context.Context, tx *db.Tx) (*Question, error) { return s.st.question(ctx, tx, id) },
		Version: func(q *Question) int64 { return q.Version },
		Change: func(ctx context.Context, tx *db.Tx, q **Question) (audit.Event, error) {
			old := *q
			if old.Used && (old.Kind != in.Kind || old.Stem != in.Stem || old.Answer != in.Answer || !slices.Equal(old.Options, in.Options)) {
				return audit.Event{}, apperr.New(apperr.Precondition, "该题已出现在考生试卷中，不能修改题型、题干、选项和答案；如需调整请停用后新增题目")
			}
			return audit.Event{Action: "exam.question.update", ObjectType: "exam_question", ObjectID: itoa(id), UnitID: a.UnitID,
				Summary: fmt.Sprintf("修改考试题目：%s", clip(in.Stem, 40))}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Question, loaded int64) (bool, error) {
			return s.st.updateQuestion(ctx, tx, id, loaded, in, s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Question) (*Question, error) {
			return s.st.question(ctx, tx, id)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.GetQuestion(ctx, id)
}

// QuestionFilter narrows the bank list.
type QuestionFilter struct {
	Q          string `query:"q" doc:"题干关键词"`
	Topic      string `query:"topic" doc:"专题"`
	Kind       string `query:"kind" doc:"题型"`
	Difficulty string `query:"difficulty" doc:"难度"`
	Active     string `query:"active" enum:"true,false," doc:"是否可用于组卷"`
}

func (s *Service) questionSQL(ctx context.Context, f QuestionFilter) (db.ListSQL, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return db.ListSQL{}, err
	}
	conds, args := []string{"1=1"}, []any{}
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `q.stem LIKE ? ESCAPE '\'`)
		args = append(args, db.Like(q))
	}
	if t := strings.TrimSpace(f.Topic); t != "" {
		conds = append(conds, "q.topic = ?")
		args = append(args, t)
	}
	if k := strings.TrimSpace(f.Kind); k != "" {
		kind, ok := option.Value(Kinds, k)
		if !ok {
			return db.ListSQL{}, apperr.Field("kind", "题型应为：%s", option.Joined(Kinds))
		}
		conds = append(conds, "q.kind = ?")
		args = append(args, kind)
	}
	if d := strings.TrimSpace(f.Difficulty); d != "" {
		diff, ok := option.Value(Difficulties, d)
		if !ok {
			return db.ListSQL{}, apperr.Field("difficulty", "难度应为：%s", option.Joined(Difficulties))
		}
		conds = append(conds, "q.difficulty = ?")
		args = append(args, diff)
	}
	switch f.Active {
	case "true":
		conds = append(conds, "q.active = 1")
	case "false":
		conds = append(conds, "q.active = 0")
	}
	return db.ListSQL{Cols: questionCols, From: "exam_questions q", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "q.id", Desc: true}}}, nil
}

// ListQuestions pages the bank.
func (s *Service) ListQuestions(ctx context.Context, f QuestionFilter, req db.ListReq) (db.Paged[Question], error) {
	l, err := s.questionSQL(ctx, f)
	if err != nil {
		return db.Paged[Question]{Items: []Question{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Question, error) {
		q, err := scanQuestion(sc)
		if err != nil {
			return Question{}, err
		}
		s.decorateQuestion(q)
		return *q, nil
	}, func(q Question) []any { return []any{q.ID} })
}

// QuestionSheet is the sheet name of the bank's export and import.
const QuestionSheet = "考试题库"

// maxImportRows bounds one import.
const maxImportRows = 5000

var questionHeaders = []string{"题型", "专题", "难度", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析"}

// ExportQuestions writes the bank rows of f (with keys: managers only).
func (s *Service) ExportQuestions(ctx context.Context, w io.Writer, f QuestionFilter) error {
	l, err := s.questionSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := make([]xl.Column, 0, len(questionHeaders)+1)
	for _, h := range questionHeaders {
		cols = append(cols, xl.Column{Title: h})
	}
	cols = append(cols, xl.Column{Title: "可用于组卷"})
	return xl.Stream(w, xl.Sheet{Name: QuestionSheet, Title: "考试题库", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			q, err := scanQuestion(sc)
			if err != nil {
				return err
			}
			row := []any{option.Label(Kinds, q.Kind), q.Topic, option.Label(Difficulties, q.Difficulty), q.Stem}
			for i := range maxOptions {
				o := ""
				if i < len(q.Options) {
					o = q.Options[i]
				}
				row = append(row, o)
			}
			ans := q.Answer
			if q.Kind == KindJudge {
				ans = map[string]string{"T": "正确", "F": "错误"}[q.Answer]
			}
			return add(append(row, ans, q.Explanation, map[bool]string{true: "是", false: "否"}[q.Active])...)
		})
	}))
}

// ImportProblem is one bad cell (or row) of an import.
type ImportProblem struct {
	Sheet  string `json:"sheet"`
	Row    int    `json:"row"`
	Column string `json:"column" doc:"列号及列名，如 D（题干）"`
	Reason string `json:"reason"`
}

// ImportReport says what an import found and did.
type ImportReport struct {
	Rows     int             `json:"rows"`
	Valid    int             `json:"valid"`
	Created  int             `json:"created"`
	Problems []ImportProblem `json:"problems"`
}

var questionField = map[string]string{"kind": "题型", "topic": "专题", "difficulty": "难度", "stem": "题干", "options": "选项A", "answer": "答案", "explanation": "解析"}

// ImportQuestions reads a workbook of questions (the export's columns).
// Every bad row is reported (sheet, row, column, reason) and nothing is
// written unless every row is good; checkOnly only reports.
func (s *Service) ImportQuestions(ctx context.Context, data []byte, checkOnly bool) (*ImportReport, error) {
	a, err := auth.Require(ctx, PermManage)
	if err != nil {
		return nil, err
	}
	tb, err := xl.Read(data, xl.Options{Sheet: QuestionSheet, MaxRows: maxImportRows,
		OpenMessage: "无法读取 Excel 文件，请上传 .xlsx 格式的考试题库表", SheetMessage: "无法读取工作表「%s」"})
	if err != nil {
		return nil, err
	}
	idx, _ := tb.Columns(questionHeaders...)
	var missing []string
	for _, h := range []string{"题型", "专题", "难度", "题干", "答案"} {
		if _, ok := idx[h]; !ok {
			missing = append(missing, h)
		}
	}
	if len(missing) > 0 {
		return nil, apperr.Field("file", "工作表「%s」第 1 行缺少列：%s（请使用导出的题库表）", tb.Sheet, strings.Join(missing, "、"))
	}
	col := func(h string) string { return xl.ColumnLabel(idx[h], h) }
	probs := xl.NewProblems(tb.Sheet)
	rep := &ImportReport{Problems: []ImportProblem{}}
	var valid []QuestionInput
	seen := map[string]int{}
	for _, r := range tb.Data() {
		rep.Rows++
		cell := func(h string) string {
			if i, ok := idx[h]; ok {
				return r.Cell(i)
			}
			return ""
		}
		in := QuestionInput{Kind: cell("题型"), Topic: cell("专题"), Difficulty: cell("难度"), Stem: cell("题干"), Answer: cell("答案"), Explanation: cell("解析")}
		for _, l := range "ABCDEF" {
			in.Options = append(in.Options, cell("选项"+string(l)))
		}
		// Options are positional: a gap would shift the letters of the key.
		last := -1
		for i, o := range in.Options {
			if o != "" {
				last = i
			}
		}
		for i := 0; i < last; i++ {
			if in.Options[i] == "" {
				probs.Add(r.Num, col("选项"+string("ABCDEF"[i])), "选项不能跳过（后面的选项有内容）")
			}
		}
		v := checkQuestion(&in)
		for _, fe := range v {
			probs.Add(r.Num, col(questionField[fe.Field]), fe.Message)
		}
		if len(v) == 0 && !probs.Bad(r.Num) {
			key := in.Kind + "\x00" + in.Stem
			if first, dup := seen[key]; dup {
				probs.Addf(r.Num, col("题干"), "与第 %d 行的题目重复", first)
				continue
			}
			seen[key] = r.Num
			valid = append(valid, in)
		}
	}
	if rep.Rows == 0 {
		return nil, apperr.Field("file", "工作表「%s」没有数据行", tb.Sheet)
	}
	for _, p := range probs.List() {
		rep.Problems = append(rep.Problems, ImportProblem(p))
	}
	rep.Valid = len(valid)
	if len(rep.Problems) > 0 || checkOnly {
		return rep, nil
	}
	at := s.clock(ctx)
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, in := range valid {
			if _, err := s.st.insertQuestion(ctx, tx, in, a.UserID, at); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Event{Action: "exam.question.import", ObjectType: "exam_question", UnitID: a.UnitID,
			Summary: fmt.Sprintf("Excel 导入考试题目 %d 道", len(valid))})
	})
	if err != nil {
		return nil, err
	}
	rep.Created = len(valid)
	return rep, nil
}

// TopicCount is how many usable questions of each kind a topic holds (the
// exam form's quota limits). The bank is bounded (imports of 5,000 rows,
// a few thousand questions in all), so this groups it directly.
type TopicCount struct {
	Topic    string `json:"topic"`
	Single   int    `json:"single"`
	Multiple int    `json:"multiple"`
	Judge    int    `json:"judge"`
}

// Topics lists the bank's topics with their usable questions per kind.
func (s *Service) Topics(ctx context.Context) ([]TopicCount, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	return s.st.topics(ctx, s.db)
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
