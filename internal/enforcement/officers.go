package enforcement

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
	xl "fazhi/internal/platform/xlsx"
)

// Certificate-expiry reminders: 90 and 30 days before the expiry date.
var certRemindOffsets = []time.Duration{90 * 24 * time.Hour, 30 * 24 * time.Hour}

var phonePattern = regexp.MustCompile(`^[0-9+\-]{7,20}$`)

// OfficerInput creates or edits an officer and the certificate.
type OfficerInput struct {
	UnitID        int64  `json:"unit_id" doc:"所在单位"`
	Name          string `json:"name"`
	Phone         string `json:"phone,omitempty"`
	CertNo        string `json:"cert_no" doc:"执法证号"`
	CertKind      string `json:"cert_kind"`
	CertAuthority string `json:"cert_authority" doc:"发证机关"`
	CertIssuedOn  string `json:"cert_issued_on" doc:"发证日期 YYYY-MM-DD"`
	CertExpiresOn string `json:"cert_expires_on" doc:"有效期至 YYYY-MM-DD"`
	CertStatus    string `json:"cert_status,omitempty" doc:"证件状态，默认有效"`
	TrainingHours *int   `json:"training_hours,omitempty" doc:"本年度法律知识培训学时"`
	Version       int64  `json:"version,omitempty"`
}

func (s *Service) checkOfficer(ctx context.Context, in *OfficerInput) error {
	var v apperr.Fields
	in.Name, in.CertNo, in.CertAuthority, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.CertNo), strings.TrimSpace(in.CertAuthority), strings.TrimSpace(in.Phone)
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择所在单位")
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		v.Add("name", "请填写姓名")
	case n > 40:
		v.Add("name", "姓名不能超过 40 个字")
	}
	if in.Phone != "" && !phonePattern.MatchString(in.Phone) {
		v.Add("phone", "联系电话格式不正确")
	}
	switch n := utf8.RuneCountInString(in.CertNo); {
	case n == 0:
		v.Add("cert_no", "请填写执法证号")
	case n > 40:
		v.Add("cert_no", "执法证号不能超过 40 个字符")
	}
	if k, ok := option.Value(CertKinds, strings.TrimSpace(in.CertKind)); ok {
		in.CertKind = k
	} else {
		v.Add("cert_kind", "证件种类应为：%s", option.Joined(CertKinds))
	}
	if in.CertStatus == "" {
		in.CertStatus = "valid"
	}
	if st, ok := option.Value(CertStatuses, strings.TrimSpace(in.CertStatus)); ok {
		in.CertStatus = st
	} else {
		v.Add("cert_status", "证件状态应为：%s", option.Joined(CertStatuses))
	}
	if in.CertAuthority == "" {
		v.Add("cert_authority", "请填写发证机关")
	}
	today := s.today(ctx)
	in.CertIssuedOn, in.CertExpiresOn = strings.TrimSpace(in.CertIssuedOn), strings.TrimSpace(in.CertExpiresOn)
	issued := calendar.CheckDate(&v, "cert_issued_on", "发证日期", in.CertIssuedOn, true, calendar.Happened(calendar.NewDate(1990, 1, 1), today))
	// A certificate runs for a few years; ten years past today is a typing error.
	expires := calendar.CheckDate(&v, "cert_expires_on", "有效期至", in.CertExpiresOn, true, calendar.Span{From: calendar.NewDate(1990, 1, 1), To: today.AddDays(3660)})
	if !issued.IsZero() && !expires.IsZero() && expires.Before(issued) {
		v.Add("cert_expires_on", "有效期至不能早于发证日期（%s）", issued)
	}
	if in.TrainingHours != nil && (*in.TrainingHours < 0 || *in.TrainingHours > 1000) {
		v.Add("training_hours", "培训学时应在 0 至 1000 之间")
	}
	return v.Err()
}

// certValidOn reports whether a certificate covered day by its dates
// (history: whether it was then suspended is not recorded).
func certValidOn(issued, expires string, day calendar.Date) bool {
	d := day.String()
	return issued != "" && issued <= d && d <= expires
}

// validToday: the status is 有效 and today lies within the dates. Only such
// an officer may be assigned to a case entered here.
func validToday(o *Officer, today calendar.Date) bool {
	return o.CertStatus == "valid" && certValidOn(o.CertIssuedOn, o.CertExpiresOn, today)
}

func (s *Service) decorateOfficer(o *Officer, a *auth.Actor, today calendar.Date) {
	o.CertKindLabel = option.Label(CertKinds, o.CertKind)
	o.CertStatusLabel = option.Label(CertStatuses, o.CertStatus)
	o.CertValidToday = validToday(o, today)
	if o.CertStatus == "valid" && today.String() > o.CertExpiresOn {
		o.CertStatusLabel = "已过期"
	}
	if !a.CanIn(PermPersonal, o.unitPath) {
		o.Phone = mask.Phone(o.Phone)
	}
}

