package enforcement

import (
	"context"
	"fazhi/internal/platform/option"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
)

// CaseInput enters or edits a case. Officers are given by id (the form) or
// by certificate number (imports, the provincial platform).
type CaseInput struct {
	BodyID          int64    `json:"body_id" doc:"执法主体"`
	BodyName        string   `json:"body_name,omitempty" doc:"执法主体名称（导入、平台推送用，未给 body_id 时按名称查找）"`
	PlatformNo      string   `json:"platform_no,omitempty" doc:"省级执法平台案件编号"`
	Kind            string   `json:"kind" doc:"案件类别"`
	Title           string   `json:"title" doc:"案由"`
	PartyType       string   `json:"party_type"`
	PartyName       string   `json:"party_name"`
	PartyIDNo       string   `json:"party_id_no,omitempty" doc:"身份证号或统一社会信用代码"`
	PartyPhone      string   `json:"party_phone,omitempty"`
	PartyAddress    string   `json:"party_address,omitempty"`
	Procedure       string   `json:"procedure"`
	AmountFen       int64    `json:"amount_fen,omitempty" doc:"罚没金额（分）"`
	LegalBasis      string   `json:"legal_basis,omitempty"`
	DiscretionBand  string   `json:"discretion_band,omitempty" doc:"裁量阶次"`
	Major           bool     `json:"major,omitempty"`
	HearingMeasure  bool     `json:"hearing_measure,omitempty"`
	Extended        bool     `json:"extended,omitempty"`
	ExtensionNote   string   `json:"extension_note,omitempty"`
	FiledOn         string   `json:"filed_on" doc:"立案日期"`
	PriorNoticeOn   string   `json:"prior_notice_on,omitempty" doc:"事先告知日期"`
	HearingNoticeOn string   `json:"hearing_notice_on,omitempty" doc:"听证告知日期"`
	HearingOn       string   `json:"hearing_on,omitempty" doc:"听证日期"`
	DecidedOn       string   `json:"decided_on,omitempty" doc:"决定日期"`
	ServedOn        string   `json:"served_on,omitempty" doc:"送达日期"`
	ClosedOn        string   `json:"closed_on,omitempty" doc:"结案日期"`
	DisclosedOn     string   `json:"disclosed_on,omitempty" doc:"公示日期"`
	OfficerIDs      []int64  `json:"officer_ids,omitempty"`
	OfficerCertNos  []string `json:"officer_cert_nos,omitempty" doc:"执法人员执法证号（导入、平台推送用）"`
	Version         int64    `json:"version,omitempty"`
}

var (
	personID   = regexp.MustCompile(`^[0-9]{17}[0-9X]$`)
	creditCode = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)
)

// earliestCase: a case filed before 2000 is a typing error here.
var earliestCase = calendar.NewDate(2000, 1, 1)

// checkedCase is a validated case with its body and officers resolved.
type checkedCase struct {
	in       CaseInput
	body     *Body
	officers []*Officer
}

