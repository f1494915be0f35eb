package casereview

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/option"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

var phonePattern = regexp.MustCompile(`^[0-9+\- ]{0,20}$`)

// creditCode is the shape of a 统一社会信用代码 (GB 32100-2015).
var creditCode = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)

// ---- monitors ----

// MonitorInput appoints or edits an enforcement monitor.
type MonitorInput struct {
	UnitID      int64  `json:"unit_id" doc:"聘任单位"`
	Name        string `json:"name" doc:"姓名"`
	Workplace   string `json:"workplace,omitempty" doc:"工作单位"`
	Identity    string `json:"identity,omitempty" doc:"身份"`
	Phone       string `json:"phone,omitempty" doc:"联系电话"`
	AppointedOn string `json:"appointed_on" doc:"聘任日期"`
	TermEnd     string `json:"term_end" doc:"聘期届满日"`
	Version     int64  `json:"version,omitempty"`
}

func (s *Service) checkMonitor(ctx context.Context, in *MonitorInput) error {
	var v apperr.Fields
	checkText(&v, "name", "姓名", &in.Name, true, 50)
	checkText(&v, "workplace", "工作单位", &in.Workplace, false, 100)
	checkText(&v, "identity", "身份", &in.Identity, false, 50)
	in.Phone = strings.TrimSpace(in.Phone)
	if !phonePattern.MatchString(in.Phone) {
		v.Add("phone", "联系电话只能包含数字、+、- 和空格，不超过 20 位")
	}
	from := s.checkDay(ctx, &v, "appointed_on", "聘任日期", in.AppointedOn, true)
	to := calendar.CheckDate(&v, "term_end", "聘期届满日", strings.TrimSpace(in.TermEnd), true, calendar.Span{From: calendar.NewDate(2000, 1, 1), To: calendar.NewDate(2100, 12, 31)})
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		v.Add("term_end", "聘期届满日应晚于聘任日期")
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择聘任单位")
	}
	in.AppointedOn, in.TermEnd = from.String(), to.String()
	return v.Err()
}

// CreateMonitor appoints a monitor (casereview.manage in the unit).
func (s *Service) CreateMonitor(ctx context.Context, in MonitorInput) (*Monitor, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	if err := s.checkMonitor(ctx, &in); err != nil {
		return nil, err
	}
	var out *Monitor
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermManage, in.UnitID, "unit_id"); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO enforcement_monitors (unit_id, name, workplace, identity, phone, appointed_on, term_end, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.UnitID, in.Name, in.Workplace, in.Identity, in.Phone, in.AppointedOn, in.TermEnd, s.clock(ctx).UTC(), s.clock(ctx).UTC()).Scan(&id); err != nil {
			return db.Classify(err)
		}
		var err error
		if out, err = s.st.monitor(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.monitor.create", ObjectType: "enforcement_monitor", ObjectID: itoa(id), UnitID: in.UnitID,
			Summary: "聘任特邀行政执法监督员：" + in.Name, After: out})
	})
	if err != nil {
		return nil, err
	}
	return s.viewMonitor(ctx, out), nil
}

