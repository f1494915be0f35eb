package mediation

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

// ConfirmRule is the shipped judicial-confirmation window; provinces may
// override it like every rule.
var ConfirmRule = calendar.Rule{Name: RuleConfirm, Label: "申请司法确认期限",
	Basis:  "《人民调解法》第三十三条：自调解协议生效之日起三十日内共同向人民法院申请司法确认",
	Period: calendar.Period{N: 30, Unit: calendar.CalendarDays}}

// earliest is the earliest date the register takes: a dispute received
// before 2000 is a typing error, not a record.
var earliest = calendar.NewDate(2000, 1, 1)

const (
	maxName = 100
	maxText = 5000
)

// Service is the people's mediation register.
type Service struct {
	db    *db.DB
	st    Store
	cal   *calendar.Calendar
	rules *calendar.Registry
	now   func() time.Time
}

// NewService builds the register and registers its calendar rule (unless
// configuration already did).
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry) (*Service, error) {
	if _, err := rules.Get(RuleConfirm); err != nil {
		if err := rules.Register(ConfirmRule); err != nil {
			return nil, err
		}
	}
	return &Service{db: d, cal: cal, rules: rules, now: time.Now}, nil
}

// SetNow replaces the clock (tests).
func (s *Service) SetNow(now func() time.Time) { s.now = now }

// clock is the time the service reads: the simulated clock the demo loader
// puts on ctx, otherwise the service's own.
func (s *Service) clock(ctx context.Context) time.Time { return clock.Now(ctx, s.now) }

func (s *Service) today(ctx context.Context) calendar.Date { return calendar.Today(s.clock(ctx)) }

// confirmDue is the last day the parties may apply for judicial
// confirmation of an agreement that took effect on day (rule
// mediation.confirm through the calendar).
func (s *Service) confirmDue(day calendar.Date) (calendar.Date, error) {
	rule, err := s.rules.Get(RuleConfirm)
	if err != nil {
		return calendar.Date{}, err
	}
	var c calendar.Clock
	if err := c.Start(rule, day); err != nil {
		return calendar.Date{}, err
	}
	return c.Due(s.cal)
}

func actorName(a *auth.Actor) (int64, string) {
	if a == nil || a.System {
		return 0, "系统"
	}
	if a.Name != "" {
		return a.UserID, a.Name
	}
	return a.UserID, a.Username
}

// ---- committees and mediators ----

// CommitteeInput creates or edits a committee.
type CommitteeInput struct {
	UnitID        int64  `json:"unit_id" doc:"所属单位（村居、镇街或行业主管部门）"`
	Name          string `json:"name"`
	Kind          string `json:"kind" doc:"委员会类型"`
	EstablishedOn string `json:"established_on,omitempty" doc:"成立日期 YYYY-MM-DD"`
	Note          string `json:"note,omitempty"`
	Active        *bool  `json:"active,omitempty" doc:"仅修改时：是否在册"`
	Version       int    `json:"version,omitempty" doc:"仅修改时必填"`
}

func (s *Service) checkCommittee(ctx context.Context, in CommitteeInput, c *Committee) error {
	var v apperr.Fields
	c.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		v.Add("name", "请填写调解委员会名称")
	case n > maxName:
		v.Add("name", "调解委员会名称不能超过 %d 个字", maxName)
	}
	if k, ok := option.Value(CommitteeKinds, strings.TrimSpace(in.Kind)); ok {
		c.Kind = k
	} else {
		v.Add("kind", "委员会类型「%s」无效，应为：%s", in.Kind, strings.Join(option.Labels(CommitteeKinds), "、"))
	}
	if d := calendar.CheckDate(&v, "established_on", "成立日期", strings.TrimSpace(in.EstablishedOn), false, calendar.Happened(calendar.NewDate(1949, 10, 1), s.today(ctx))); !d.IsZero() {
		c.EstablishedOn = d.String()
	} else {
		c.EstablishedOn = ""
	}
	c.Note = strings.TrimSpace(in.Note)
	if utf8.RuneCountInString(c.Note) > maxText {
		v.Add("note", "备注不能超过 %d 个字", maxText)
	}
	return v.Err()
}

