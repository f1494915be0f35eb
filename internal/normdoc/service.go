package normdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/legalreview"
	"fazhi/internal/notification/reminders"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/search"
	"fazhi/internal/platform/update"
)

// Permissions.
const (
	PermRead    = "normdoc.read"
	PermWrite   = "normdoc.write"
	PermApprove = "normdoc.approve"
	// PermCertify is held for an issuing body's unit by the accounts acting
	// for it: the collective deliberation is the issuing body's own act
	// (国办发〔2018〕37号), recorded only in its name (auth.Actor.ActsFor).
	PermCertify = "normdoc.certify"
)

// FilingRule is the calendar rule for filing with the level above.
const FilingRule = "normdoc.filing"

// SubjectType names documents in legality reviews.
const SubjectType = "normdoc"

func init() {
	auth.RegisterPerms("normdoc", map[string]string{
		PermRead: "查看规范性文件", PermWrite: "办理规范性文件", PermApprove: "审批规范性文件",
		PermCertify: "代表制定机关登记规范性文件集体审议",
	})
}

// LegalReviewer is what normdoc needs from the legality review module.
type LegalReviewer interface {
	Open(ctx context.Context, in legalreview.OpenInput) (*legalreview.Review, error)
	Outcome(ctx context.Context, subjectType string, subjectID int64) (legalreview.Outcome, error)
}

// Options are the configurable periods (they differ between provinces).
type Options struct {
	ValidYears            int   // 有效期, default 5
	ProvisionalValidYears int   // 暂行/试行, default 2
	EffectiveDelayDays    int   // 施行日期不早于公布后, default 30
	ExpiryReminderDays    []int // reminders before expiry, default 90 and 30
	FilingReminderDays    []int // reminders before the filing deadline (0 = on the day, -1 = overdue next day), default 5, 0, -1
	Now                   func() time.Time
}

func (o *Options) normalize() {
	if o.ValidYears <= 0 {
		o.ValidYears = 5
	}
	if o.ProvisionalValidYears <= 0 {
		o.ProvisionalValidYears = 2
	}
	if o.EffectiveDelayDays <= 0 {
		o.EffectiveDelayDays = 30
	}
	if len(o.ExpiryReminderDays) == 0 {
		o.ExpiryReminderDays = []int{90, 30}
	}
	if len(o.FilingReminderDays) == 0 {
		o.FilingReminderDays = []int{5, 0, -1}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Service holds every normative-document rule.
type Service struct {
	db      *db.DB
	store   Store
	cal     *calendar.Calendar
	rules   *calendar.Registry
	reviews LegalReviewer
	opt     Options
}

// NewService builds the service.
func NewService(d *db.DB, cal *calendar.Calendar, rules *calendar.Registry, reviews LegalReviewer, opt Options) *Service {
	opt.normalize()
	return &Service{db: d, store: SQLStore{}, cal: cal, rules: rules, reviews: reviews, opt: opt}
}

// Options returns the effective configuration.
func (s *Service) Options() Options { return s.opt }

func (s *Service) today() calendar.Date { return calendar.Today(s.opt.Now()) }

// conflict is the platform's one lost-update error.
func conflict() error { return update.Conflict() }

// parseDate validates a required or optional YYYY-MM-DD field.
func parseDate(v *apperr.Fields, field, label, s string, required bool) calendar.Date {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			v.Add(field, "请填写%s", label)
		}
		return calendar.Date{}
	}
	d, err := calendar.ParseDate(s)
	if err != nil {
		v.Add(field, "%s“%s”格式不正确，应为 YYYY-MM-DD", label, s)
	}
	return d
}

// notFuture refuses a date after today for a field that records what has
// happened (a deliberation held, a registration, a publication).
func (s *Service) notFuture(v *apperr.Fields, field, label string, d calendar.Date) {
	if today := s.today(); !d.IsZero() && d.After(today) {
		v.Add(field, "%s不能晚于今天（%s）：这里登记的是已经发生的事项", label, today)
	}
}

// ---------------------------------------------------------------- issuers

// IssuerInput creates or edits an issuing-body list entry.
type IssuerInput struct {
	UnitID   int64  `json:"unit_id" doc:"制定主体对应的单位"`
	Name     string `json:"name"`
	Prefix   string `json:"prefix" doc:"文号前缀（机关代字）"`
	Basis    string `json:"basis"`
	ListedOn string `json:"listed_on"`
	Active   *bool  `json:"active,omitempty"`
	Version  int64  `json:"version"`
}

func (in *IssuerInput) validate() error {
	var v apperr.Fields
	in.Name, in.Prefix, in.Basis = strings.TrimSpace(in.Name), strings.TrimSpace(in.Prefix), strings.TrimSpace(in.Basis)
	if in.UnitID <= 0 {
		v.Add("unit_id", "请选择制定主体对应的单位")
	}
	if in.Name == "" {
		v.Add("name", "请填写制定主体名称")
	} else if utf8.RuneCountInString(in.Name) > 60 {
		v.Add("name", "制定主体名称不能超过 60 个字")
	}
	if in.Prefix == "" {
		v.Add("prefix", "请填写文号前缀（机关代字），如“清河府规”")
	} else if strings.ContainsAny(in.Prefix, "〔〕[]0123456789号") {
		v.Add("prefix", "文号前缀只写机关代字，不含年份、序号和“号”字")
	}
	parseDate(&v, "listed_on", "列入清单日期", in.ListedOn, true)
	return v.Err()
}

// ListIssuers returns the issuing-body list (visible to every reader: the
// list itself is public information).
func (s *Service) ListIssuers(ctx context.Context, activeOnly bool) ([]Issuer, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.store.ListIssuers(ctx, s.db, "1=1", nil, activeOnly)
}

// CreateIssuer adds a unit to the issuing-body list.
func (s *Service) CreateIssuer(ctx context.Context, in IssuerInput) (*Issuer, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Issuer
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		path, _, err := s.store.UnitInfo(ctx, tx, in.UnitID)
		if err != nil {
			return apperr.Field("unit_id", "所选单位不存在")
		}
		if _, err := auth.RequireIn(ctx, PermApprove, path); err != nil {
			return err
		}
		is := &Issuer{UnitID: in.UnitID, Name: in.Name, Prefix: in.Prefix, Basis: in.Basis, ListedOn: in.ListedOn, Active: true}
		id, err := s.store.InsertIssuer(ctx, tx, is)
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("name", "制定主体名称或文号前缀已在清单中")
			}
			return err
		}
		if out, err = s.store.GetIssuer(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.issuer.create", ObjectType: "normdoc_issuer", ObjectID: strconv.FormatInt(id, 10),
			UnitID: in.UnitID, Summary: "列入制定主体清单：" + in.Name, After: out})
	})
	return out, err
}

