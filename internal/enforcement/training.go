package enforcement

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"

	"github.com/danielgtaylor/huma/v2"
)

// Officers' legal training and exams (issue 21): officers sit the online
// exams of the exam engine as their linked accounts; this file holds the
// link, the candidates the engine asks for, and the coverage per unit.

// Figure codes.
const (
	FigureTrainingHours    = "enforcement.training_hours_rate"
	FigureTrainingCoverage = "enforcement.training_coverage"
	FigureExamPassRate     = "enforcement.exam_pass_rate"
)

// ExamCounts are an exam purpose's candidates in a period.
type ExamCounts struct{ Required, Sat, Passed int }

// Exams is what this module needs from the exam engine: the counters of
// its officers' exams (purpose enforcement) closed from–to, for the units
// matching scopeCond (over c.unit_id) under root (adapted in internal/app).
type Exams interface {
	Coverage(ctx context.Context, scopeCond string, scopeArgs []any, root int64, from, to string) (ExamCounts, error)
}

// Accounts finds the active account of a username (org's engine lookup).
type Accounts interface {
	UserByUsername(ctx context.Context, username string) (id int64, name string, unitID int64, err error)
}

type training struct {
	exams         Exams
	accounts      Accounts
	requiredHours int
}

// DefaultRequiredHours is the yearly legal-knowledge training an officer
// must have (configurable: provinces set it; 60 学时 is a common figure,
// not confirmed for every province).
const DefaultRequiredHours = 60

// SetTraining connects the exam engine and the accounts lookup (wiring);
// requiredHours ≤ 0 means DefaultRequiredHours.
func (s *Service) SetTraining(exams Exams, accounts Accounts, requiredHours int) {
	if requiredHours <= 0 {
		requiredHours = DefaultRequiredHours
	}
	s.train = training{exams: exams, accounts: accounts, requiredHours: requiredHours}
}

// Trainee is an officer who sits exams as a linked account.
type Trainee struct {
	UserID int64
	Name   string
	UnitID int64
}

// Trainees lists the officers with a linked account and a certificate not
// revoked, of unit unitID's subtree (0: none) and of the accounts userIDs.
// An engine lookup (no actor, no scope: the exam engine checks the
// organiser's scope over each trainee's unit).
func (s *Service) Trainees(ctx context.Context, unitID int64, userIDs []int64) ([]Trainee, error) {
	return s.st.trainees(ctx, s.db, unitID, userIDs)
}

// AccountInput links an officer to an account by username ("" unlinks).
type AccountInput struct {
	Username string `json:"username" doc:"系统账号用户名；留空表示取消关联"`
	Version  int64  `json:"version"`
}