// OfficerFilter narrows the officer list.
type OfficerFilter struct {
	Q       string `query:"q" doc:"姓名或执法证号"`
	UnitID  int64  `query:"unit_id" doc:"单位（含下级）"`
	Lapsed  bool   `query:"lapsed" doc:"只看已失效（过期、暂扣、注销）的证件"`
	Valid   bool   `query:"valid" doc:"只看有效且未过期的证件"`
	Expires string `query:"expires_before" doc:"有效期至早于该日（YYYY-MM-DD）"`
	// The training hours shown and filtered are those of TrainingYear
	// (this year when 0).
	TrainingYear int    `query:"training_year" doc:"培训学时的年度（不填为本年）"`
	Roster       bool   `query:"roster" doc:"只看证件未注销的执法人员（培训学时的统计范围）"`
	HoursMet     string `query:"hours_met" enum:"true,false," doc:"true 培训学时达标，false 未达标"`
}

func (s *Service) officerSQL(ctx context.Context, f OfficerFilter) (db.ListSQL, *auth.Actor, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.ListSQL{}, nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "o.unit_id")
	conds := []string{scope}
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `(o.name LIKE ? ESCAPE '\' OR o.cert_no LIKE ? ESCAPE '\')`)
		args = append(args, db.Like(q), db.Like(q))
	}
	if f.UnitID > 0 {
		conds = append(conds, "o.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')")
		args = append(args, f.UnitID)
	}
	if f.Lapsed {
		conds = append(conds, "(o.cert_status <> 'valid' OR o.cert_expires_on < ?)")
		args = append(args, s.today(ctx).String())
	}
	if f.Valid {
		conds = append(conds, "o.cert_status = 'valid' AND o.cert_expires_on >= ?")
		args = append(args, s.today(ctx).String())
	}
	if e := strings.TrimSpace(f.Expires); e != "" {
		var v apperr.Fields
		calendar.CheckDate(&v, "expires_before", "有效期截止", e, false, calendar.Span{})
		if err := v.Err(); err != nil {
			return db.ListSQL{}, nil, err
		}
		conds = append(conds, "o.cert_expires_on < ?")
		args = append(args, e)
	}
	year := s.today(ctx).Year
	if f.TrainingYear != 0 {
		if f.TrainingYear < 2000 || f.TrainingYear > 2099 {
			return db.ListSQL{}, nil, apperr.Field("training_year", "培训学时的年度应在 2000 至 2099 之间")
		}
		year = f.TrainingYear
	}
	if f.Roster {
		conds = append(conds, "o.cert_status <> 'revoked'")
	}
	switch f.HoursMet {
	case "true":
		conds = append(conds, trainingHoursOf(year)+" >= ?")
		args = append(args, s.hours())
	case "false":
		conds = append(conds, trainingHoursOf(year)+" < ?")
		args = append(args, s.hours())
	}
	return db.ListSQL{Cols: officerCols(year), From: officerFrom, CountFrom: "enforcement_officers o", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "o.id", Desc: true}}}, a, nil
}

// ListOfficers pages the officers in scope.
func (s *Service) ListOfficers(ctx context.Context, f OfficerFilter, req db.ListReq) (db.Paged[Officer], error) {
	l, a, err := s.officerSQL(ctx, f)
	if err != nil {
		return db.Paged[Officer]{Items: []Officer{}}, err
	}
	today := s.today(ctx)
	return db.Fetch(ctx, s.db, l, req, func(sc db.Scanner) (Officer, error) {
		o, err := scanOfficer(sc)
		if err != nil {
			return Officer{}, err
		}
		s.decorateOfficer(o, a, today)
		return *o, nil
	}, func(o Officer) []any { return []any{o.ID} })
}

// GetOfficer reads one officer in scope.
func (s *Service) GetOfficer(ctx context.Context, id int64) (*Officer, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	o, err := s.st.officer(ctx, s.db, id, s.today(ctx).Year)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, o.unitPath) {
		return nil, apperr.New(apperr.NotFound, "执法人员不存在或无权查看")
	}
	s.decorateOfficer(o, a, s.today(ctx))
	return o, nil
}

// CreateOfficer registers an officer with the certificate and schedules
// the expiry reminders.
func (s *Service) CreateOfficer(ctx context.Context, in OfficerInput) (*Officer, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if in.UnitID > 0 {
		if path, _, err := s.st.unit(ctx, s.db, in.UnitID); err == nil {
			if _, err := auth.RequireIn(ctx, PermWrite, path); err != nil {
				return nil, err
			}
		}
	}
	if err := s.checkOfficer(ctx, &in); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, _, err := s.unitIn(ctx, tx, PermWrite, in.UnitID, "unit_id"); err != nil {
			return err
		}
		var err error
		id, err = s.st.insertOfficer(ctx, tx, in, s.clock(ctx))
		if apperr.Is(err, apperr.Conflict) {
			return apperr.Field("cert_no", "执法证号「%s」已登记", in.CertNo)
		}
		if err != nil {
			return err
		}
		if err := s.saveTraining(ctx, tx, id, in.TrainingHours); err != nil {
			return err
		}
		o, err := s.st.officer(ctx, tx, id, s.today(ctx).Year)
		if err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, audit.Event{Action: "enforcement.officer.create", ObjectType: "enforcement_officer", ObjectID: itoa(id),
			UnitID: in.UnitID, Summary: fmt.Sprintf("登记执法人员：%s（执法证号 %s）", in.Name, in.CertNo), After: o}); err != nil {
			return err
		}
		return s.scheduleCert(ctx, tx, o)
	})
	if err != nil {
		return nil, err
	}
	return s.GetOfficer(ctx, id)
}