// UpdateIssuer edits an entry; Active=false removes the unit from the list
// (its existing documents stay; it may not draft new ones).
func (s *Service) UpdateIssuer(ctx context.Context, id int64, in IssuerInput) (*Issuer, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Issuer
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := s.store.GetIssuer(ctx, tx, id)
		if err != nil {
			return err
		}
		for _, uid := range []int64{old.UnitID, in.UnitID} {
			path, _, err := s.store.UnitInfo(ctx, tx, uid)
			if err != nil {
				return apperr.Field("unit_id", "所选单位不存在")
			}
			if _, err := auth.RequireIn(ctx, PermApprove, path); err != nil {
				return err
			}
		}
		if old.Version != in.Version {
			return conflict()
		}
		upd := *old
		upd.UnitID, upd.Name, upd.Prefix, upd.Basis, upd.ListedOn = in.UnitID, in.Name, in.Prefix, in.Basis, in.ListedOn
		if in.Active != nil {
			upd.Active = *in.Active
		}
		ok, err := s.store.UpdateIssuer(ctx, tx, &upd)
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("name", "制定主体名称或文号前缀已在清单中")
			}
			return err
		}
		if !ok {
			return conflict()
		}
		if out, err = s.store.GetIssuer(ctx, tx, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.issuer.update", ObjectType: "normdoc_issuer", ObjectID: strconv.FormatInt(id, 10),
			UnitID: out.UnitID, Summary: "修改制定主体清单：" + out.Name, Before: old, After: out})
	})
	return out, err
}

// ---------------------------------------------------------------- documents

// validYears is the default validity for a title: 暂行/试行 documents get
// the shorter period.
func (s *Service) validYears(title string) int {
	if strings.Contains(title, "暂行") || strings.Contains(title, "试行") {
		return s.opt.ProvisionalValidYears
	}
	return s.opt.ValidYears
}

// expiry is the last day of a validity of years starting on effective.
func expiry(effective calendar.Date, years int) calendar.Date {
	return effective.AddMonths(12 * years).AddDays(-1)
}

// DraftInput starts or edits a draft.
type DraftInput struct {
	IssuerID     int64  `json:"issuer_id"`
	Title        string `json:"title"`
	Summary      string `json:"summary"`
	Body         string `json:"body"`
	Important    bool   `json:"important" doc:"重要规范性文件：须评估论证并公开征求意见"`
	DraftedOn    string `json:"drafted_on"`
	InternalNote string `json:"internal_note"`
	Version      int64  `json:"version"`
}

func (in *DraftInput) validate() error {
	var v apperr.Fields
	in.Title = strings.TrimSpace(in.Title)
	if in.IssuerID <= 0 {
		v.Add("issuer_id", "请选择制定主体")
	}
	if in.Title == "" {
		v.Add("title", "请填写文件标题")
	} else if utf8.RuneCountInString(in.Title) > 200 {
		v.Add("title", "文件标题不能超过 200 个字")
	}
	parseDate(&v, "drafted_on", "起草日期", in.DraftedOn, true)
	return v.Err()
}

// issuerGate refuses drafting for a body not (or no longer) on the list.
func (s *Service) issuerGate(ctx context.Context, q db.Querier, issuerID int64) (*Issuer, error) {
	is, err := s.store.GetIssuer(ctx, q, issuerID)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.Precondition, "所选制定主体不在制定主体清单内，不得制定规范性文件")
		}
		return nil, err
	}
	if !is.Active {
		return nil, apperr.New(apperr.Precondition, "“%s”已移出制定主体清单，不得制定规范性文件", is.Name)
	}
	return is, nil
}

// CreateDraft starts a document for a body on the issuing-body list.
func (s *Service) CreateDraft(ctx context.Context, in DraftInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var id int64
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		is, err := s.issuerGate(ctx, tx, in.IssuerID)
		if err != nil {
			return err
		}
		path, _, err := s.store.UnitInfo(ctx, tx, is.UnitID)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, PermWrite, path); err != nil {
			return err
		}
		d := &Document{IssuerID: is.ID, IssuerName: is.Name, UnitID: is.UnitID, Title: in.Title, Summary: strings.TrimSpace(in.Summary),
			Body: in.Body, Important: in.Important, Status: StatusDrafting, Source: "system", DraftedOn: in.DraftedOn, InternalNote: in.InternalNote}
		if id, err = s.store.InsertDocument(ctx, tx, d); err != nil {
			return err
		}
		d.ID = id
		if err := s.store.IndexDocument(ctx, tx, d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "normdoc.document.create", ObjectType: "normdoc", ObjectID: strconv.FormatInt(id, 10),
			UnitID: is.UnitID, Summary: "起草规范性文件《" + in.Title + "》", After: d})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// mutate loads a document, checks perm in its unit and the version, lets fn
// change it, and writes it back with an audit event, all in one transaction.
func (s *Service) mutate(ctx context.Context, id, version int64, perm, action string, fn func(tx *db.Tx, d *Document) (string, error)) (*Document, error) {
	if _, err := auth.Require(ctx, perm); err != nil {
		return nil, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		d, err := s.store.GetDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		path, _, err := s.store.UnitInfo(ctx, tx, d.UnitID)
		if err != nil {
			return err
		}
		if _, err := auth.RequireIn(ctx, perm, path); err != nil {
			return err
		}
		if d.Version != version {
			return conflict()
		}
		before := *d
		summary, err := fn(tx, d)
		if err != nil {
			return err
		}
		ok, err := s.store.UpdateDocument(ctx, tx, d)
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.New(apperr.Conflict, "文号已被占用，请重试")
			}
			return err
		}
		if !ok {
			return conflict()
		}
		if err := s.store.IndexDocument(ctx, tx, d); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: action, ObjectType: "normdoc", ObjectID: strconv.FormatInt(id, 10),
			UnitID: d.UnitID, Summary: summary + "：《" + d.Title + "》", Before: before, After: d})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

func requireStatus(d *Document, want Status, msg string) error {
	if d.Status != want {
		return apperr.New(apperr.Precondition, "%s（当前状态：%s）", msg, d.Status.Label())
	}
	return nil
}

// UpdateDraft edits a draft before it goes to legality review.
func (s *Service) UpdateDraft(ctx context.Context, id int64, in DraftInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "normdoc.document.update", func(tx *db.Tx, d *Document) (string, error) {
		if err := requireStatus(d, StatusDrafting, "只有起草中的文件可以修改"); err != nil {
			return "", err
		}
		if in.IssuerID != d.IssuerID {
			is, err := s.issuerGate(ctx, tx, in.IssuerID)
			if err != nil {
				return "", err
			}
			path, _, err := s.store.UnitInfo(ctx, tx, is.UnitID)
			if err != nil {
				return "", err
			}
			if _, err := auth.RequireIn(ctx, PermWrite, path); err != nil {
				return "", err
			}
			d.IssuerID, d.IssuerName, d.UnitID = is.ID, is.Name, is.UnitID
		}
		d.Title, d.Summary, d.Body, d.Important, d.DraftedOn, d.InternalNote = in.Title, strings.TrimSpace(in.Summary), in.Body, in.Important, in.DraftedOn, in.InternalNote
		return "修改草案", nil
	})
}

