package normdoc

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"fazhi/internal/legalreview"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/update"
)

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

// validate checks the draft's fields; today bounds the drafting date (it
// records what has happened).
func (in *DraftInput) validate(today calendar.Date) error {
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
	in.DraftedOn = calendar.CheckDate(&v, "drafted_on", "起草日期", in.DraftedOn, true, calendar.Happened(calendar.Date{}, today)).String()
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
	if err := in.validate(s.today(ctx)); err != nil {
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
	_, err := update.Run(ctx, s.db, version, update.Update[*Document]{
		Load: func(ctx context.Context, tx *db.Tx) (*Document, error) {
			d, err := s.store.GetDocument(ctx, tx, id)
			if err != nil {
				return nil, err
			}
			path, _, err := s.store.UnitInfo(ctx, tx, d.UnitID)
			if err != nil {
				return nil, err
			}
			if _, err := auth.RequireIn(ctx, perm, path); err != nil {
				return nil, err
			}
			return d, nil
		},
		Version: func(d *Document) int64 { return d.Version },
		Change: func(ctx context.Context, tx *db.Tx, d **Document) (audit.Event, error) {
			summary, err := fn(tx, *d)
			if err != nil {
				return audit.Event{}, err
			}
			return audit.Event{Action: action, ObjectType: "normdoc", ObjectID: strconv.FormatInt(id, 10),
				UnitID: (*d).UnitID, Summary: summary + "：《" + (*d).Title + "》"}, nil
		},
		Write: func(ctx context.Context, tx *db.Tx, d *Document, loaded int64) (bool, error) {
			d.Version = loaded
			ok, err := s.store.UpdateDocument(ctx, tx, d)
			if err != nil {
				if apperr.Is(err, apperr.Conflict) {
					return false, apperr.New(apperr.Conflict, "文号已被占用，请重试")
				}
				return false, err
			}
			if !ok {
				return false, nil
			}
			return true, s.store.IndexDocument(ctx, tx, d)
		},
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
	if err := in.validate(s.today(ctx)); err != nil {
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
	date := calendar.CheckDate(&v, "date", "评估论证日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
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
	from := calendar.CheckDate(&v, "from", "征求意见开始日期", in.From, true, calendar.Span{})
	to := calendar.CheckDate(&v, "to", "征求意见截止日期", in.To, true, calendar.Span{})
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
		if to.After(s.today(ctx)) {
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
	// The version is checked before the review is opened (a side effect
	// outside the update below): missing is invalid, stale a conflict.
	if err := update.RequireVersion(in.Version); err != nil {
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
		d.Status, d.ReviewID, d.ReviewSubmittedOn, d.ReviewStatus = StatusReviewing, rv.ID, s.today(ctx).String(), legalreview.OutcomePending
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
	date := calendar.CheckDate(&v, "date", "审议日期", in.Date, true, calendar.Happened(calendar.Date{}, s.today(ctx)))
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