// checkCase validates in (fields named in the refusals); q reads bodies and
// officers. Scope is checked by the caller.
func (s *Service) checkCase(ctx context.Context, q db.Querier, in CaseInput, lk *lookups) (*checkedCase, apperr.Fields, error) {
	if lk == nil {
		lk = newLookups()
	}
	var v apperr.Fields
	c := &checkedCase{in: in}
	p := &c.in
	for _, f := range []*string{&p.PlatformNo, &p.Title, &p.PartyName, &p.PartyIDNo, &p.PartyPhone, &p.PartyAddress, &p.LegalBasis, &p.DiscretionBand, &p.ExtensionNote,
		&p.FiledOn, &p.PriorNoticeOn, &p.HearingNoticeOn, &p.HearingOn, &p.DecidedOn, &p.ServedOn, &p.ClosedOn, &p.DisclosedOn} {
		*f = strings.TrimSpace(*f)
	}
	p.PartyIDNo = strings.ToUpper(p.PartyIDNo)
	if in.BodyID <= 0 && strings.TrimSpace(in.BodyName) != "" {
		b, err := lk.bodyByName(ctx, s.st, q, strings.TrimSpace(in.BodyName))
		if apperr.Is(err, apperr.NotFound) {
			v.Add("body_id", "执法主体「%s」未登记", strings.TrimSpace(in.BodyName))
		} else if err != nil {
			return nil, nil, err
		} else {
			c.body = b
		}
	} else if in.BodyID <= 0 {
		v.Add("body_id", "请选择执法主体")
	} else if b, err := s.st.body(ctx, q, in.BodyID); apperr.Is(err, apperr.NotFound) {
		v.Add("body_id", "执法主体不存在")
	} else if err != nil {
		return nil, nil, err
	} else {
		c.body = b
	}
	if utf8.RuneCountInString(p.PlatformNo) > 60 {
		v.Add("platform_no", "平台案件编号不能超过 60 个字符")
	}
	if k, ok := option.Value(CaseKinds, strings.TrimSpace(in.Kind)); ok {
		p.Kind = k
	} else {
		v.Add("kind", "案件类别应为：%s", option.Joined(CaseKinds))
	}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		v.Add("title", "请填写案由")
	case n > 200:
		v.Add("title", "案由不能超过 200 个字")
	}
	if t, ok := option.Value(PartyTypes, strings.TrimSpace(in.PartyType)); ok {
		p.PartyType = t
	} else {
		v.Add("party_type", "当事人类型应为：%s", option.Joined(PartyTypes))
	}
	if p.PartyName == "" {
		v.Add("party_name", "请填写当事人名称")
	} else if utf8.RuneCountInString(p.PartyName) > 100 {
		v.Add("party_name", "当事人名称不能超过 100 个字")
	}
	if p.PartyIDNo != "" {
		if p.PartyType == "person" && !personID.MatchString(p.PartyIDNo) {
			v.Add("party_id_no", "身份证号应为 18 位（最后一位可为 X）")
		} else if p.PartyType == "organisation" && !creditCode.MatchString(p.PartyIDNo) {
			v.Add("party_id_no", "统一社会信用代码应为 18 位数字或大写字母")
		}
	}
	if p.PartyPhone != "" && !phonePattern.MatchString(p.PartyPhone) {
		v.Add("party_phone", "当事人电话格式不正确")
	}
	if utf8.RuneCountInString(p.PartyAddress) > 200 {
		v.Add("party_address", "当事人地址不能超过 200 个字")
	}
	if pr, ok := option.Value(Procedures, strings.TrimSpace(in.Procedure)); ok {
		p.Procedure = pr
	} else {
		v.Add("procedure", "程序类型应为：%s", option.Joined(Procedures))
	}
	if p.Procedure == "on_the_spot" && p.Kind != "" && p.Kind != "penalty" {
		v.Add("procedure", "只有行政处罚可以适用简易程序（当场处罚）")
	}
	if in.AmountFen < 0 || in.AmountFen > 1_000_000_000_00 {
		v.Add("amount_fen", "罚没金额应在 0 至 10 亿元之间")
	}
	if p.Extended && p.ExtensionNote == "" {
		v.Add("extension_note", "请填写延长办案期限的批准情况")
	}
	s.checkCaseDates(ctx, &v, p)
	if len(in.OfficerIDs) > 0 && len(in.OfficerCertNos) > 0 {
		v.Add("officer_ids", "执法人员请只按编号或只按执法证号填写")
	}
	year := s.today(ctx).Year
	seen := map[int64]bool{}
	add := func(o *Officer) {
		if !seen[o.ID] {
			seen[o.ID] = true
			c.officers = append(c.officers, o)
		}
	}
	for _, id := range in.OfficerIDs {
		o, err := s.st.officer(ctx, q, id, year)
		if apperr.Is(err, apperr.NotFound) {
			v.Add("officer_ids", "执法人员（编号 %d）不存在", id)
			continue
		} else if err != nil {
			return nil, nil, err
		}
		add(o)
	}
	for _, no := range in.OfficerCertNos {
		no = strings.TrimSpace(no)
		if no == "" {
			continue
		}
		o, err := lk.officerByCert(ctx, s.st, q, no, year)
		if apperr.Is(err, apperr.NotFound) {
			v.Add("officer_cert_nos", "执法证号「%s」未登记，请先在执法人员名册中登记", no)
			continue
		} else if err != nil {
			return nil, nil, err
		}
		add(o)
	}
	if c.body != nil {
		for _, o := range c.officers {
			// Officers of a sub-unit (a 执法大队 under the bureau) count for it.
			if !strings.HasPrefix(o.unitPath, c.body.unitPath) {
				v.Add("officer_ids", "执法人员 %s 不属于执法主体「%s」所在单位", o.Name, c.body.Name)
			}
		}
	}
	return c, v, nil
}