// EvaluationInput records 评估论证.
type EvaluationInput struct {
	Date    string `json:"date"`
	Note    string `json:"note" doc:"评估论证意见"`
	Version int64  `json:"version"`
}

// RecordEvaluation records the evaluation of a draft.
func (s *Service) RecordEvaluation(ctx context.Context, id int64, in EvaluationInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := parseDate(&v, "date", "评估论证日期", in.Date, true)
	if strings.TrimSpace(in.Note) == "" {
		v.Add("note", "请填写评估论证意见")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "normdoc.document.evaluation", func(tx *db.Tx, d *Document) (string, error) {
		if err := requireStatus(d, StatusDrafting, "评估论证应在提交合法性审核前完成"); err != nil {
			return "", err
		}
		if dd, _ := calendar.ParseDate(d.DraftedOn); !dd.IsZero() && date.Before(dd) {
			return "", apperr.Field("date", "评估论证日期不能早于起草日期 %s", d.DraftedOn)
		}
		d.EvaluationOn, d.EvaluationNote = date.String(), strings.TrimSpace(in.Note)
		return "记录评估论证", nil
	})
}

// CommentInput records 公开征求意见.
type CommentInput struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Count   int    `json:"count" doc:"收到意见条数"`
	Summary string `json:"summary" doc:"意见采纳情况"`
	Version int64  `json:"version"`
}

// RecordComment records the public comment period and its result.
func (s *Service) RecordComment(ctx context.Context, id int64, in CommentInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	from := parseDate(&v, "from", "征求意见开始日期", in.From, true)
	to := parseDate(&v, "to", "征求意见截止日期", in.To, true)
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("to", "征求意见截止日期不能早于开始日期")
	}
	if in.Count < 0 {
		v.Add("count", "意见条数不能为负数")
	}
	if strings.TrimSpace(in.Summary) == "" {
		v.Add("summary", "请填写意见采纳情况")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "normdoc.document.comment", func(tx *db.Tx, d *Document) (string, error) {
		if err := requireStatus(d, StatusDrafting, "公开征求意见应在提交合法性审核前完成"); err != nil {
			return "", err
		}
		if to.After(s.today()) {
			return "", apperr.Field("to", "征求意见期限尚未届满（截止 %s），届满后再登记结果", to)
		}
		d.CommentFrom, d.CommentTo, d.CommentCount, d.CommentSummary = from.String(), to.String(), in.Count, strings.TrimSpace(in.Summary)
		return "记录公开征求意见", nil
	})
}

// VersionInput carries only the version of the record acted on.
type VersionInput struct {
	Version int64 `json:"version"`
}

// SubmitReview sends the draft to legality review (合法性审核). Important
// documents must first be evaluated and put out for public comment. A draft
// whose review failed may be revised and submitted again.
func (s *Service) SubmitReview(ctx context.Context, id int64, in VersionInput) (*Document, error) {
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermWrite, s.unitPath(ctx, d.UnitID)); err != nil {
		return nil, err
	}
	if err := s.reviewGate(ctx, d); err != nil {
		return nil, err
	}
	if d.Version != in.Version {
		return nil, conflict()
	}
	rv, err := s.reviews.Open(ctx, legalreview.OpenInput{Kind: string(legalreview.KindNormdoc), Title: d.Title, UnitID: d.UnitID,
		SubjectType: SubjectType, SubjectID: d.ID, Summary: d.Summary})
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "normdoc.document.submit_review", func(tx *db.Tx, d *Document) (string, error) {
		// The version check guards against a change since the gate above;
		// the outcome is now the new pending review.
		if d.Status != StatusDrafting && d.Status != StatusReviewing {
			return "", conflict()
		}
		d.Status, d.ReviewID, d.ReviewSubmittedOn, d.ReviewStatus = StatusReviewing, rv.ID, s.today().String(), legalreview.OutcomePending
		return "提交合法性审核", nil
	})
}

func (s *Service) reviewGate(ctx context.Context, d *Document) error {
	switch d.Status {
	case StatusDrafting:
	case StatusReviewing:
		o, err := s.reviews.Outcome(ctx, SubjectType, d.ID)
		if err != nil {
			return err
		}
		if o.Status != legalreview.OutcomeFailed {
			return apperr.New(apperr.Precondition, "文件已在合法性审核中，审核未通过的才能修改后重新提交")
		}
	default:
		return apperr.New(apperr.Precondition, "文件已完成合法性审核（当前状态：%s）", d.Status.Label())
	}
	if d.Important {
		var missing []string
		if d.EvaluationOn == "" {
			missing = append(missing, "评估论证")
		}
		if d.CommentTo == "" {
			missing = append(missing, "公开征求意见")
		}
		if len(missing) > 0 {
			return apperr.New(apperr.Precondition, "重要规范性文件应当先%s，方可提交合法性审核", strings.Join(missing, "、"))
		}
	}
	return nil
}

func (s *Service) unitPath(ctx context.Context, unitID int64) string {
	p, _, _ := s.store.UnitInfo(ctx, s.db, unitID)
	return p
}

// DeliberationInput records 集体审议.
type DeliberationInput struct {
	Meeting string `json:"meeting" doc:"会议名称，如 区政府第12次常务会议"`
	Date    string `json:"date"`
	Note    string `json:"note" doc:"审议意见"`
	Version int64  `json:"version"`
}

// Deliberate records the collective deliberation. It is refused unless the
// latest legality review passed (国办发〔2018〕37号: 未经合法性审核或者经审核
// 不合法的，不得提交集体审议).
func (s *Service) Deliberate(ctx context.Context, id int64, in DeliberationInput) (*Document, error) {
	a, err := auth.Require(ctx, PermCertify)
	if err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := parseDate(&v, "date", "审议日期", in.Date, true)
	s.notFuture(&v, "date", "审议日期", date)
	if strings.TrimSpace(in.Meeting) == "" {
		v.Add("meeting", "请填写审议会议名称")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	d, err := s.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	outcome, err := s.reviews.Outcome(ctx, SubjectType, d.ID)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermRead, "normdoc.document.deliberate", func(tx *db.Tx, d *Document) (string, error) {
		path, _, err := s.store.UnitInfo(ctx, tx, d.UnitID)
		if err != nil {
			return "", err
		}
		if !a.ActsFor(PermCertify, path) {
			return "", apperr.New(apperr.Forbidden, "规范性文件的集体审议由制定机关（%s）作出，只能由代表制定机关的账号登记", d.IssuerName)
		}
		if d.Status == StatusDrafting {
			return "", apperr.New(apperr.Precondition, "未经合法性审核的规范性文件，不得提交集体审议")
		}
		if err := requireStatus(d, StatusReviewing, "文件不处于待集体审议阶段"); err != nil {
			return "", err
		}
		switch {
		case outcome.Passed():
		case outcome.Status == legalreview.OutcomeFailed:
			return "", apperr.New(apperr.Precondition, "经合法性审核不合法（审核未通过）的规范性文件，不得提交集体审议")
		case outcome.Status == legalreview.OutcomePending:
			return "", apperr.New(apperr.Precondition, "合法性审核尚未完成，不得提交集体审议")
		default:
			return "", apperr.New(apperr.Precondition, "未经合法性审核的规范性文件，不得提交集体审议")
		}
		if f, _ := calendar.ParseDate(outcome.FinishedOn); !f.IsZero() && date.Before(f) {
			return "", apperr.Field("date", "审议日期不能早于合法性审核完成日期 %s", outcome.FinishedOn)
		}
		d.Status, d.ReviewStatus = StatusDeliberated, outcome.Status
		d.DeliberationMeeting, d.DeliberationOn, d.DeliberationNote = strings.TrimSpace(in.Meeting), date.String(), strings.TrimSpace(in.Note)
		return "集体审议通过", nil
	})
}