// Committees lists the committees within the actor's scope.
func (s *Service) Committees(ctx context.Context) ([]Committee, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "m.unit_id")
	return s.st.committees(ctx, s.db, scope, args)
}

// CreateCommittee registers a committee attached to a unit the actor may
// write in.
func (s *Service) CreateCommittee(ctx context.Context, in CommitteeInput) (*Committee, error) {
	a, err := auth.Require(ctx, PermWrite)
	if err != nil {
		return nil, err
	}
	if in.UnitID <= 0 {
		return nil, apperr.Field("unit_id", "请选择所属单位")
	}
	_, path, err := s.st.unit(ctx, s.db, in.UnitID)
	if apperr.Is(err, apperr.NotFound) || (err == nil && !a.CanIn(PermWrite, path)) {
		return nil, apperr.New(apperr.NotFound, "所属单位不存在或不在您的数据权限范围内")
	}
	if err != nil {
		return nil, err
	}
	c := &Committee{UnitID: in.UnitID}
	if err := s.checkCommittee(ctx, in, c); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if id, err = s.st.insertCommittee(ctx, tx, c, s.clock(ctx)); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("name", "调解委员会「%s」已存在", c.Name)
			}
			return err
		}
		got, err := s.st.committee(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "mediation.committee.create", ObjectType: "mediation_committee",
			ObjectID: strconv.FormatInt(id, 10), UnitID: c.UnitID, Summary: "登记人民调解委员会「" + c.Name + "」", After: got})
	})
	if err != nil {
		return nil, err
	}
	return s.st.committee(ctx, s.db, id)
}

// committeeFor loads a committee in q for perm: outside the actor's scope
// it is not found.
func (s *Service) committeeFor(ctx context.Context, q db.Querier, perm string, id int64) (*auth.Actor, *Committee, error) {
	a, err := auth.Require(ctx, perm)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.st.committee(ctx, q, id)
	if err != nil {
		return nil, nil, err
	}
	if !a.CanIn(PermRead, c.unitPath) && !a.CanIn(perm, c.unitPath) {
		return nil, nil, apperr.New(apperr.NotFound, "调解委员会不存在或无权查看")
	}
	if !a.CanIn(perm, c.unitPath) {
		return nil, nil, apperr.New(apperr.Forbidden, "无权维护「%s」的调解委员会", c.UnitName)
	}
	return a, c, nil
}

// UpdateCommittee edits a committee (its unit stays).
func (s *Service) UpdateCommittee(ctx context.Context, id int64, in CommitteeInput) (*Committee, error) {
	return update.Run(ctx, s.db, int64(in.Version), update.Update[*Committee]{
		Load: func(ctx context.Context, tx *db.Tx) (*Committee, error) {
			_, c, err := s.committeeFor(ctx, tx, PermWrite, id)
			return c, err
		},
		Version: func(c *Committee) int64 { return int64(c.Version) },
		Change: func(ctx context.Context, tx *db.Tx, c **Committee) (audit.Event, error) {
			n := **c
			if err := s.checkCommittee(ctx, in, &n); err != nil {
				return audit.Event{}, err
			}
			if in.Active != nil {
				n.Active = *in.Active
			}
			*c = &n
			return audit.Event{Action: "mediation.committee.update", ObjectType: "mediation_committee", ObjectID: strconv.FormatInt(id, 10),
				UnitID: n.UnitID, Summary: "修改人民调解委员会「" + n.Name + "」"}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, c *Committee, loaded int64) (bool, error) {
			ok, err := s.st.updateCommittee(ctx, tx, c, int(loaded), s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("name", "调解委员会「%s」已存在", c.Name)
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Committee) (*Committee, error) {
			return s.st.committee(ctx, tx, id)
		},
	})
}

// MediatorInput creates or edits a mediator.
type MediatorInput struct {
	Name     string `json:"name"`
	Duty     string `json:"duty,omitempty" doc:"职务"`
	Phone    string `json:"phone,omitempty"`
	FullTime bool   `json:"full_time,omitempty" doc:"专职调解员"`
	Active   *bool  `json:"active,omitempty" doc:"仅修改时：是否在册"`
	Version  int    `json:"version,omitempty" doc:"仅修改时必填"`
}

var phoneRE = regexp.MustCompile(`^[0-9+\- ]{7,20}$`)

func checkMediator(in MediatorInput, m *Mediator) error {
	var v apperr.Fields
	m.Name, m.Duty, m.Phone, m.FullTime = strings.TrimSpace(in.Name), strings.TrimSpace(in.Duty), strings.TrimSpace(in.Phone), in.FullTime
	if m.Name == "" || utf8.RuneCountInString(m.Name) > 50 {
		v.Add("name", "请填写调解员姓名（不超过 50 个字）")
	}
	if utf8.RuneCountInString(m.Duty) > 50 {
		v.Add("duty", "职务不能超过 50 个字")
	}
	if m.Phone != "" && !phoneRE.MatchString(m.Phone) {
		v.Add("phone", "联系电话格式不正确")
	}
	return v.Err()
}

// MediatorsOf lists a committee's mediators (phones masked for readers who
// may not maintain the committee).
func (s *Service) MediatorsOf(ctx context.Context, committeeID int64) ([]Mediator, error) {
	a, c, err := s.committeeFor(ctx, s.db, PermRead, committeeID)
	if err != nil {
		return nil, err
	}
	ms, err := s.st.mediators(ctx, s.db, committeeID)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermWrite, c.unitPath) {
		for i := range ms {
			ms[i].Phone = mask.Phone(ms[i].Phone)
		}
	}
	return ms, nil
}