// checkCaseDates reads every date through calendar.CheckDate (format, span
// from 2000 to today: these record what happened) and their order.
func (s *Service) checkCaseDates(ctx context.Context, v *apperr.Fields, p *CaseInput) {
	sp := calendar.Happened(earliestCase, s.today(ctx))
	filed := calendar.CheckDate(v, "filed_on", "立案日期", p.FiledOn, true, sp)
	after := func(field, lbl, value string, first calendar.Date, firstLabel string) calendar.Date {
		d := calendar.CheckDate(v, field, lbl, value, false, sp)
		if !d.IsZero() && !first.IsZero() && d.Before(first) {
			v.Add(field, "%s不能早于%s（%s）", lbl, firstLabel, first)
			return calendar.Date{}
		}
		return d
	}
	after("prior_notice_on", "事先告知日期", p.PriorNoticeOn, filed, "立案日期")
	hn := after("hearing_notice_on", "听证告知日期", p.HearingNoticeOn, filed, "立案日期")
	after("hearing_on", "听证日期", p.HearingOn, hn, "听证告知日期")
	decided := after("decided_on", "决定日期", p.DecidedOn, filed, "立案日期")
	for _, d := range []struct{ field, label, value string }{
		{"served_on", "送达日期", p.ServedOn}, {"disclosed_on", "公示日期", p.DisclosedOn}, {"closed_on", "结案日期", p.ClosedOn},
	} {
		if d.value != "" && p.DecidedOn == "" {
			v.Add(d.field, "尚未登记决定日期，不能登记%s", d.label)
			continue
		}
		after(d.field, d.label, d.value, decided, "决定日期")
	}
	if p.HearingOn != "" && p.HearingNoticeOn == "" {
		v.Add("hearing_notice_on", "登记了听证日期，请填写听证告知日期")
	}
}

// gateOfficers is the assignment gate: an officer assigned to a case here
// must hold a certificate valid today (有效 and within its dates). Cases
// imported or pushed by the platform record assignments made elsewhere;
// they are checked by the rules instead, so the record is kept and the
// problem shown.
func gateOfficers(v *apperr.Fields, officers []*Officer, keep []int64, today calendar.Date) {
	for _, o := range officers {
		if slices.Contains(keep, o.ID) {
			continue
		}
		if !validToday(o, today) {
			st := option.Label(CertStatuses, o.CertStatus)
			if o.CertStatus == "valid" {
				st = "已于 " + o.CertExpiresOn + " 过期"
			}
			v.Add("officer_ids", "执法人员 %s 的执法证（%s）%s，不能承办新案件", o.Name, o.CertNo, st)
		}
	}
}