// DateInput carries a date and the version.
type DateInput struct {
	Date    string `json:"date"`
	Version int64  `json:"version"`
}

// DocNo formats a unified number: 清河府规〔2026〕3号.
func DocNo(prefix string, year, seq int) string {
	return fmt.Sprintf("%s〔%d〕%d号", prefix, year, seq)
}

// Register performs unified registration and numbering (统一登记、统一编号):
// the next number of the issuer's sequence for the registration year, with
// no gaps and no repeats.
func (s *Service) Register(ctx context.Context, id int64, in DateInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := parseDate(&v, "date", "登记日期", in.Date, true)
	s.notFuture(&v, "date", "登记日期", date)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.register", func(tx *db.Tx, d *Document) (string, error) {
		if d.Status == StatusDrafting || d.Status == StatusReviewing {
			return "", apperr.New(apperr.Precondition, "未经集体审议的规范性文件，不得统一登记编号")
		}
		if err := requireStatus(d, StatusDeliberated, "文件已登记编号"); err != nil {
			return "", err
		}
		if dd, _ := calendar.ParseDate(d.DeliberationOn); date.Before(dd) {
			return "", apperr.Field("date", "登记日期不能早于集体审议日期 %s", d.DeliberationOn)
		}
		is, err := s.issuerGate(ctx, tx, d.IssuerID)
		if err != nil {
			return "", err
		}
		if err := s.store.LockIssuer(ctx, tx, is.ID); err != nil {
			return "", err
		}
		last, err := s.store.MaxSeq(ctx, tx, is.ID, date.Year)
		if err != nil {
			return "", err
		}
		d.NumberYear, d.NumberSeq = date.Year, last+1
		d.DocNo = DocNo(is.Prefix, d.NumberYear, d.NumberSeq)
		d.RegisteredOn, d.Status = date.String(), StatusRegistered
		return "统一登记编号 " + d.DocNo, nil
	})
}

// PublishInput records 统一发布.
type PublishInput struct {
	PublishedOn  string `json:"published_on"`
	EffectiveOn  string `json:"effective_on" doc:"施行日期；不填为公布之日起30日后"`
	Urgent       bool   `json:"urgent" doc:"因紧急情况需提前施行"`
	UrgentReason string `json:"urgent_reason"`
	ValidYears   int    `json:"valid_years" doc:"有效期（年）；不填按默认（5年，暂行/试行2年）"`
	Version      int64  `json:"version"`
}

// Publish publishes a registered document: effective date (30 days after
// publication unless urgent with a reason), validity period, and the filing
// clock (rule normdoc.filing) with its reminders.
func (s *Service) Publish(ctx context.Context, id int64, in PublishInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	pub := parseDate(&v, "published_on", "公布日期", in.PublishedOn, true)
	s.notFuture(&v, "published_on", "公布日期", pub)
	eff := parseDate(&v, "effective_on", "施行日期", in.EffectiveOn, false)
	if in.Urgent && strings.TrimSpace(in.UrgentReason) == "" {
		v.Add("urgent_reason", "因紧急情况提前施行的，请说明理由")
	}
	if in.ValidYears < 0 {
		v.Add("valid_years", "有效期不能为负数")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rule, err := s.rules.Get(FilingRule)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.publish", func(tx *db.Tx, d *Document) (string, error) {
		if d.Status == StatusDrafting || d.Status == StatusReviewing || d.Status == StatusDeliberated {
			return "", apperr.New(apperr.Precondition, "未经统一登记编号的规范性文件，不得公布")
		}
		if err := requireStatus(d, StatusRegistered, "文件已公布"); err != nil {
			return "", err
		}
		if rd, _ := calendar.ParseDate(d.RegisteredOn); pub.Before(rd) {
			return "", apperr.Field("published_on", "公布日期不能早于登记编号日期 %s", d.RegisteredOn)
		}
		earliest := pub.AddDays(s.opt.EffectiveDelayDays)
		if eff.IsZero() {
			eff = earliest
		}
		var fv apperr.Fields
		if eff.Before(pub) {
			fv.Add("effective_on", "施行日期不能早于公布日期")
		} else if eff.Before(earliest) && !in.Urgent {
			fv.Add("effective_on", "施行日期应当不早于公布之日起%d日（%s）；因紧急情况需提前施行的，请勾选“紧急”并说明理由", s.opt.EffectiveDelayDays, earliest)
		}
		maxYears := s.validYears(d.Title)
		years := in.ValidYears
		if years == 0 {
			years = maxYears
		} else if years > maxYears {
			fv.Add("valid_years", "有效期不得超过%d年", maxYears)
		}
		if err := fv.Err(); err != nil {
			return "", err
		}
		var clock calendar.Clock
		if err := clock.Start(rule, pub); err != nil {
			return "", err
		}
		due, err := clock.Due(s.cal)
		if err != nil {
			return "", err
		}
		cj, err := json.Marshal(clock)
		if err != nil {
			return "", err
		}
		d.PublishedOn, d.EffectiveOn, d.ValidYears = pub.String(), eff.String(), years
		d.ExpiresOn = expiry(eff, years).String()
		d.Urgent, d.UrgentReason = in.Urgent && eff.Before(earliest), strings.TrimSpace(in.UrgentReason)
		if !d.Urgent {
			d.UrgentReason = ""
		}
		d.filingClock, d.FilingDue = string(cj), due.String()
		d.Status = StatusPublished
		if err := s.scheduleReminders(ctx, tx, d); err != nil {
			return "", err
		}
		return "统一发布（施行日期 " + d.EffectiveOn + "，有效期至 " + d.ExpiresOn + "，备案期限 " + d.FilingDue + "）", nil
	})
}

// remindAt is 09:00 Beijing time on date d.
func remindAt(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 9, 0, 0, 0, calendar.Shanghai)
}

func days(ds []int) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, n := range ds {
		out[i] = time.Duration(n) * 24 * time.Hour
	}
	return out
}