// LinkAccount links an officer to the account they sit exams with.
func (s *Service) LinkAccount(ctx context.Context, id int64, in AccountInput) (*Officer, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	in.Username = strings.TrimSpace(in.Username)
	var userID *int64
	label := "取消关联账号"
	if in.Username != "" {
		if s.train.accounts == nil || strings.ContainsRune(in.Username, 0) || len(in.Username) > 64 {
			return nil, apperr.Field("username", "找不到启用的账号「%s」", strings.ReplaceAll(in.Username, "\x00", ""))
		}
		uid, name, _, err := s.train.accounts.UserByUsername(ctx, in.Username)
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.Field("username", "找不到启用的账号「%s」", in.Username)
		}
		if err != nil {
			return nil, err
		}
		userID, label = &uid, fmt.Sprintf("关联账号 %s（%s）", in.Username, name)
	}
	year := s.today(ctx).Year
	_, err := update.Run(ctx, s.db, in.Version, update.Update[*Officer]{
		Load: func(ctx context.Context, tx *db.Tx) (*Officer, error) {
			o, err := s.st.officer(ctx, tx, id, year)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, o.unitPath)
			return o, err
		},
		Version: func(o *Officer) int64 { return o.Version },
		Change: func(ctx context.Context, tx *db.Tx, o **Officer) (audit.Event, error) {
			return audit.Event{Action: "enforcement.officer.account", ObjectType: "enforcement_officer", ObjectID: itoa(id), UnitID: (*o).UnitID,
				Summary: fmt.Sprintf("执法人员 %s：%s", (*o).Name, label)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Officer, loaded int64) (bool, error) {
			ok, err := s.st.setOfficerUser(ctx, tx, id, loaded, userID, s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("username", "账号「%s」已关联其他执法人员", in.Username)
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Officer) (*Officer, error) {
			return s.st.officer(ctx, tx, id, year)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.GetOfficer(ctx, id)
}

// UnitTraining is one unit's line of the training overview.
type UnitTraining struct {
	UnitID        int64  `json:"unit_id"`
	UnitName      string `json:"unit_name"`
	Officers      int    `json:"officers" doc:"执法人员（证件未注销）"`
	Linked        int    `json:"linked" doc:"已关联账号"`
	HoursMet      int    `json:"hours_met" doc:"本年度培训学时达标人数"`
	RequiredHours int    `json:"required_hours"`
	ExamRequired  int    `json:"exam_required" doc:"应考人次（本年已截止的考试）"`
	ExamSat       int    `json:"exam_sat"`
	ExamPassed    int    `json:"exam_passed"`
}

// TrainingOverview lists, per unit in the actor's scope with officers, the
// officers, their training hours against the required hours this year, and
// the candidates of this year's officers' exams already closed (counters).
func (s *Service) TrainingOverview(ctx context.Context) ([]UnitTraining, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	scope, args := auth.ScopeClause(a, PermRead, "o.unit_id")
	rows, err := s.st.trainingByUnit(ctx, s.db, scope, args, today.Year, s.hours())
	if err != nil {
		return nil, err
	}
	from, to := calendar.NewDate(today.Year, 1, 1).String(), today.AddDays(-1).String()
	cscope, cargs := auth.ScopeClause(a, PermRead, "c.unit_id")
	for i := range rows {
		rows[i].RequiredHours = s.hours()
		if s.train.exams == nil || to < from {
			continue
		}
		n, err := s.train.exams.Coverage(ctx, cscope+" AND c.unit_id = ?", append(append([]any{}, cargs...), rows[i].UnitID), 0, from, to)
		if err != nil {
			return nil, err
		}
		rows[i].ExamRequired, rows[i].ExamSat, rows[i].ExamPassed = n.Required, n.Sat, n.Passed
	}
	return rows, nil
}

func (s *Service) hours() int {
	if s.train.requiredHours <= 0 {
		return DefaultRequiredHours
	}
	return s.train.requiredHours
}

// HoursFigures is the officers' legal-knowledge training of a year: the
// officers on the roster (certificates not revoked) whose training hours
// of the year reach the required hours, over the roster. The year is that
// of the period's end (To; today when empty).
func (s *Service) HoursFigures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	year := today.Year
	if q.To != "" {
		var v apperr.Fields
		if d := calendar.CheckDate(&v, "to", "期间截止日期", q.To, false, calendar.Span{}); !d.IsZero() {
			year = d.Year
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
	}
	scope, args := auth.ScopeClause(a, PermRead, "o.unit_id")
	roster, met, err := s.st.trainingHoursMet(ctx, s.db, scope, args, q.UnitID, year, s.hours())
	if err != nil {
		return nil, err
	}
	link := fmt.Sprintf("/enforcement/officers?roster=true&training_year=%d", year)
	if q.UnitID > 0 {
		link += fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	return []metric.Figure{
		metric.Figure{Code: FigureTrainingHours, Name: "执法人员法律知识培训学时达标率", Link: link, NumeratorLink: link + "&hours_met=true",
			Definition: fmt.Sprintf("分子：%d 年度法律知识培训学时达到 %d 学时的执法人员；分母：执法人员名册中证件未注销的人员（期间截止日期所在年度，不填为本年；学时要求可按省配置）", year, s.hours())}.Rate(met, roster),
	}, nil
}

// TrainingFigures are the officers' exam figures from the exam engine's
// counters: coverage (sat over required) and pass rate (passed over sat)
// of the officers' exams whose window closed in the period and before
// today. An empty From is 1 January of this year, an empty To is today.
func (s *Service) TrainingFigures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	if s.train.exams == nil {
		return nil, nil
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	var v apperr.Fields
	if from != "" {
		calendar.CheckDate(&v, "from", "期间起始日期", from, false, calendar.Span{})
	}
	if to != "" {
		calendar.CheckDate(&v, "to", "期间截止日期", to, false, calendar.Span{})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if from == "" {
		from = calendar.NewDate(today.Year, 1, 1).String()
	}
	if to == "" {
		to = today.String()
	}
	dueTo := min(to, today.AddDays(-1).String())
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	n := ExamCounts{}
	if dueTo >= from {
		if n, err = s.train.exams.Coverage(ctx, scope, args, q.UnitID, from, dueTo); err != nil {
			return nil, err
		}
	}
	unit := ""
	if q.UnitID > 0 {
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	link := fmt.Sprintf("/exam/results?purpose=enforcement&close_from=%s&close_to=%s%s", from, dueTo, unit)
	period := fmt.Sprintf("（期间：考试截止日期 %s 至 %s，不填时为本年1月1日至今天；尚未截止的考试不计）", from, dueTo)
	return []metric.Figure{
		metric.Figure{Code: FigureTrainingCoverage, Name: "执法人员考试参考率", Link: link, NumeratorLink: link + "&sat=true",
			Definition: "分子：已参加考试（交卷或到时自动交卷）的应考执法人员人次；分母：期间内截止的执法人员法律知识考试的应考人次" + period}.Rate(n.Sat, n.Required),
		metric.Figure{Code: FigureExamPassRate, Name: "执法人员考试合格率", Link: link + "&sat=true", NumeratorLink: link + "&passed=true",
			Definition: "分子：考试合格的人次；分母：已参加考试的人次（未参考的计入参考率）" + period}.Rate(n.Passed, n.Sat),
	}, nil
}

type trainingOut struct {
	Body struct {
		Items []UnitTraining `json:"items"`
	}
}
type accountIn struct {
	ID   int64 `path:"id"`
	Body AccountInput
}

// RegisterTrainingRoutes declares the training routes (called at wiring
// with the rest of the module's routes).
func (s *Service) RegisterTrainingRoutes(api huma.API) {
	tag := []string{"行政执法监督"}
	huma.Register(api, huma.Operation{OperationID: "enforcement-training", Method: http.MethodGet, Path: "/api/enforcement/training", Tags: tag,
		Summary: "执法人员培训与考试情况（按单位）"}, func(ctx context.Context, _ *struct{}) (*trainingOut, error) {
		out := &trainingOut{}
		var err error
		out.Body.Items, err = s.TrainingOverview(ctx)
		return out, err
	})
	huma.Register(api, huma.Operation{OperationID: "enforcement-officer-account", Method: http.MethodPut, Path: "/api/enforcement/officers/{id}/account", Tags: tag,
		Summary: "关联执法人员的系统账号（参加在线考试）"}, func(ctx context.Context, in *accountIn) (*officerOut, error) {
		o, err := s.LinkAccount(ctx, in.ID, in.Body)
		return &officerOut{Body: o}, err
	})
}