// UpdateMonitor edits a monitor.
func (s *Service) UpdateMonitor(ctx context.Context, id int64, in MonitorInput) (*Monitor, error) {
	if _, err := auth.Require(ctx, PermManage); err != nil {
		return nil, err
	}
	if err := s.checkMonitor(ctx, &in); err != nil {
		return nil, err
	}
	m, err := update.Run(ctx, s.db, in.Version, update.Update[*Monitor]{
		Load: func(ctx context.Context, tx *db.Tx) (*Monitor, error) {
			m, err := s.st.monitor(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermManage, m.unitPath)
			return m, err
		},
		Version: func(m *Monitor) int64 { return m.Version },
		Change: func(ctx context.Context, tx *db.Tx, _ **Monitor) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermManage, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "casereview.monitor.update", ObjectType: "enforcement_monitor", ObjectID: itoa(id), UnitID: in.UnitID,
				Summary: "修改特邀行政执法监督员：" + in.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Monitor, loaded int64) (bool, error) {
			return affected(tx.Exec(ctx, `UPDATE enforcement_monitors SET unit_id = ?, name = ?, workplace = ?, identity = ?, phone = ?, appointed_on = ?, term_end = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, in.UnitID, in.Name, in.Workplace, in.Identity, in.Phone, in.AppointedOn, in.TermEnd, s.clock(ctx).UTC(), id, loaded))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Monitor) (*Monitor, error) { return s.st.monitor(ctx, tx, id) },
	})
	if err != nil {
		return nil, err
	}
	return s.viewMonitor(ctx, m), nil
}

// viewMonitor masks the phone for an actor who does not manage monitors
// in the unit, and sets Active.
func (s *Service) viewMonitor(ctx context.Context, m *Monitor) *Monitor {
	a := auth.From(ctx)
	if a == nil || !a.CanIn(PermManage, m.unitPath) {
		m.Phone = mask.Phone(m.Phone)
	}
	today := s.today(ctx).String()
	m.Active = m.AppointedOn <= today && today <= m.TermEnd
	return m
}

// MonitorFilter narrows the monitor register.
type MonitorFilter struct {
	UnitID int64 `query:"unit_id" doc:"聘任单位（含下级）"`
	Active bool  `query:"active" doc:"只看在聘的"`
}

func (s *Service) monitorSQL(ctx context.Context, f MonitorFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "m.unit_id")
	conds := []string{scope}
	if f.UnitID > 0 {
		conds = append(conds, "m.unit_id"+subtree)
		args = append(args, f.UnitID)
	}
	if f.Active {
		today := s.today(ctx).String()
		conds = append(conds, "m.appointed_on <= ? AND m.term_end >= ?")
		args = append(args, today, today)
	}
	return db.ListSQL{Cols: monitorCols, From: monitorFrom, CountFrom: "enforcement_monitors m", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "m.id", Desc: true}}}, nil
}

// ListMonitors pages the monitors in scope.
func (s *Service) ListMonitors(ctx context.Context, f MonitorFilter, req db.ListReq) (db.Paged[Monitor], error) {
	l, err := s.monitorSQL(ctx, f)
	if err != nil {
		return db.Paged[Monitor]{Items: []Monitor{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Monitor, error) {
		m, err := scanMonitor(sc)
		if err != nil {
			return Monitor{}, err
		}
		return *s.viewMonitor(ctx, m), nil
	}, func(m Monitor) []any { return []any{m.ID} })
}

// ExportMonitors streams the monitor register.
func (s *Service) ExportMonitors(ctx context.Context, w io.Writer, f MonitorFilter) error {
	l, err := s.monitorSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "姓名"}, {Title: "聘任单位"}, {Title: "工作单位"}, {Title: "身份"}, {Title: "联系电话"}, {Title: "聘任日期", Kind: xl.Date},
		{Title: "聘期届满日", Kind: xl.Date}, {Title: "是否在聘"}, {Title: "反馈意见数"}}
	return xl.Stream(w, xl.Sheet{Name: "执法监督员", Title: "特邀行政执法监督员名册", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			m, err := scanMonitor(sc)
			if err != nil {
				return err
			}
			m = s.viewMonitor(ctx, m)
			active := "否"
			if m.Active {
				active = "是"
			}
			return add(m.Name, m.UnitName, m.Workplace, m.Identity, m.Phone, m.AppointedOn, m.TermEnd, active, m.Feedback)
		})
	}))
}

const monitorCols = `m.id, m.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), m.name, m.workplace, m.identity, m.phone, m.appointed_on, m.term_end, m.version,
(SELECT COUNT(*) FROM supervision_feedback fb WHERE fb.monitor_id = m.id)`
const monitorFrom = `enforcement_monitors m LEFT JOIN org_unit_refs u ON u.id = m.unit_id`

func scanMonitor(sc db.Scanner) (*Monitor, error) {
	var m Monitor
	err := sc.Scan(&m.ID, &m.UnitID, &m.UnitName, &m.unitPath, &m.Name, &m.Workplace, &m.Identity, &m.Phone, &m.AppointedOn, &m.TermEnd, &m.Version, &m.Feedback)
	return &m, err
}

func (Store) monitor(ctx context.Context, q db.Querier, id int64) (*Monitor, error) {
	m, err := scanMonitor(q.QueryRow(ctx, "SELECT "+monitorCols+" FROM "+monitorFrom+" WHERE m.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return m, nil
}

// ---- contact points ----

// ContactInput sets up or edits an enterprise contact point.
type ContactInput struct {
	UnitID        int64  `json:"unit_id" doc:"联系单位"`
	Name          string `json:"name" doc:"企业名称"`
	CreditCode    string `json:"credit_code,omitempty" doc:"统一社会信用代码"`
	ContactPerson string `json:"contact_person" doc:"企业联系人"`
	Phone         string `json:"phone,omitempty" doc:"联系电话"`
	EstablishedOn string `json:"established_on" doc:"设立日期"`
	Version       int64  `json:"version,omitempty"`
}

func (s *Service) checkContact(ctx context.Context, in *ContactInput) error {
	var v apperr.Fields
	checkText(&v, "name", "企业名称", &in.Name, true, 100)
	checkText(&v, "contact_person", "企业联系人", &in.ContactPerson, true, 50)
	in.CreditCode = strings.ToUpper(strings.TrimSpace(in.CreditCode))
	if in.CreditCode != "" && !creditCode.MatchString(in.CreditCode) {
		v.Add("credit_code", "统一社会信用代码应为 18 位（数字或大写字母，不含 I、O、Z、S、V）")
	}
	in.Phone = strings.TrimSpace(in.Phone)
	if !phonePattern.MatchString(in.Phone) {
		v.Add("phone", "联系电话只能包含数字、+、- 和空格，不超过 20 位")
	}
	in.EstablishedOn = s.checkDay(ctx, &v, "established_on", "设立日期", in.EstablishedOn, true).String()
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择联系单位")
	}
	return v.Err()
}

// CreateContact sets up a contact point (casereview.write in the unit).
func (s *Service) CreateContact(ctx context.Context, in ContactInput) (*Contact, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.checkContact(ctx, &in); err != nil {
		return nil, err
	}
	var out *Contact
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermWrite, in.UnitID, "unit_id"); err != nil {
			return err
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO enterprise_contacts (unit_id, name, credit_code, contact_person, phone, established_on, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.UnitID, in.Name, in.CreditCode, in.ContactPerson, in.Phone, in.EstablishedOn, s.clock(ctx).UTC(), s.clock(ctx).UTC()).Scan(&id); err != nil {
			return db.Classify(err)
		}
		var err error
		if out, err = s.st.contact(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.contact.create", ObjectType: "enterprise_contact", ObjectID: itoa(id), UnitID: in.UnitID,
			Summary: "设立企业联系点：" + in.Name, After: out})
	})
	return out, err
}

// UpdateContact edits a contact point.
func (s *Service) UpdateContact(ctx context.Context, id int64, in ContactInput) (*Contact, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.checkContact(ctx, &in); err != nil {
		return nil, err
	}
	return update.Run(ctx, s.db, in.Version, update.Update[*Contact]{
		Load: func(ctx context.Context, tx *db.Tx) (*Contact, error) {
			c, err := s.st.contact(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, c.unitPath)
			return c, err
		},
		Version: func(c *Contact) int64 { return c.Version },
		Change: func(ctx context.Context, tx *db.Tx, _ **Contact) (audit.Event, error) {
			if _, _, err := s.unitIn(ctx, tx, PermWrite, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "casereview.contact.update", ObjectType: "enterprise_contact", ObjectID: itoa(id), UnitID: in.UnitID,
				Summary: "修改企业联系点：" + in.Name}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Contact, loaded int64) (bool, error) {
			return affected(tx.Exec(ctx, `UPDATE enterprise_contacts SET unit_id = ?, name = ?, credit_code = ?, contact_person = ?, phone = ?, established_on = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, in.UnitID, in.Name, in.CreditCode, in.ContactPerson, in.Phone, in.EstablishedOn, s.clock(ctx).UTC(), id, loaded))
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Contact) (*Contact, error) { return s.st.contact(ctx, tx, id) },
	})
}