// ExpiryReminderKey and FilingReminderKey name a document's reminders.
func ExpiryReminderKey(id int64) string { return fmt.Sprintf("normdoc:%d:expiry", id) }
func FilingReminderKey(id int64) string { return fmt.Sprintf("normdoc:%d:filing", id) }

// scheduleReminders (re)schedules the expiry reminders and, while the
// document is not filed, the filing reminders.
func (s *Service) scheduleReminders(ctx context.Context, q db.Querier, d *Document) error {
	link := fmt.Sprintf("/normdocs/%d", d.ID)
	if d.Status == StatusPublished && d.ExpiresOn != "" {
		exp := calendar.MustDate(d.ExpiresOn)
		if _, err := reminders.Schedule(ctx, q, reminders.Reminder{Key: ExpiryReminderKey(d.ID), UnitID: d.UnitID,
			Title: fmt.Sprintf("规范性文件《%s》将于 %s 有效期届满", d.Title, d.ExpiresOn),
			Body:  "请及时评估，需要继续施行的，应当在有效期届满前按程序修订或重新公布。", Link: link,
			Due: remindAt(exp), Offsets: days(s.opt.ExpiryReminderDays)}); err != nil {
			return err
		}
	} else if err := reminders.Cancel(ctx, q, ExpiryReminderKey(d.ID)); err != nil {
		return err
	}
	if d.Status == StatusPublished && d.FiledOn == "" && d.FilingDue != "" {
		due := calendar.MustDate(d.FilingDue)
		_, err := reminders.Schedule(ctx, q, reminders.Reminder{Key: FilingReminderKey(d.ID), UnitID: d.UnitID,
			Title:        fmt.Sprintf("规范性文件《%s》应于 %s 前报送备案", d.Title, d.FilingDue),
			OverdueTitle: fmt.Sprintf("规范性文件《%s》已超过备案期限（%s）未报送备案", d.Title, d.FilingDue),
			Link:         link, Due: remindAt(due), Offsets: days(s.opt.FilingReminderDays)})
		return err
	}
	return reminders.Cancel(ctx, q, FilingReminderKey(d.ID))
}

// FilingInput records 报送备案.
type FilingInput struct {
	FiledOn  string `json:"filed_on"`
	FilingTo string `json:"filing_to" doc:"备案机关，如 清河市人民政府（市司法局）"`
	Version  int64  `json:"version"`
}

// File records the filing with the level above and whether it was within
// the deadline computed at publication.
func (s *Service) File(ctx context.Context, id int64, in FilingInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	filed := parseDate(&v, "filed_on", "报送备案日期", in.FiledOn, true)
	if strings.TrimSpace(in.FilingTo) == "" {
		v.Add("filing_to", "请填写备案机关")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.file", func(tx *db.Tx, d *Document) (string, error) {
		if d.PublishedOn == "" {
			return "", apperr.New(apperr.Precondition, "文件尚未公布，不能报送备案")
		}
		if d.FiledOn != "" {
			return "", apperr.New(apperr.Conflict, "文件已于 %s 报送备案", d.FiledOn)
		}
		if filed.Before(calendar.MustDate(d.PublishedOn)) {
			return "", apperr.Field("filed_on", "报送备案日期不能早于公布日期 %s", d.PublishedOn)
		}
		if filed.After(s.today()) {
			return "", apperr.Field("filed_on", "报送备案日期不能晚于今天")
		}
		onTime := d.FilingDue == "" || !filed.After(calendar.MustDate(d.FilingDue))
		d.FiledOn, d.FilingTo, d.FiledOnTime = filed.String(), strings.TrimSpace(in.FilingTo), &onTime
		if err := s.scheduleReminders(ctx, tx, d); err != nil {
			return "", err
		}
		if onTime {
			return "报送备案（按期）", nil
		}
		return "报送备案（逾期，期限 " + d.FilingDue + "）", nil
	})
}

// FilingResultInput records the filing-review conclusion.
type FilingResultInput struct {
	Result  FilingResult `json:"result" enum:"passed,correction,revoked"`
	Date    string       `json:"date"`
	Note    string       `json:"note"`
	Version int64        `json:"version"`
}

// RecordFilingResult records the level above's filing-review result as a
// new history entry. 审查通过 and 予以撤销 are final; after 责令纠正 a new
// result may be recorded only once the issuing body has recorded its
// correction. A revoked document stops being in force on that date.
func (s *Service) RecordFilingResult(ctx context.Context, id int64, in FilingResultInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermApprove); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := parseDate(&v, "date", "审查结论日期", in.Date, true)
	switch in.Result {
	case FilingPassed:
	case FilingCorrection, FilingRevoked:
		if strings.TrimSpace(in.Note) == "" {
			v.Add("note", "责令纠正或予以撤销的，请填写审查意见")
		}
	default:
		v.Add("result", "请选择备案审查结果（审查通过、责令纠正、予以撤销）")
	}
	if utf8.RuneCountInString(in.Note) > maxFilingNote {
		v.Add("note", "审查意见不能超过%d个字", maxFilingNote)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermApprove, "normdoc.document.filing_result", func(tx *db.Tx, d *Document) (string, error) {
		if d.FiledOn == "" {
			return "", apperr.New(apperr.Precondition, "文件尚未报送备案，不能登记备案审查结果")
		}
		hist, err := s.filingHistory(ctx, tx, d)
		if err != nil {
			return "", err
		}
		last, hasLast := lastEvent(hist)
		switch {
		case hasLast && last.Kind == EventResult && last.Result == FilingPassed:
			return "", apperr.New(apperr.Conflict, "备案审查结果“审查通过”已于 %s 登记，是最终结论，不能更改或再次登记", last.Date)
		case hasLast && last.Kind == EventResult && last.Result == FilingRevoked:
			return "", apperr.New(apperr.Conflict, "文件已于 %s 经备案审查予以撤销，是最终结论，不能更改或再次登记", last.Date)
		case hasLast && last.Kind == EventResult && last.Result == FilingCorrection:
			return "", apperr.New(apperr.Precondition, "备案审查结果为“责令纠正”（%s），须先由制定机关登记纠正情况，才能登记新的备案审查结果", last.Date)
		}
		if d.Status == StatusRevoked || d.Status == StatusRepealed {
			return "", apperr.New(apperr.Precondition, "文件%s，不能再登记备案审查结果", d.Status.Label())
		}
		if date.Before(calendar.MustDate(d.FiledOn)) {
			return "", apperr.Field("date", "审查结论日期不能早于报送备案日期 %s", d.FiledOn)
		}
		if hasLast && date.Before(calendar.MustDate(last.Date)) {
			return "", apperr.Field("date", "审查结论日期不能早于纠正完成日期 %s", last.Date)
		}
		if date.After(s.today()) {
			return "", apperr.Field("date", "审查结论日期不能晚于今天")
		}
		e := &FilingEvent{Kind: EventResult, Result: in.Result, Date: date.String(), Note: strings.TrimSpace(in.Note),
			RecordedBy: actorName(ctx), RecordedAt: s.opt.Now().UTC()}
		if err := s.store.InsertFilingEvent(ctx, tx, d.ID, e); err != nil {
			return "", err
		}
		d.FilingResult, d.FilingResultOn, d.FilingResultNote = in.Result, e.Date, e.Note
		if in.Result == FilingRevoked {
			d.Status, d.EndedOn, d.EndReason = StatusRevoked, date.String(), "备案审查予以撤销："+d.FilingResultNote
			if err := s.scheduleReminders(ctx, tx, d); err != nil {
				return "", err
			}
		}
		if hasLast {
			return fmt.Sprintf("纠正后重新登记备案审查结果（第 %d 次）：%s", resultCount(hist)+1, in.Result.Label()), nil
		}
		return "登记备案审查结果：" + in.Result.Label(), nil
	})
}

