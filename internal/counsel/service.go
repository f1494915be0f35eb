package counsel

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// Directory is what counsel needs from org: the active units with their
// types (coverage) and whether an account is active (the adviser's login,
// through which legality reviews are linked).
type Directory interface {
	Units(ctx context.Context) ([]UnitRef, error)
	UserActive(ctx context.Context, id int64) (bool, error)
}

// ReviewLookup lists the legality reviews a user took part in (legalreview
// owns them; adapted in internal/app/wire_counsel.go).
type ReviewLookup interface {
	ReviewsOf(ctx context.Context, userID int64, limit int) ([]ReviewLink, error)
}

// CoveredTypes are the unit types that should each have an adviser: the
// government, its departments, towns and villages/communities (not internal
// offices).
var CoveredTypes = []Option{{Value: "district", Label: "区政府"}, {Value: "department", Label: "区直部门"}, {Value: "town", Label: "镇街"}, {Value: "village", Label: "村居"}}

// Service is the legal adviser register.
type Service struct {
	db      *db.DB
	st      Store
	dir     Directory
	reviews ReviewLookup
	now     func() time.Time
}

// NewService builds the register; reviews may be nil (no link).
func NewService(d *db.DB, dir Directory, reviews ReviewLookup) *Service {
	return &Service{db: d, dir: dir, reviews: reviews, now: time.Now}
}

// SetNow replaces the clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

func (s *Service) clock(ctx context.Context) time.Time     { return clock.Now(ctx, s.now) }
func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

var earliest = calendar.NewDate(1990, 1, 1)
var phoneRE = regexp.MustCompile(`^[0-9+\- ]{7,20}$`)

// ---- advisers ----

// AdviserInput creates or edits an adviser.
type AdviserInput struct {
	UnitID        int64  `json:"unit_id" doc:"管理单位（仅新建时）"`
	Name          string `json:"name"`
	Level         string `json:"level" doc:"层级 district/town/village"`
	Kind          string `json:"kind" doc:"类别"`
	Firm          string `json:"firm,omitempty" doc:"执业机构"`
	LicenseNo     string `json:"license_no,omitempty" doc:"执业证号"`
	Qualification string `json:"qualification,omitempty" doc:"资格、专长"`
	Phone         string `json:"phone,omitempty"`
	UserID        int64  `json:"user_id,omitempty" doc:"系统账号"`
	Active        *bool  `json:"active,omitempty" doc:"仅修改时：是否在册"`
	Version       int    `json:"version,omitempty" doc:"仅修改时必填"`
}

func (s *Service) checkAdviser(ctx context.Context, in AdviserInput, a *Adviser) error {
	var v apperr.Fields
	a.Name = strings.TrimSpace(in.Name)
	if a.Name == "" || utf8.RuneCountInString(a.Name) > 50 {
		v.Add("name", "请填写法律顾问姓名（不超过 50 个字）")
	}
	if l, ok := option.Value(Levels, strings.TrimSpace(in.Level)); ok {
		a.Level = l
	} else {
		v.Add("level", "层级应为：区级、镇街级、村居级")
	}
	if k, ok := option.Value(Kinds, strings.TrimSpace(in.Kind)); ok {
		a.Kind = k
	} else {
		v.Add("kind", "类别应为：执业律师、公职律师、法学专家学者、基层法律服务工作者")
	}
	a.Firm, a.LicenseNo, a.Qualification, a.Phone = strings.TrimSpace(in.Firm), strings.TrimSpace(in.LicenseNo), strings.TrimSpace(in.Qualification), strings.TrimSpace(in.Phone)
	if (a.Kind == "lawyer" || a.Kind == "public") && a.LicenseNo == "" {
		v.Add("license_no", "执业律师、公职律师请填写执业证号")
	}
	if utf8.RuneCountInString(a.Firm) > 100 || utf8.RuneCountInString(a.LicenseNo) > 50 {
		v.Add("firm", "执业机构不超过 100 个字，执业证号不超过 50 个字")
	}
	if utf8.RuneCountInString(a.Qualification) > 2000 {
		v.Add("qualification", "资格、专长不能超过 2000 个字")
	}
	if a.Phone != "" && !phoneRE.MatchString(a.Phone) {
		v.Add("phone", "联系电话格式不正确")
	}
	a.UserID = in.UserID
	if in.UserID > 0 {
		ok, err := s.dir.UserActive(ctx, in.UserID)
		if err != nil {
			return err
		}
		if !ok {
			v.Add("user_id", "系统账号不存在或已停用")
		}
	}
	return v.Err()
}