// ListContacts pages the contact points in scope.
func (s *Service) ListContacts(ctx context.Context, unitID int64, req db.ListReq) (db.Paged[Contact], error) {
	l, err := s.contactSQL(ctx, unitID)
	if err != nil {
		return db.Paged[Contact]{Items: []Contact{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Contact, error) {
		c, err := scanContact(sc)
		if err != nil {
			return Contact{}, err
		}
		return *c, nil
	}, func(c Contact) []any { return []any{c.ID} })
}

func (s *Service) contactSQL(ctx context.Context, unitID int64) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	conds := []string{scope}
	if unitID > 0 {
		conds = append(conds, "c.unit_id"+subtree)
		args = append(args, unitID)
	}
	return db.ListSQL{Cols: contactCols, From: contactFrom, CountFrom: "enterprise_contacts c", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "c.id", Desc: true}}}, nil
}

// ExportContacts streams the contact point register.
func (s *Service) ExportContacts(ctx context.Context, w io.Writer, unitID int64) error {
	l, err := s.contactSQL(ctx, unitID)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "企业名称"}, {Title: "统一社会信用代码"}, {Title: "联系单位"}, {Title: "企业联系人"}, {Title: "联系电话"}, {Title: "设立日期", Kind: xl.Date}, {Title: "反馈意见数"}}
	return xl.Stream(w, xl.Sheet{Name: "企业联系点", Title: "涉企行政执法监督企业联系点台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			c, err := scanContact(sc)
			if err != nil {
				return err
			}
			return add(c.Name, c.CreditCode, c.UnitName, c.ContactPerson, c.Phone, c.EstablishedOn, c.Feedback)
		})
	}))
}