// CorrectionInput records how the issuing body corrected a document after
// the filing review ordered a correction (责令纠正).
type CorrectionInput struct {
	CorrectedOn      string `json:"corrected_on" doc:"纠正完成日期"`
	CorrectedVersion string `json:"corrected_version" doc:"纠正后的文本，如 修订稿名称、重新公布的文号"`
	Note             string `json:"note" doc:"纠正情况说明"`
	Version          int64  `json:"version"`
}

// Limits on the filing-review texts.
const (
	maxFilingNote       = 2000
	maxCorrectedVersion = 200
)

// RecordCorrection records the issuing body's correction after 责令纠正; a
// new filing-review result may then be recorded.
func (s *Service) RecordCorrection(ctx context.Context, id int64, in CorrectionInput) (*Document, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	date := parseDate(&v, "corrected_on", "纠正完成日期", in.CorrectedOn, true)
	in.CorrectedVersion, in.Note = strings.TrimSpace(in.CorrectedVersion), strings.TrimSpace(in.Note)
	switch n := utf8.RuneCountInString(in.CorrectedVersion); {
	case n == 0:
		v.Add("corrected_version", "请填写纠正后的文本（修订稿名称或重新公布的文号）")
	case n > maxCorrectedVersion:
		v.Add("corrected_version", "纠正后的文本不能超过%d个字", maxCorrectedVersion)
	}
	switch n := utf8.RuneCountInString(in.Note); {
	case n == 0:
		v.Add("note", "请填写纠正情况说明")
	case n > maxFilingNote:
		v.Add("note", "纠正情况说明不能超过%d个字", maxFilingNote)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, id, in.Version, PermWrite, "normdoc.document.correction", func(tx *db.Tx, d *Document) (string, error) {
		hist, err := s.filingHistory(ctx, tx, d)
		if err != nil {
			return "", err
		}
		last, ok := lastEvent(hist)
		switch {
		case ok && last.Kind == EventCorrection:
			return "", apperr.New(apperr.Conflict, "已于 %s 登记纠正情况，请等待备案审查机关重新审查并登记结果", last.Date)
		case !ok || last.Result != FilingCorrection:
			return "", apperr.New(apperr.Precondition, "只有备案审查结果为“责令纠正”的文件才需要登记纠正情况")
		}
		if date.Before(calendar.MustDate(last.Date)) {
			return "", apperr.Field("corrected_on", "纠正完成日期不能早于责令纠正日期 %s", last.Date)
		}
		if date.After(s.today()) {
			return "", apperr.Field("corrected_on", "纠正完成日期不能晚于今天")
		}
		e := &FilingEvent{Kind: EventCorrection, Date: date.String(), CorrectedVersion: in.CorrectedVersion, Note: in.Note,
			RecordedBy: actorName(ctx), RecordedAt: s.opt.Now().UTC()}
		if err := s.store.InsertFilingEvent(ctx, tx, d.ID, e); err != nil {
			return "", err
		}
		return "登记纠正情况（" + e.CorrectedVersion + "）", nil
	})
}

func actorName(ctx context.Context) string {
	a := auth.From(ctx)
	if a == nil {
		return ""
	}
	if a.Name != "" {
		return a.Name
	}
	return a.Username
}

// filingHistory reads a document's filing-review history. A result stored
// on the document without a history entry (written by an older version)
// is shown as the history's only entry.
func (s *Service) filingHistory(ctx context.Context, q db.Querier, d *Document) ([]FilingEvent, error) {
	hist, err := s.store.FilingEvents(ctx, q, d.ID)
	if err != nil {
		return nil, err
	}
	if len(hist) == 0 && d.FilingResult != "" {
		hist = append(hist, FilingEvent{Seq: 1, Kind: EventResult, Result: d.FilingResult, Date: d.FilingResultOn, Note: d.FilingResultNote})
	}
	for i := range hist {
		hist[i].Label = hist[i].Result.Label()
		if hist[i].Kind == EventCorrection {
			hist[i].Label = "纠正情况"
		}
	}
	return hist, nil
}

func lastEvent(hist []FilingEvent) (FilingEvent, bool) {
	if len(hist) == 0 {
		return FilingEvent{}, false
	}
	return hist[len(hist)-1], true
}

func resultCount(hist []FilingEvent) int {
	n := 0
	for _, e := range hist {
		if e.Kind == EventResult {
			n++
		}
	}
	return n
}

// filingNext says what the filing review allows next: the rule
// RecordFilingResult and RecordCorrection enforce, for the page.
func filingNext(d *Document, hist []FilingEvent) string {
	if d.FiledOn == "" || d.Status == StatusRepealed || d.Status == StatusRevoked {
		return ""
	}
	last, ok := lastEvent(hist)
	switch {
	case !ok || last.Kind == EventCorrection:
		return NextResult
	case last.Result == FilingCorrection:
		return NextCorrection
	}
	return ""
}

// initialFilingEvent is the history entry of a result that arrives with a
// document (demo data, Excel import).
func initialFilingEvent(d *Document, by string, at time.Time) *FilingEvent {
	return &FilingEvent{Kind: EventResult, Result: d.FilingResult, Date: d.FilingResultOn, Note: d.FilingResultNote, RecordedBy: by, RecordedAt: at.UTC()}
}