func adviserAudit(a *Adviser, action, summary string) audit.Event {
	return audit.Event{Action: "counsel." + action, ObjectType: "counsel_adviser", ObjectID: strconv.FormatInt(a.ID, 10), UnitID: a.UnitID,
		Summary: fmt.Sprintf("法律顾问 %s：%s", a.Name, summary)}
}

// CreateAdviser adds an adviser to the pool, managed by a unit in the
// actor's scope.
func (s *Service) CreateAdviser(ctx context.Context, in AdviserInput) (*Detail, error) {
	actor, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	path, err := s.unitPath(ctx, in.UnitID)
	if err != nil {
		return nil, err
	}
	if !actor.CanIn(PermWrite, path) {
		return nil, apperr.New(apperr.NotFound, "管理单位不存在或不在您的数据权限范围内")
	}
	a := &Adviser{UnitID: in.UnitID}
	if err := s.checkAdviser(ctx, in, a); err != nil {
		return nil, err
	}
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		id, err := s.st.insertAdviser(ctx, tx, a, s.clock(ctx))
		if err != nil {
			return err
		}
		a.ID = id
		ev := adviserAudit(a, "adviser.create", "选聘入库（"+option.Label(Levels, a.Level)+"）")
		ev.After = a
		return audit.Record(ctx, tx, ev)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, a.ID)
}

func (s *Service) unitPath(ctx context.Context, id int64) (string, error) {
	if id <= 0 {
		return "", apperr.Field("unit_id", "请选择单位")
	}
	var path string
	err := s.db.QueryRow(ctx, "SELECT path FROM org_unit_refs WHERE id = ?", id).Scan(&path)
	if err != nil {
		return "", apperr.New(apperr.NotFound, "单位不存在或不在您的数据权限范围内")
	}
	return path, nil
}

// adviserFor loads an adviser for perm: outside the actor's scope it is not
// found.
func (s *Service) adviserFor(ctx context.Context, q db.Querier, perm string, id int64) (*auth.Actor, *Adviser, error) {
	actor, err := auth.Require(ctx, perm)
	if err != nil {
		return nil, nil, err
	}
	a, err := s.st.adviser(ctx, q, id, s.today(ctx).String())
	if err != nil {
		return nil, nil, err
	}
	if !actor.CanIn(PermRead, a.unitPath) && !actor.CanIn(perm, a.unitPath) {
		return nil, nil, apperr.New(apperr.NotFound, "法律顾问不存在或无权查看")
	}
	if !actor.CanIn(perm, a.unitPath) {
		return nil, nil, apperr.New(apperr.Forbidden, "无权管理「%s」的法律顾问", a.UnitName)
	}
	return actor, a, nil
}