// UpdateOfficer edits an officer (certificate renewal, suspension,
// revocation, training hours) and moves the expiry reminders.
func (s *Service) UpdateOfficer(ctx context.Context, id int64, in OfficerInput) (*Officer, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.checkOfficer(ctx, &in); err != nil {
		return nil, err
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
			if _, _, err := s.unitIn(ctx, tx, PermWrite, in.UnitID, "unit_id"); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "enforcement.officer.update", ObjectType: "enforcement_officer", ObjectID: itoa(id),
				UnitID: in.UnitID, Summary: fmt.Sprintf("修改执法人员：%s（执法证号 %s，%s）", in.Name, in.CertNo, option.Label(CertStatuses, in.CertStatus))}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Officer, loaded int64) (bool, error) {
			ok, err := s.st.updateOfficer(ctx, tx, id, loaded, in, s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("cert_no", "执法证号「%s」已登记", in.CertNo)
			}
			if err == nil && ok {
				err = s.saveTraining(ctx, tx, id, in.TrainingHours)
			}
			return ok, err
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Officer) (*Officer, error) {
			return s.st.officer(ctx, tx, id, year)
		},
		After: func(ctx context.Context, tx *db.Tx, o *Officer) error { return s.scheduleCert(ctx, tx, o) },
	})
	if err != nil {
		return nil, err
	}
	return s.GetOfficer(ctx, id)
}

func (s *Service) saveTraining(ctx context.Context, tx *db.Tx, id int64, hours *int) error {
	if hours == nil {
		return nil
	}
	return s.st.setTraining(ctx, tx, id, s.today(ctx).Year, *hours)
}

func certKey(id int64) string { return fmt.Sprintf("enforcement:officer:%d:cert", id) }

// scheduleCert (re)schedules the expiry reminders of a valid certificate
// to the officer's unit, and cancels them for a suspended or revoked one.
func (s *Service) scheduleCert(ctx context.Context, q db.Querier, o *Officer) error {
	if o.CertStatus != "valid" {
		return reminders.Cancel(ctx, q, certKey(o.ID))
	}
	exp, err := calendar.ParseDate(o.CertExpiresOn)
	if err != nil {
		return err
	}
	n := exp.AddDays(1)
	due := time.Date(n.Year, n.Month, n.Day, 0, 0, 0, 0, calendar.Shanghai)
	_, err = reminders.Schedule(ctx, q, reminders.Reminder{
		Key: certKey(o.ID), UnitID: o.UnitID,
		Title: fmt.Sprintf("执法证即将到期：%s", o.Name),
		Body:  fmt.Sprintf("执法人员 %s 的执法证（%s）有效期至 %s，请及时办理换证；证件失效后不能承办新案件。", o.Name, o.CertNo, o.CertExpiresOn),
		Link:  fmt.Sprintf("/enforcement/officers/%d", o.ID), Due: due, Offsets: certRemindOffsets,
	})
	return err
}

// ExportOfficers writes the roster rows of f to w (one cursor, streamed).
func (s *Service) ExportOfficers(ctx context.Context, w io.Writer, f OfficerFilter) error {
	l, a, err := s.officerSQL(ctx, f)
	if err != nil {
		return err
	}
	today := s.today(ctx)
	cols := []xl.Column{{Title: "姓名"}, {Title: "单位"}, {Title: "联系电话"}, {Title: "执法证号"}, {Title: "证件种类"}, {Title: "发证机关"},
		{Title: "发证日期", Kind: xl.Date}, {Title: "有效期至", Kind: xl.Date}, {Title: "证件状态"}, {Title: fmt.Sprintf("%d 年培训学时", today.Year)}}
	return xl.Stream(w, xl.Sheet{Name: "执法人员", Title: "执法人员名册", Columns: cols}, xl.Rows(func(add func(...any) error) error {
		return db.Stream(ctx, s.db, l, func(sc db.Scanner) error {
			o, err := scanOfficer(sc)
			if err != nil {
				return err
			}
			s.decorateOfficer(o, a, today)
			return add(o.Name, o.UnitName, o.Phone, o.CertNo, o.CertKindLabel, o.CertAuthority, o.CertIssuedOn, o.CertExpiresOn, o.CertStatusLabel, o.TrainingHours)
		})
	}))
}