// Get returns one document with its timeline.
func (s *Service) Get(ctx context.Context, id int64) (*Document, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	d, err := s.store.GetDocument(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	if _, err := auth.RequireIn(ctx, PermRead, s.unitPath(ctx, d.UnitID)); err != nil {
		return nil, err
	}
	if d.FilingHistory, err = s.filingHistory(ctx, s.db, d); err != nil {
		return nil, err
	}
	d.FilingNext = filingNext(d, d.FilingHistory)
	s.decorate(d)
	return d, nil
}

// decorate adds the computed explanation and timeline.
func (s *Service) decorate(d *Document) {
	s.label(d)
	if d.filingClock != "" {
		var c calendar.Clock
		if json.Unmarshal([]byte(d.filingClock), &c) == nil {
			d.FilingExplain, _ = c.Explain(s.cal)
		}
	}
	d.Timeline = timeline(d)
}

func timeline(d *Document) []Step {
	var st []Step
	add := func(key, label, date, note string) {
		st = append(st, Step{Key: key, Label: label, Date: date, Done: date != "", Note: note})
	}
	add("draft", "起草", d.DraftedOn, d.IssuerName)
	if d.Important || d.EvaluationOn != "" {
		add("evaluation", "评估论证", d.EvaluationOn, d.EvaluationNote)
	}
	if d.Important || d.CommentTo != "" {
		note := ""
		if d.CommentTo != "" {
			note = fmt.Sprintf("%s 至 %s，收到意见 %d 条；%s", d.CommentFrom, d.CommentTo, d.CommentCount, d.CommentSummary)
		}
		add("comment", "公开征求意见", d.CommentTo, note)
	}
	reviewNote := ""
	switch d.ReviewStatus {
	case legalreview.OutcomePending:
		reviewNote = "审核中"
	case legalreview.OutcomePassed:
		reviewNote = "审核通过"
	case legalreview.OutcomePassedWithChanges:
		reviewNote = "修改后通过"
	case legalreview.OutcomeFailed:
		reviewNote = "审核未通过"
	}
	if d.Source == "import" && d.ReviewSubmittedOn == "" {
		reviewNote = "存量文件导入，审核记录未录入"
	}
	add("review", "合法性审核", d.ReviewSubmittedOn, reviewNote)
	add("deliberation", "集体审议", d.DeliberationOn, strings.TrimSpace(d.DeliberationMeeting+" "+d.DeliberationNote))
	add("register", "统一登记编号", d.RegisteredOn, d.DocNo)
	pubNote := ""
	if d.PublishedOn != "" {
		pubNote = "施行日期 " + d.EffectiveOn
		if d.Urgent {
			pubNote += "（紧急提前施行：" + d.UrgentReason + "）"
		}
	}
	add("publish", "统一发布", d.PublishedOn, pubNote)
	fileNote := ""
	if d.FilingDue != "" {
		fileNote = "备案期限 " + d.FilingDue
	}
	if d.FiledOnTime != nil {
		if *d.FiledOnTime {
			fileNote += "，按期报送"
		} else {
			fileNote += "，逾期报送"
		}
		fileNote += "（" + d.FilingTo + "）"
	}
	add("filing", "报送备案", d.FiledOn, fileNote)
	// Every filing-review result and correction, then the step still open.
	// The first result keeps the key filing_result; later entries carry
	// their sequence number, pending ones the number they will get.
	key := func(kind string, seq int) string {
		if kind == EventResult && seq == 1 {
			return "filing_result"
		}
		if kind == EventResult {
			return fmt.Sprintf("filing_result_%d", seq)
		}
		return fmt.Sprintf("correction_%d", seq)
	}
	for _, e := range d.FilingHistory {
		if e.Kind == EventCorrection {
			add(key(e.Kind, e.Seq), "纠正（制定机关）", e.Date, strings.TrimSpace(e.CorrectedVersion+"；"+e.Note))
			continue
		}
		label := "备案审查"
		if e.Seq > 1 {
			label = "备案审查（纠正后重新审查）"
		}
		add(key(e.Kind, e.Seq), label, e.Date, strings.TrimSpace(e.Result.Label()+" "+e.Note))
	}
	next := len(d.FilingHistory) + 1
	switch {
	case len(d.FilingHistory) == 0:
		add(key(EventResult, next), "备案审查", "", "")
	case d.FilingNext == NextCorrection:
		add(key(EventCorrection, next), "纠正（制定机关）", "", "责令纠正后，由制定机关登记纠正情况")
	case d.FilingNext == NextResult:
		add(key(EventResult, next), "备案审查（纠正后重新审查）", "", "")
	}
	if d.ExpiresOn != "" {
		st = append(st, Step{Key: "validity", Label: "有效期届满", Date: d.ExpiresOn, Done: d.Status == StatusExpired, Note: fmt.Sprintf("有效期 %d 年", d.ValidYears)})
	}
	if d.EndedOn != "" {
		add("end", d.Status.Label(), d.EndedOn, d.EndReason)
	}
	return st
}

// ListInput filters the ledger.
type ListInput struct {
	Q             string `query:"q" doc:"全文检索（标题、文号、正文）"`
	Status        string `query:"status"`
	IssuerID      int64  `query:"issuer_id"`
	UnitID        int64  `query:"unit_id" doc:"单位（含下级）"`
	Year          int    `query:"year" doc:"公布年度"`
	FiledFrom     string `query:"filed_from"`
	FiledTo       string `query:"filed_to"`
	FiledOnTime   string `query:"filed_on_time" enum:"yes,no," doc:"yes 按期；no 逾期"`
	ResultFrom    string `query:"result_from"`
	ResultTo      string `query:"result_to"`
	FilingResult  string `query:"filing_result"`
	ExpiringDays  int    `query:"expiring_days" doc:"有效期将在N日内届满"`
	FilingOverdue bool   `query:"filing_overdue" doc:"已超过备案期限未报送"`
	// 应报备 in a period: the filing deadline falls in it and the document
	// was filed or its deadline has passed unfiled (the figure's denominator).
	FilingDueFrom string `query:"filing_due_from" doc:"应报备期间起：备案期限在期间内，且已报送或已逾期未报送"`
	FilingDueTo   string `query:"filing_due_to" doc:"应报备期间止"`
	Source        string `query:"source"`
	db.ListReq
	publicOnly     bool
	skipScopeCheck bool
}

// where builds the list conditions for in (after validation).
func (s *Service) where(ctx context.Context, a *auth.Actor, in ListInput) (Where, error) {
	var w Where
	var v apperr.Fields
	if !in.skipScopeCheck {
		scope, args := auth.ScopeClause(a, PermRead, "d.unit_id")
		w.Add(scope, args...)
	}
	if in.publicOnly {
		w.Add("d.status IN (?, ?, ?, ?)", string(StatusPublished), string(StatusExpired), string(StatusRepealed), string(StatusRevoked))
	}
	w.Text = searchQuery(in.Q)
	if in.Status != "" {
		if !slices.Contains(Statuses, Status(in.Status)) {
			v.Add("status", "状态“%s”无效", in.Status)
		}
		w.Add("d.status = ?", in.Status)
	}
	if in.IssuerID > 0 {
		w.Add("d.issuer_id = ?", in.IssuerID)
	}
	if in.UnitID > 0 {
		path, _, err := s.store.UnitInfo(ctx, s.db, in.UnitID)
		if err != nil {
			v.Add("unit_id", "所选单位不存在")
		}
		w.Add("d.unit_id IN (SELECT su.id FROM org_unit_refs su WHERE su.path LIKE ?)", path+"%")
	}
	if in.Year > 0 {
		w.Add("d.published_on >= ? AND d.published_on <= ?", fmt.Sprintf("%04d-01-01", in.Year), fmt.Sprintf("%04d-12-31", in.Year))
	}
	rng := func(col, fromField, toField, from, to, label string) {
		f := parseDate(&v, fromField, label+"起始日期", from, false)
		t := parseDate(&v, toField, label+"截止日期", to, false)
		if !f.IsZero() {
			w.Add(col+" >= ?", f.String())
		}
		if !t.IsZero() {
			w.Add(col+" <= ?", t.String())
		}
		if !f.IsZero() || !t.IsZero() {
			w.Add(col + " <> ''")
		}
	}
	rng("d.filed_on", "filed_from", "filed_to", in.FiledFrom, in.FiledTo, "报送备案")
	rng("d.filing_result_on", "result_from", "result_to", in.ResultFrom, in.ResultTo, "备案审查")
	switch in.FiledOnTime {
	case "yes":
		w.Add("d.filed_on_time = 1")
	case "no":
		w.Add("d.filed_on_time = 0")
	case "":
	default:
		v.Add("filed_on_time", "是否按期只能为 yes 或 no")
	}
	if in.FilingResult != "" {
		w.Add("d.filing_result = ?", in.FilingResult)
	}
	today := s.today()
	if in.ExpiringDays > 0 {
		w.Add("d.status = ? AND d.expires_on >= ? AND d.expires_on <= ?", string(StatusPublished), today.String(), today.AddDays(in.ExpiringDays).String())
	}
	if in.FilingDueFrom != "" || in.FilingDueTo != "" {
		f := parseDate(&v, "filing_due_from", "应报备期间起始日期", in.FilingDueFrom, false)
		t := parseDate(&v, "filing_due_to", "应报备期间截止日期", in.FilingDueTo, false)
		from, to := "0000-01-01", "9999-12-31"
		if !f.IsZero() {
			from = f.String()
		}
		if !t.IsZero() {
			to = t.String()
		}
		w.Add("d.filing_due <> '' AND d.filing_due >= ? AND d.filing_due <= ? AND (d.filed_on <> '' OR d.filing_due < ?)", from, to, today.String())
	}
	if in.FilingOverdue {
		w.Add("d.status = ? AND d.filed_on = '' AND d.filing_due <> '' AND d.filing_due < ?", string(StatusPublished), today.String())
	}
	if in.Source != "" {
		w.Add("d.source = ?", in.Source)
	}
	return w, v.Err()
}

// List returns the ledger page within the actor's scope.
func (s *Service) List(ctx context.Context, in ListInput) (db.Paged[Document], error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.Paged[Document]{Items: []Document{}}, err
	}
	w, err := s.where(ctx, a, in)
	if err != nil {
		return db.Paged[Document]{Items: []Document{}}, err
	}
	p, err := s.store.ListDocuments(ctx, s.db, w, in.ListReq)
	for i := range p.Items {
		s.label(&p.Items[i])
	}
	return p, err
}