// UpdateAdviser edits an adviser (or takes them off the roll).
func (s *Service) UpdateAdviser(ctx context.Context, id int64, in AdviserInput) (*Detail, error) {
	_, err := update.Run(ctx, s.db, int64(in.Version), update.Update[*Adviser]{
		Load: func(ctx context.Context, tx *db.Tx) (*Adviser, error) {
			_, a, err := s.adviserFor(ctx, tx, PermWrite, id)
			return a, err
		},
		Version: func(a *Adviser) int64 { return int64(a.Version) },
		Change: func(ctx context.Context, tx *db.Tx, a **Adviser) (audit.Event, error) {
			n := **a
			if err := s.checkAdviser(ctx, in, &n); err != nil {
				return audit.Event{}, err
			}
			if in.Active != nil {
				n.Active = *in.Active
			}
			*a = &n
			return adviserAudit(&n, "adviser.update", "修改信息"), nil
		},
		Write: func(ctx context.Context, tx *db.Tx, a *Adviser, loaded int64) (bool, error) {
			return s.st.updateAdviser(ctx, tx, a, int(loaded), s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Adviser) (*Adviser, error) {
			return s.st.adviser(ctx, tx, id, s.today(ctx).String())
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Get returns an adviser with contracts, recent work, evaluations and the
// legality reviews their account took part in. The phone is masked for
// readers who may not manage the adviser.
func (s *Service) Get(ctx context.Context, id int64) (*Detail, error) {
	actor, a, err := s.adviserFor(ctx, s.db, PermRead, id)
	if err != nil {
		return nil, err
	}
	d := &Detail{Adviser: *a, CanWrite: actor.CanIn(PermWrite, a.unitPath), Reviews: []ReviewLink{}}
	if !d.CanWrite {
		d.Phone = mask.Phone(d.Phone)
	}
	today := s.today(ctx).String()
	if d.Contracts, err = s.st.contracts(ctx, s.db, id); err != nil {
		return nil, err
	}
	for i := range d.Contracts {
		d.Contracts[i].Current = d.Contracts[i].StartsOn <= today && d.Contracts[i].EndsOn >= today
	}
	l := s.st.workList(WorkFilter{AdviserID: id}, "1=1", nil)
	page, err := db.Fetch(ctx, s.db, l, db.ListReq{Size: 100}, scanWork, func(w Work) []any { return []any{w.ID} })
	if err != nil {
		return nil, err
	}
	d.Works = page.Items
	if d.Evaluations, err = s.st.evaluations(ctx, s.db, id); err != nil {
		return nil, err
	}
	if s.reviews != nil && a.UserID > 0 {
		if d.Reviews, err = s.reviews.ReviewsOf(ctx, a.UserID, 200); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// List returns a page of the pool within the actor's scope.
func (s *Service) List(ctx context.Context, f AdviserFilter, req db.ListReq) (db.Paged[Adviser], error) {
	actor, l, err := s.listSQL(ctx, f)
	if err != nil {
		return db.Paged[Adviser]{Items: []Adviser{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, s.scanner(actor), func(a Adviser) []any { return []any{a.ID} })
}

func (s *Service) scanner(actor *auth.Actor) func(db.Scanner) (Adviser, error) {
	return func(sc db.Scanner) (Adviser, error) {
		a, err := scanAdviser(sc)
		if err == nil && !actor.CanIn(PermWrite, a.unitPath) {
			a.Phone = mask.Phone(a.Phone)
		}
		return a, err
	}
}

func (s *Service) listSQL(ctx context.Context, f AdviserFilter) (*auth.Actor, db.ListSQL, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(actor, PermRead, "a.unit_id")
	return actor, s.st.adviserList(f, s.today(ctx).String(), scope, args), nil
}

// ---- contracts ----

// ContractInput engages an adviser for a unit (or edits the engagement).
type ContractInput struct {
	UnitID   int64  `json:"unit_id" doc:"服务单位（仅新建时）"`
	StartsOn string `json:"starts_on" doc:"聘期起"`
	EndsOn   string `json:"ends_on" doc:"聘期止"`
	Fee      int64  `json:"fee" doc:"报酬（元）"`
	FeeBasis string `json:"fee_basis,omitempty" doc:"计酬方式，如 按年度、按件"`
	Note     string `json:"note,omitempty"`
	Version  int    `json:"version,omitempty" doc:"仅修改时必填"`
}

func checkContract(in ContractInput, k *Contract) error {
	var v apperr.Fields
	span := calendar.Span{From: earliest, To: calendar.NewDate(2100, 12, 31)}
	start := calendar.CheckDate(&v, "starts_on", "聘期起", strings.TrimSpace(in.StartsOn), true, span)
	end := calendar.CheckDate(&v, "ends_on", "聘期止", strings.TrimSpace(in.EndsOn), true, span)
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		v.Add("ends_on", "聘期止不能早于聘期起")
	}
	if in.Fee < 0 {
		v.Add("fee", "报酬不能为负数")
	}
	k.StartsOn, k.EndsOn, k.Fee = start.String(), end.String(), in.Fee
	k.FeeBasis, k.Note = strings.TrimSpace(in.FeeBasis), strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(k.FeeBasis) > 50 || utf8.RuneCountInString(k.Note) > 2000 {
		v.Add("note", "计酬方式不超过 50 个字，备注不超过 2000 个字")
	}
	return v.Err()
}

// AddContract engages an adviser on the roll for a unit in the actor's
// scope; a second contract with the same unit may not overlap the first.
func (s *Service) AddContract(ctx context.Context, adviserID int64, in ContractInput) (*Detail, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		actor, a, err := s.adviserFor(ctx, tx, PermWrite, adviserID)
		if err != nil {
			return err
		}
		if !a.Active {
			return apperr.New(apperr.Precondition, "%s 已解聘出库，不能再签订聘用合同", a.Name)
		}
		path, err := s.unitPath(ctx, in.UnitID)
		if err != nil {
			return err
		}
		if !actor.CanIn(PermWrite, path) {
			return apperr.Field("unit_id", "服务单位不在您的数据权限范围内")
		}
		k := &Contract{AdviserID: adviserID, UnitID: in.UnitID}
		if err := checkContract(in, k); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM counsel_contracts WHERE adviser_id = ? AND unit_id = ? AND starts_on <= ? AND ends_on >= ?",
			adviserID, in.UnitID, k.EndsOn, k.StartsOn).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return apperr.Field("starts_on", "与该单位已有的聘用合同期限重叠")
		}
		return s.insertContract(ctx, tx, a, k)
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, adviserID)
}

// insertContract writes a checked contract of adviser a and its audit
// event (AddContract, ImportAdvisers).
func (s *Service) insertContract(ctx context.Context, tx *db.Tx, a *Adviser, k *Contract) error {
	at := s.clock(ctx).UTC()
	if err := tx.QueryRow(ctx, `INSERT INTO counsel_contracts (adviser_id, unit_id, starts_on, ends_on, fee, fee_basis, note, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, k.AdviserID, k.UnitID, k.StartsOn, k.EndsOn, k.Fee, k.FeeBasis, k.Note, at, at).Scan(&k.ID); err != nil {
		return db.Classify(err)
	}
	ev := adviserAudit(a, "contract.create", fmt.Sprintf("签订聘用合同，聘期 %s 至 %s，报酬 %d 元", k.StartsOn, k.EndsOn, k.Fee))
	ev.After = k
	return audit.Record(ctx, tx, ev)
}

// UpdateContract edits a contract (its period, fee; ending it early is a
// shorter period).
func (s *Service) UpdateContract(ctx context.Context, id int64, in ContractInput) (*Detail, error) {
	var adviserID int64
	_, err := update.Run(ctx, s.db, int64(in.Version), update.Update[*Contract]{
		Load: func(ctx context.Context, tx *db.Tx) (*Contract, error) {
			k, err := s.st.contract(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if _, _, err := s.adviserFor(ctx, tx, PermWrite, k.AdviserID); err != nil {
				if apperr.Is(err, apperr.NotFound) {
					return nil, apperr.New(apperr.NotFound, "聘用合同不存在或无权查看")
				}
				return nil, err
			}
			adviserID = k.AdviserID
			return k, nil
		},
		Version: func(k *Contract) int64 { return int64(k.Version) },
		Change: func(ctx context.Context, tx *db.Tx, k **Contract) (audit.Event, error) {
			n := **k
			if err := checkContract(in, &n); err != nil {
				return audit.Event{}, err
			}
			*k = &n
			return audit.Event{Action: "counsel.contract.update", ObjectType: "counsel_contract", ObjectID: strconv.FormatInt(id, 10), UnitID: n.UnitID,
				Summary: fmt.Sprintf("修改法律顾问聘用合同（%s），聘期 %s 至 %s", n.UnitName, n.StartsOn, n.EndsOn)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, k *Contract, loaded int64) (bool, error) {
			res, err := tx.Exec(ctx, `UPDATE counsel_contracts SET starts_on = ?, ends_on = ?, fee = ?, fee_basis = ?, note = ?, updated_at = ?, version = version + 1
WHERE id = ? AND version = ?`, k.StartsOn, k.EndsOn, k.Fee, k.FeeBasis, k.Note, s.clock(ctx).UTC(), id, loaded)
			if err != nil {
				return false, db.Classify(err)
			}
			n, _ := res.RowsAffected()
			return n == 1, nil
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Contract) (*Contract, error) {
			return s.st.contract(ctx, tx, id)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, adviserID)
}

// ---- work records ----

// WorkInput records one piece of work.
type WorkInput struct {
	UnitID int64  `json:"unit_id" doc:"服务单位"`
	Kind   string `json:"kind" doc:"工作类别"`
	Day    string `json:"day" doc:"日期"`
	Title  string `json:"title" doc:"事项"`
	Note   string `json:"note,omitempty"`
}

// AddWork records work for a unit: only under a contract with that unit in
// force on the day.
func (s *Service) AddWork(ctx context.Context, adviserID int64, in WorkInput) (*Detail, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		actor, a, err := s.adviserFor(ctx, tx, PermWrite, adviserID)
		if err != nil {
			return err
		}
		w := &Work{AdviserID: adviserID, UnitID: in.UnitID, AdviserName: a.Name}
		if err := checkWork(in, w, s.today(ctx)).Err(); err != nil {
			return err
		}
		ok, err := s.st.covering(ctx, tx, adviserID, in.UnitID, w.Day)
		if err != nil {
			return err
		}
		if !ok {
			return apperr.New(apperr.Precondition, "%s 在 %s 没有与该单位的有效聘用合同，不能登记为法律顾问工作", a.Name, w.Day)
		}
		return s.recordWork(ctx, tx, actor, w, "work.create")
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, adviserID)
}

// checkWork validates a work record's own fields into w (AddWork,
// ImportWorks); the contract in force is checked by the caller.
func checkWork(in WorkInput, w *Work, today calendar.Date) apperr.Fields {
	var v apperr.Fields
	if k, ok := option.Value(WorkKinds, strings.TrimSpace(in.Kind)); ok {
		w.Kind = k
	} else {
		v.Add("kind", "工作类别应为：法律咨询、列席会议、出具书面法律意见、审查合同、代理诉讼、复议案件")
	}
	w.Day = calendar.CheckDate(&v, "day", "日期", strings.TrimSpace(in.Day), true, calendar.Happened(earliest, today)).String()
	w.Title, w.Note = strings.TrimSpace(in.Title), strings.TrimSpace(in.Note)
	if w.Title == "" || utf8.RuneCountInString(w.Title) > 200 {
		v.Add("title", "请填写事项（不超过 200 个字）")
	}
	if utf8.RuneCountInString(w.Note) > 5000 {
		v.Add("note", "说明不能超过 5000 个字")
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择服务单位")
	}
	return v
}

// recordWork writes a checked work record and its audit event.
func (s *Service) recordWork(ctx context.Context, tx *db.Tx, actor *auth.Actor, w *Work, action string) error {
	id, err := s.st.insertWork(ctx, tx, w, actor.UserID, s.clock(ctx))
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Event{Action: "counsel." + action, ObjectType: "counsel_work", ObjectID: strconv.FormatInt(id, 10),
		UnitID: w.UnitID, Summary: fmt.Sprintf("法律顾问 %s：%s「%s」（%s）", w.AdviserName, option.Label(WorkKinds, w.Kind), w.Title, w.Day), After: w})
}

// Works lists work records of the served units in the actor's scope.
func (s *Service) Works(ctx context.Context, f WorkFilter, req db.ListReq) (db.Paged[Work], error) {
	l, err := s.WorksSQL(ctx, f)
	if err != nil {
		return db.Paged[Work]{Items: []Work{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, scanWork, func(w Work) []any { return []any{w.ID} })
}

// WorksSQL checks the actor and the filter and returns the work-record list
// the page and the export share.
func (s *Service) WorksSQL(ctx context.Context, f WorkFilter) (db.ListSQL, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	var v apperr.Fields
	for field, d := range map[string]string{"from": f.From, "to": f.To} {
		if d != "" {
			if _, err := calendar.ParseDate(d); err != nil {
				v.Add(field, "日期格式应为 YYYY-MM-DD")
			}
		}
	}
	if err := v.Err(); err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(actor, PermRead, "w.unit_id")
	return s.st.workList(f, scope, args), nil
}

// ---- evaluation ----

// EvaluationInput is one year's evaluation under the "five unified"
// management.
type EvaluationInput struct {
	Year         int    `json:"year" doc:"考核年度"`
	SelectionOK  bool   `json:"selection_ok" doc:"统一选聘：按规定程序选聘"`
	ManagementOK bool   `json:"management_ok" doc:"统一管理：纳入顾问库统一管理"`
	DutiesOK     bool   `json:"duties_ok" doc:"统一职责：按合同履行职责"`
	PayOK        bool   `json:"pay_ok" doc:"统一报酬：按统一标准计酬"`
	Score        int    `json:"score" doc:"统一考核得分（0–100）"`
	Grade        string `json:"grade" doc:"考核等次"`
	Note         string `json:"note,omitempty"`
	EvaluatedOn  string `json:"evaluated_on" doc:"考核日期"`
}

// Evaluate records the yearly evaluation: once per adviser and year, for a
// year that has ended or is ending (evaluated on or after 1 December of
// it), and only for a year the adviser served under a contract.
func (s *Service) Evaluate(ctx context.Context, adviserID int64, in EvaluationInput) (*Detail, error) {
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		actor, a, err := s.adviserFor(ctx, tx, PermWrite, adviserID)
		if err != nil {
			return err
		}
		var v apperr.Fields
		today := s.today(ctx)
		if in.Year < 2000 || in.Year > today.Year {
			v.Add("year", "考核年度应在 2000 年至今年之间")
		}
		day := calendar.CheckDate(&v, "evaluated_on", "考核日期", strings.TrimSpace(in.EvaluatedOn), true, calendar.Happened(earliest, today))
		if !day.IsZero() && in.Year >= 2000 && day.Before(calendar.NewDate(in.Year, 12, 1)) {
			v.Add("evaluated_on", "%d 年度考核应在 %d 年 12 月 1 日以后进行", in.Year, in.Year)
		}
		if in.Score < 0 || in.Score > 100 {
			v.Add("score", "得分应在 0 至 100 之间")
		}
		grade, ok := option.Value(Grades, strings.TrimSpace(in.Grade))
		if !ok {
			v.Add("grade", "考核等次应为：优秀、称职、基本称职、不称职")
		}
		if err := v.Err(); err != nil {
			return err
		}
		var served int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM counsel_contracts WHERE adviser_id = ? AND starts_on <= ? AND ends_on >= ?",
			adviserID, fmt.Sprintf("%d-12-31", in.Year), fmt.Sprintf("%d-01-01", in.Year)).Scan(&served); err != nil {
			return err
		}
		if served == 0 {
			return apperr.New(apperr.Precondition, "%s 在 %d 年没有聘用合同，无需年度考核", a.Name, in.Year)
		}
		_, err = tx.Exec(ctx, `INSERT INTO counsel_evaluations (adviser_id, year, selection_ok, management_ok, duties_ok, pay_ok, score, grade, note, evaluated_on, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, adviserID, in.Year, b2i(in.SelectionOK), b2i(in.ManagementOK), b2i(in.DutiesOK), b2i(in.PayOK),
			in.Score, grade, strings.TrimSpace(in.Note), day.String(), actor.UserID, s.clock(ctx).UTC())
		if apperr.Is(db.Classify(err), apperr.Conflict) {
			return apperr.Field("year", "%s 的 %d 年度考核已登记", a.Name, in.Year)
		}
		if err != nil {
			return db.Classify(err)
		}
		return audit.Record(ctx, tx, adviserAudit(a, "evaluation.create", fmt.Sprintf("%d 年度考核 %d 分，%s", in.Year, in.Score, option.Label(Grades, grade))))
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, adviserID)
}