const contactCols = `c.id, c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), c.name, c.credit_code, c.contact_person, c.phone, c.established_on, c.version,
(SELECT COUNT(*) FROM supervision_feedback fb WHERE fb.contact_id = c.id)`
const contactFrom = `enterprise_contacts c LEFT JOIN org_unit_refs u ON u.id = c.unit_id`

func scanContact(sc db.Scanner) (*Contact, error) {
	var c Contact
	err := sc.Scan(&c.ID, &c.UnitID, &c.UnitName, &c.unitPath, &c.Name, &c.CreditCode, &c.ContactPerson, &c.Phone, &c.EstablishedOn, &c.Version, &c.Feedback)
	return &c, err
}

func (Store) contact(ctx context.Context, q db.Querier, id int64) (*Contact, error) {
	c, err := scanContact(q.QueryRow(ctx, "SELECT "+contactCols+" FROM "+contactFrom+" WHERE c.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return c, nil
}

// ---- feedback ----

// FeedbackInput records a monitor's or a contact point's feedback.
type FeedbackInput struct {
	Source       string `json:"source" doc:"monitor 执法监督员；contact 企业联系点"`
	MonitorID    int64  `json:"monitor_id,omitempty"`
	ContactID    int64  `json:"contact_id,omitempty"`
	UnitID       int64  `json:"unit_id" doc:"涉及的执法单位"`
	ReceivedOn   string `json:"received_on" doc:"收到日期"`
	Content      string `json:"content" doc:"反馈内容"`
	Handling     string `json:"handling,omitempty" doc:"处理情况"`
	RaiseFinding bool   `json:"raise_finding,omitempty" doc:"反映的问题登记问题台账，交涉及单位整改"`
}

// AddFeedback records feedback; a reported problem can go to the findings
// ledger for the unit concerned.
func (s *Service) AddFeedback(ctx context.Context, in FeedbackInput) (*Feedback, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	day := s.checkDay(ctx, &v, "received_on", "收到日期", in.ReceivedOn, true)
	checkText(&v, "content", "反馈内容", &in.Content, true, 2000)
	checkText(&v, "handling", "处理情况", &in.Handling, false, 2000)
	src, ok := option.Value(FeedbackSources, in.Source)
	if !ok {
		v.Add("source", "反馈来源应为：%s", option.Joined(FeedbackSources))
	}
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择涉及的执法单位")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var out *Feedback
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var name, path string
		var err error
		switch src {
		case "monitor":
			var m *Monitor
			if m, err = s.st.monitor(ctx, tx, in.MonitorID); err == nil {
				name, path, in.ContactID = m.Name, m.unitPath, 0
			}
		default:
			var c *Contact
			if c, err = s.st.contact(ctx, tx, in.ContactID); err == nil {
				name, path, in.MonitorID = c.Name, c.unitPath, 0
			}
		}
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field(src+"_id", "所选%s不存在", labelOf(FeedbackSources, src))
		} else if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, PermWrite, path); err != nil {
			return err
		}
		_, unitName, err := s.st.unit(ctx, tx, in.UnitID)
		if apperr.Is(err, apperr.NotFound) {
			return apperr.Field("unit_id", "所选单位不存在")
		} else if err != nil {
			return err
		}
		var fid int64
		if in.RaiseFinding {
			if fid, err = s.ledger.Raise(ctx, tx, Raise{Title: fmt.Sprintf("%s反映：%s", labelOf(FeedbackSources, src), firstRunes(in.Content, 40)), Source: "complaint",
				SourceRef: name, UnitID: in.UnitID, FoundOn: day.String(), Description: in.Content}); err != nil {
				return err
			}
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO supervision_feedback (source, monitor_id, contact_id, source_name, unit_id, received_on, content, handling, finding_id, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, src, in.MonitorID, in.ContactID, name, in.UnitID, day.String(), in.Content, in.Handling, fid,
			s.clock(ctx).UTC(), s.clock(ctx).UTC()).Scan(&id); err != nil {
			return db.Classify(err)
		}
		if out, err = s.st.feedback(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "casereview.feedback.create", ObjectType: "supervision_feedback", ObjectID: itoa(id), UnitID: in.UnitID,
			Summary: fmt.Sprintf("登记%s「%s」的反馈（涉及 %s）", labelOf(FeedbackSources, src), name, unitName), After: out})
	})
	return out, err
}

func firstRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "……"
}

// FeedbackFilter narrows the feedback register.
type FeedbackFilter struct {
	Source    string `query:"source" doc:"来源"`
	MonitorID int64  `query:"monitor_id"`
	ContactID int64  `query:"contact_id"`
	UnitID    int64  `query:"unit_id" doc:"涉及单位（含下级）"`
}

func (s *Service) feedbackSQL(ctx context.Context, f FeedbackFilter) (db.ListSQL, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "fb.unit_id")
	conds := []string{scope}
	if f.Source != "" {
		src, ok := option.Value(FeedbackSources, f.Source)
		if !ok {
			return db.ListSQL{}, apperr.Field("source", "反馈来源应为：%s", option.Joined(FeedbackSources))
		}
		conds = append(conds, "fb.source = ?")
		args = append(args, src)
	}
	if f.MonitorID > 0 {
		conds = append(conds, "fb.monitor_id = ?")
		args = append(args, f.MonitorID)
	}
	if f.ContactID > 0 {
		conds = append(conds, "fb.contact_id = ?")
		args = append(args, f.ContactID)
	}
	if f.UnitID > 0 {
		conds = append(conds, "fb.unit_id"+subtree)
		args = append(args, f.UnitID)
	}
	return db.ListSQL{Cols: feedbackCols, From: feedbackFrom, CountFrom: "supervision_feedback fb", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "fb.id", Desc: true}}}, nil
}

// ListFeedback pages the feedback in scope.
func (s *Service) ListFeedback(ctx context.Context, f FeedbackFilter, req db.ListReq) (db.Paged[Feedback], error) {
	l, err := s.feedbackSQL(ctx, f)
	if err != nil {
		return db.Paged[Feedback]{Items: []Feedback{}}, err
	}
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Feedback, error) {
		fb, err := scanFeedback(sc)
		if err != nil {
			return Feedback{}, err
		}
		return *fb, nil
	}, func(fb Feedback) []any { return []any{fb.ID} })
}

// ExportFeedback streams the feedback register.
func (s *Service) ExportFeedback(ctx context.Context, w io.Writer, f FeedbackFilter) error {
	l, err := s.feedbackSQL(ctx, f)
	if err != nil {
		return err
	}
	cols := []xl.Column{{Title: "来源"}, {Title: "反馈人或企业"}, {Title: "涉及单位"}, {Title: "收到日期", Kind: xl.Date}, {Title: "反馈内容"}, {Title: "处理情况"}, {Title: "已登记问题台账"}}
	return xl.Stream(w, xl.Sheet{Name: "监督反馈", Title: "执法监督员与企业联系点反馈台账", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			fb, err := scanFeedback(sc)
			if err != nil {
				return err
			}
			raised := "否"
			if fb.FindingID > 0 {
				raised = "是"
			}
			return add(fb.SourceLabel, fb.SourceName, fb.UnitName, fb.ReceivedOn, fb.Content, fb.Handling, raised)
		})
	}))
}

const feedbackCols = `fb.id, fb.source, fb.monitor_id, fb.contact_id, fb.source_name, fb.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), fb.received_on, fb.content,
fb.handling, fb.finding_id, fb.version`
const feedbackFrom = `supervision_feedback fb LEFT JOIN org_unit_refs u ON u.id = fb.unit_id`

func scanFeedback(sc db.Scanner) (*Feedback, error) {
	var fb Feedback
	err := sc.Scan(&fb.ID, &fb.Source, &fb.MonitorID, &fb.ContactID, &fb.SourceName, &fb.UnitID, &fb.UnitName, &fb.unitPath, &fb.ReceivedOn, &fb.Content,
		&fb.Handling, &fb.FindingID, &fb.Version)
	fb.SourceLabel = labelOf(FeedbackSources, fb.Source)
	return &fb, err
}

func (Store) feedback(ctx context.Context, q db.Querier, id int64) (*Feedback, error) {
	fb, err := scanFeedback(q.QueryRow(ctx, "SELECT "+feedbackCols+" FROM "+feedbackFrom+" WHERE fb.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return fb, nil
}