// label sets the status label a member of staff sees: the document's
// validity today, as the public library shows it (尚未施行 before the
// effective date).
func (s *Service) label(d *Document) {
	d.StatusLabel, _ = d.Validity(s.today().String())
}

// ---------------------------------------------------------------- public library

// PublicListInput filters the public library.
type PublicListInput struct {
	Q        string `query:"q" doc:"全文检索，如 养老、信访"`
	IssuerID int64  `query:"issuer_id"`
	Year     int    `query:"year"`
	Validity string `query:"validity" enum:"in_force,pending,ended," doc:"in_force 现行有效；pending 已公布尚未施行；ended 已失效/废止/撤销"`
	db.ListReq
}

func (s *Service) public(d *Document, withBody bool) PublicDocument {
	p := PublicDocument{ID: d.ID, IssuerName: d.IssuerName, Title: d.Title, DocNo: d.DocNo, Summary: d.Summary,
		PublishedOn: d.PublishedOn, EffectiveOn: d.EffectiveOn, ExpiresOn: d.ExpiresOn}
	p.Validity, p.EndedOn = d.Validity(s.today().String())
	if withBody {
		p.Body = d.Body
	}
	return p
}

// PublicList searches published documents; no login is needed and nothing
// internal is returned.
func (s *Service) PublicList(ctx context.Context, in PublicListInput) (db.Paged[PublicDocument], error) {
	li := ListInput{Q: in.Q, IssuerID: in.IssuerID, Year: in.Year, ListReq: in.ListReq, publicOnly: true, skipScopeCheck: true}
	w, err := s.where(ctx, nil, li)
	if err != nil {
		return db.Paged[PublicDocument]{Items: []PublicDocument{}}, err
	}
	today := s.today().String()
	// Nothing is public before its publication date.
	w.Add("d.published_on <> '' AND d.published_on <= ?", today)
	switch in.Validity {
	case "in_force":
		w.Add("d.status = ? AND d.effective_on <= ? AND (d.expires_on = '' OR d.expires_on >= ?)", string(StatusPublished), today, today)
	case "pending":
		w.Add("d.status = ? AND d.effective_on > ?", string(StatusPublished), today)
	case "ended":
		w.Add("(d.status <> ? OR (d.expires_on <> '' AND d.expires_on < ?))", string(StatusPublished), today)
	}
	docs, err := s.store.ListDocuments(ctx, s.db, w, in.ListReq)
	if err != nil {
		return db.Paged[PublicDocument]{Items: []PublicDocument{}}, err
	}
	return db.Map(docs, func(d Document) PublicDocument { return s.public(&d, false) }), nil
}

// PublicGet returns one published document.
func (s *Service) PublicGet(ctx context.Context, id int64) (*PublicDocument, error) {
	d, err := s.store.GetDocument(ctx, s.db, id)
	if err != nil || !d.Status.IsPublic() || d.PublishedOn == "" || d.PublishedOn > s.today().String() {
		return nil, apperr.New(apperr.NotFound, "文件不存在或尚未公布")
	}
	p := s.public(d, true)
	return &p, nil
}

// PublicIssuers lists the active issuing bodies for the library's filter.
func (s *Service) PublicIssuers(ctx context.Context) ([]Issuer, error) {
	list, err := s.store.ListIssuers(ctx, s.db, "1=1", nil, false)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].UnitID, list[i].UnitName, list[i].Version = 0, "", 0
	}
	return list, nil
}

// ---------------------------------------------------------------- expiry

// ExpireDue marks documents past their validity as expired and cancels
// their reminders. It is idempotent and safe to run from several processes.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	n := 0
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		ids, err := s.store.ExpireDue(ctx, tx, s.today().String())
		if err != nil {
			return err
		}
		for _, id := range ids {
			if err := reminders.Cancel(ctx, tx, ExpiryReminderKey(id)); err != nil {
				return err
			}
			if err := reminders.Cancel(ctx, tx, FilingReminderKey(id)); err != nil {
				return err
			}
			if err := audit.Record(ctx, tx, audit.Event{Action: "normdoc.document.expire", ObjectType: "normdoc", ObjectID: strconv.FormatInt(id, 10),
				Summary: "有效期届满自动失效"}); err != nil {
				return err
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// searchQuery parses q for the full-text index, tokenized as documents are.
func searchQuery(q string) search.Query { return search.Parse(q) }