// CreateCase enters a case through the form.
func (s *Service) CreateCase(ctx context.Context, in CaseInput) (*Case, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := s.bodyInScope(ctx, in.BodyID, PermWrite); err != nil {
		return nil, err
	}
	c, v, err := s.checkCase(ctx, s.db, in, nil)
	if err != nil {
		return nil, err
	}
	gateOfficers(&v, c.officers, nil, s.today(ctx))
	if err := s.gateReport(ctx, s.db, &v, 0, &c.in, nil); err != nil {
		return nil, err
	}
	if err := s.gateReview(ctx, &v, 0, &c.in, nil); err != nil {
		return nil, err
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var id int64
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		if _, err := auth.RequireIn(ctx, PermWrite, c.body.unitPath); err != nil {
			return err
		}
		var err error
		id, err = s.insertCase(ctx, tx, c, "form")
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.GetCase(ctx, id)
}

// bodyInScope answers a body outside the actor's scope as not found
// before anything else is said about the input.
func (s *Service) bodyInScope(ctx context.Context, bodyID int64, perm string) error {
	if bodyID <= 0 {
		return nil
	}
	b, err := s.st.body(ctx, s.db, bodyID)
	if err != nil {
		return nil // checkCase names the field
	}
	_, err = auth.RequireIn(ctx, perm, b.unitPath)
	return err
}

// insertCase writes a checked case, its officers and audit event, then
// runs the rules on it.
func (s *Service) insertCase(ctx context.Context, tx *db.Tx, c *checkedCase, source string) (int64, error) {
	a := auth.From(ctx)
	var by int64
	if a != nil {
		by = a.UserID
	}
	id, err := s.st.insertCase(ctx, tx, c, source, by, s.clock(ctx))
	if apperr.Is(err, apperr.Conflict) {
		return 0, apperr.Field("platform_no", "平台案件编号「%s」已登记", c.in.PlatformNo)
	}
	if err != nil {
		return 0, err
	}
	filed, _ := calendar.ParseDate(c.in.FiledOn)
	code := fmt.Sprintf("ZF%d-%06d", filed.Year, id)
	if err := s.st.setCode(ctx, tx, id, code); err != nil {
		return 0, err
	}
	if err := s.st.addCaseOfficers(ctx, tx, id, c.officers); err != nil {
		return 0, err
	}
	stored := c.asCase(id, code, source)
	if source != "import" {
		if err := audit.Record(ctx, tx, audit.Event{Action: "enforcement.case.create", ObjectType: "enforcement_case", ObjectID: itoa(id),
			UnitID: stored.UnitID, Summary: fmt.Sprintf("登记行政执法案件 %s「%s」（%s）", stored.Code, stored.Title, option.Label(CaseSources, source)), After: stored}); err != nil {
			return 0, err
		}
	}
	return id, s.evaluateCase(ctx, tx, stored, true)
}

// asCase is the case as inserted (what caseRow would read back), so a
// bulk insert need not read each row again.
func (c *checkedCase) asCase(id int64, code, source string) *Case {
	p := c.in
	k := &Case{ID: id, Code: code, PlatformNo: p.PlatformNo, Source: source, UnitID: c.body.UnitID, UnitName: c.body.UnitName, unitPath: c.body.unitPath,
		BodyID: c.body.ID, BodyName: c.body.Name, Kind: p.Kind, Title: p.Title, PartyType: p.PartyType, PartyName: p.PartyName, PartyIDNo: p.PartyIDNo,
		PartyPhone: p.PartyPhone, PartyAddress: p.PartyAddress, Procedure: p.Procedure, AmountFen: p.AmountFen, LegalBasis: p.LegalBasis,
		DiscretionBand: p.DiscretionBand, Major: p.Major, HearingMeasure: p.HearingMeasure, Extended: p.Extended, ExtensionNote: p.ExtensionNote,
		FiledOn: p.FiledOn, PriorNoticeOn: p.PriorNoticeOn, HearingNoticeOn: p.HearingNoticeOn, HearingOn: p.HearingOn, DecidedOn: p.DecidedOn,
		ServedOn: p.ServedOn, ClosedOn: p.ClosedOn, DisclosedOn: p.DisclosedOn, Version: 1, Officers: []CaseOfficer{}, OpenHits: []Hit{}}
	filed, _ := calendar.ParseDate(p.FiledOn)
	for _, o := range c.officers {
		k.Officers = append(k.Officers, CaseOfficer{ID: o.ID, Name: o.Name, CertNo: o.CertNo, ValidOnFiling: certValidOn(o.CertIssuedOn, o.CertExpiresOn, filed)})
	}
	return k
}

// UpdateCase edits a case. Officers newly assigned must hold a valid
// certificate today; those already on the case stay.
func (s *Service) UpdateCase(ctx context.Context, id int64, in CaseInput) (*Case, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	_, err := s.updateCase(ctx, id, in, false)
	if err != nil {
		return nil, err
	}
	return s.GetCase(ctx, id)
}

// updateCase runs one edit through update.Run; platform edits skip the
// officer gate (assignments made on the platform).
func (s *Service) updateCase(ctx context.Context, id int64, in CaseInput, platform bool) (*Case, error) {
	var c *checkedCase
	return update.Run(ctx, s.db, in.Version, update.Update[*Case]{
		Load: func(ctx context.Context, tx *db.Tx) (*Case, error) {
			old, err := s.st.caseRow(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			_, err = auth.RequireIn(ctx, PermWrite, old.unitPath)
			return old, err
		},
		Version: func(k *Case) int64 { return k.Version },
		Change: func(ctx context.Context, tx *db.Tx, k **Case) (audit.Event, error) {
			old := *k
			// A masked value sent back unchanged keeps the stored one.
			if in.PartyIDNo == mask.IDNumber(old.PartyIDNo) {
				in.PartyIDNo = old.PartyIDNo
			}
			if in.PartyPhone == mask.Phone(old.PartyPhone) {
				in.PartyPhone = old.PartyPhone
			}
			if in.PartyAddress == mask.Address(old.PartyAddress) {
				in.PartyAddress = old.PartyAddress
			}
			if in.PlatformNo == "" {
				in.PlatformNo = old.PlatformNo
			}
			var v apperr.Fields
			var err error
			c, v, err = s.checkCase(ctx, tx, in, nil)
			if err != nil {
				return audit.Event{}, err
			}
			if !platform {
				var keep []int64
				for _, o := range old.Officers {
					keep = append(keep, o.ID)
				}
				gateOfficers(&v, c.officers, keep, s.today(ctx))
				if err := s.gateReport(ctx, tx, &v, id, &c.in, old); err != nil {
					return audit.Event{}, err
				}
				if err := s.gateReview(ctx, &v, id, &c.in, old); err != nil {
					return audit.Event{}, err
				}
			}
			if err := v.Err(); err != nil {
				return audit.Event{}, err
			}
			if _, err := auth.RequireIn(ctx, PermWrite, c.body.unitPath); err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: "enforcement.case.update", ObjectType: "enforcement_case", ObjectID: itoa(id),
				UnitID: c.body.UnitID, Summary: fmt.Sprintf("修改行政执法案件 %s「%s」", old.Code, c.in.Title)}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, _ *Case, loaded int64) (bool, error) {
			ok, err := s.st.updateCase(ctx, tx, id, loaded, c, s.clock(ctx))
			if apperr.Is(err, apperr.Conflict) {
				return false, apperr.Field("platform_no", "平台案件编号「%s」已登记", c.in.PlatformNo)
			}
			if err != nil || !ok {
				return ok, err
			}
			return true, s.st.setCaseOfficers(ctx, tx, id, c.officers)
		},
		Reload: func(ctx context.Context, tx *db.Tx, _ *Case) (*Case, error) { return s.st.caseRow(ctx, tx, id) },
		After:  func(ctx context.Context, tx *db.Tx, _ *Case) error { return s.evaluate(ctx, tx, id) },
	})
}

// GetCase reads a case in scope, with its open rule hits; the parties'
// personal data is masked unless the actor holds enforcement.personal there.
func (s *Service) GetCase(ctx context.Context, id int64) (*Case, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	c, err := s.st.caseRow(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if !a.CanIn(PermRead, c.unitPath) {
		return nil, apperr.New(apperr.NotFound, "案件不存在或无权查看")
	}
	if c.OpenHits, err = s.st.caseHits(ctx, s.db, id); err != nil {
		return nil, err
	}
	for i := range c.OpenHits {
		c.OpenHits[i].RuleLabel = ruleLabel(c.OpenHits[i].Rule)
	}
	if c.Major && s.reviews != nil {
		o, err := s.reviews.Outcome(ctx, id)
		if err != nil {
			return nil, err
		}
		o.StatusLabel = reviewLabel(o.Status)
		c.LegalReview = &o
	}
	decorateCase(c, a)
	return c, nil
}

// decorateCase fills labels and masks personal data for a without
// enforcement.personal in the case's unit.
func decorateCase(c *Case, a *auth.Actor) {
	c.KindLabel = option.Label(CaseKinds, c.Kind)
	c.PartyTypeLabel = option.Label(PartyTypes, c.PartyType)
	c.ProcedureLabel = option.Label(Procedures, c.Procedure)
	c.SourceLabel = option.Label(CaseSources, c.Source)
	if !a.CanIn(PermPersonal, c.unitPath) {
		c.Masked = true
		c.PartyIDNo = mask.IDNumber(c.PartyIDNo)
		c.PartyPhone = mask.Phone(c.PartyPhone)
		c.PartyAddress = mask.Address(c.PartyAddress)
		if c.PartyType == "person" {
			c.PartyName = mask.Name(c.PartyName)
		}
	}
}

// lookups caches bodies by name and officers by certificate number for one
// import or push (thousands of rows name the same few).
type lookups struct {
	bodies   map[string]*Body
	officers map[string]*Officer
}

func newLookups() *lookups {
	return &lookups{bodies: map[string]*Body{}, officers: map[string]*Officer{}}
}

func (l *lookups) bodyByName(ctx context.Context, st Store, q db.Querier, name string) (*Body, error) {
	if b, ok := l.bodies[name]; ok {
		return b, nil
	}
	b, err := st.bodyByName(ctx, q, name)
	if err == nil {
		l.bodies[name] = b
	}
	return b, err
}

func (l *lookups) officerByCert(ctx context.Context, st Store, q db.Querier, no string, year int) (*Officer, error) {
	if o, ok := l.officers[no]; ok {
		return o, nil
	}
	o, err := st.officerByCert(ctx, q, no, year)
	if err == nil {
		l.officers[no] = o
	}
	return o, err
}