// AddMediator appoints a mediator to an active committee.
func (s *Service) AddMediator(ctx context.Context, committeeID int64, in MediatorInput) (*Mediator, error) {
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		_, c, err := s.committeeFor(ctx, tx, PermWrite, committeeID)
		if err != nil {
			return err
		}
		if !c.Active {
			return apperr.New(apperr.Precondition, "调解委员会「%s」已撤销，不能增加调解员", c.Name)
		}
		m := &Mediator{CommitteeID: c.ID, UnitID: c.UnitID}
		if err := checkMediator(in, m); err != nil {
			return err
		}
		if id, err = s.st.insertMediator(ctx, tx, m, s.clock(ctx)); err != nil {
			return err
		}
		m.ID = id
		return audit.Record(ctx, tx, audit.Event{Action: "mediation.mediator.create", ObjectType: "mediation_mediator",
			ObjectID: strconv.FormatInt(id, 10), UnitID: c.UnitID, Summary: fmt.Sprintf("「%s」增加调解员 %s", c.Name, m.Name), After: m})
	})
	if err != nil {
		return nil, err
	}
	return s.st.mediator(ctx, s.db, id)
}

// UpdateMediator edits a mediator (or takes them off the roll).
func (s *Service) UpdateMediator(ctx context.Context, id int64, in MediatorInput) (*Mediator, error) {
	return update.Run(ctx, s.db, int64(in.Version), update.Update[*Mediator]{
		Load: func(ctx context.Context, tx *db.Tx) (*Mediator, error) {
			m, err := s.st.mediator(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			if _, _, err := s.committeeFor(ctx, tx, PermWrite, m.CommitteeID); err != nil {
				if apperr.Is(err, apperr.NotFound) {
					return nil, apperr.New(apperr.NotFound, "调解员不存在或无权查看")
				}
				return nil, err
			}
			return m, nil
		},
		Version: func(m *Mediator) int64 { return int64(m.Version) },
		Change: func(ctx context.Context, tx *db.Tx, m **Mediator) (audit.Event, error) {
			n := **m
			if err := checkMediator(in, &n); err != nil {
				return audit.Event{}, err
			}
			if in.Active != nil {
				n.Active = *in.Active
			}
			*m = &n
			return audit.Event{Action: "mediation.mediator.update", ObjectType: "mediation_mediator", ObjectID: strconv.FormatInt(id, 10),
				UnitID: n.UnitID, Summary: "修改调解员 " + n.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, m *Mediator, loaded int64) (bool, error) {
			return s.st.updateMediator(ctx, tx, m, int(loaded), s.clock(ctx))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Mediator) (*Mediator, error) {
			return s.st.mediator(ctx, tx, id)
		},
	})
}
