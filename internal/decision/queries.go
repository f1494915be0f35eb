package decision

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/mask"
	"fazhi/internal/platform/update"
	"fazhi/internal/platform/xlsx"

	"github.com/emmansun/gmsm/sm3"
)

func unmarshal(raw json.RawMessage, v any) error {
	if len(raw) == 0 {
		return nil
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decision: step data: %w", err)
	}
	return nil
}

// Detail returns a decision with its timeline, opinions, progress and
// corrections.
func (s *Service) Detail(ctx context.Context, id int64) (*Detail, error) {
	d, _, err := s.load(ctx, id, PermRead)
	if err != nil {
		return nil, err
	}
	steps, err := s.st.ListSteps(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	out := &Detail{Decision: *d}
	for _, def := range Procedure {
		rec, ok := steps[def.Step]
		t := TimelineStep{StepDef: def, State: StatePending, FileIDs: []int64{}, Blocked: []string{}}
		if ok {
			t.State, t.Data, t.FileIDs, t.DoneOn, t.RecordedBy, t.RecordedAt = rec.State, rec.Data, rec.FileIDs, rec.DoneOn, rec.RecordedBy, rec.RecordedAt
		}
		t.StateLabel = t.State.Label()
		if err := gate(d, steps, def.Step); err != nil {
			t.Blocked = append(t.Blocked, apperr.As(err).Message)
		}
		out.Timeline = append(out.Timeline, t)
	}
	if out.Opinions, err = s.st.ListOpinions(ctx, s.db, id); err != nil {
		return nil, err
	}
	if out.Progress, err = s.st.ListProgress(ctx, s.db, id); err != nil {
		return nil, err
	}
	if out.Corrections, err = s.st.ListCorrections(ctx, s.db, id); err != nil {
		return nil, err
	}
	out.Comments, err = s.st.CountComments(ctx, s.db, id)
	return out, err
}

// Procedure returns the step table (for the detail page's timeline).
func (s *Service) Procedure(ctx context.Context) ([]StepDef, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return Procedure, nil
}

// ListQuery filters the decision list.
type ListQuery struct {
	Q               string `query:"q" doc:"名称或编号"`
	Stage           string `query:"stage"`
	Status          string `query:"status"`
	UnitID          int64  `query:"unit_id"`
	Year            int    `query:"year"`
	CatalogueItemID int64  `query:"catalogue_item_id"`
	Consultation    string `query:"consultation"`
	CollectiveFrom  string `query:"collective_from" doc:"集体讨论日期起（含），用于指标下钻"`
	CollectiveTo    string `query:"collective_to"`
	Collective      bool   `query:"collective" doc:"仅已集体讨论决定的"`
	Corrected       bool   `query:"corrected" doc:"仅被上级机关纠错的"`
	CorrectedFrom   string `query:"corrected_from" doc:"纠错日期起（含），用于指标下钻"`
	CorrectedTo     string `query:"corrected_to" doc:"纠错日期止（含）"`
	SubtreeUnitID   int64  `query:"subtree_unit_id" doc:"单位及其下级"`
}

func (s *Service) filter(ctx context.Context, a *auth.Actor, q ListQuery) (ListFilter, error) {
	sc, args := auth.ScopeClause(a, PermRead, "d.unit_id")
	f := ListFilter{Q: strings.TrimSpace(q.Q), Stage: q.Stage, Status: q.Status, UnitID: q.UnitID, Year: q.Year, CatalogueItemID: q.CatalogueItemID,
		Consultation: q.Consultation, CollectiveFrom: q.CollectiveFrom, CollectiveTo: q.CollectiveTo, OnlyCollectively: q.Collective, Corrected: q.Corrected,
		CorrectedFrom: q.CorrectedFrom, CorrectedTo: q.CorrectedTo,
		ScopeSQL: sc, ScopeArgs: args}
	if q.SubtreeUnitID != 0 {
		_, path, err := s.st.UnitRef(ctx, s.db, q.SubtreeUnitID)
		if err != nil {
			return f, apperr.Field("subtree_unit_id", "单位不存在")
		}
		f.UnitPath = path
	}
	return f, nil
}

// List returns one page of decisions visible to the actor.
func (s *Service) List(ctx context.Context, q ListQuery, req db.ListReq) (db.Paged[Decision], error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.Paged[Decision]{Items: []Decision{}}, err
	}
	f, err := s.filter(ctx, a, q)
	if err != nil {
		return db.Paged[Decision]{Items: []Decision{}}, err
	}
	return s.st.ListDecisions(ctx, s.db, f, req)
}

// Export writes the filtered list as an Excel ledger into memory (tests;
// the HTTP export streams with ExportTo).
func (s *Service) Export(ctx context.Context, q ListQuery) ([]byte, error) {
	var buf bytes.Buffer
	err := s.ExportTo(ctx, &buf, q)
	return buf.Bytes(), err
}

// ExportTo writes the filtered list as an Excel ledger to w, reading the
// rows through one cursor; nothing reaches w if a check fails.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, q ListQuery) error {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return err
	}
	f, err := s.filter(ctx, a, q)
	if err != nil {
		return err
	}
	// Widths come from the content; long titles are capped and wrap.
	cols := []xlsx.Column{{Title: "编号"}, {Title: "决策名称", Width: 30}, {Title: "目录事项"}, {Title: "承办单位"},
		{Title: "决策机关"}, {Title: "当前步骤"}, {Title: "状态"}, {Title: "启动日期", Kind: xlsx.Date},
		{Title: "征求意见期"}, {Title: "合法性审查"}, {Title: "集体讨论日期", Kind: xlsx.Date}, {Title: "公布日期", Kind: xlsx.Date},
		{Title: "被纠错次数"}}
	return xlsx.Write(w, "重大行政决策", cols, func(add func(...any) error) error {
		return db.Stream(ctx, s.db, s.st.DecisionList(f), func(sc db.Scanner) error {
			d, err := scanDecision(sc)
			if err != nil {
				return err
			}
			window := ""
			if d.CommentStart != "" {
				window = d.CommentStart + " 至 " + d.CommentEnd
			}
			return add(d.Code, d.Title, d.CatalogueItem, d.UnitName, d.DecisionBody, d.StageLabel, d.StatusLabel, d.StartedOn, window,
				d.LegalReviewLabel, d.CollectiveOn, d.PublishedOn, d.Corrections)
		})
	})
}

// ---- comments (staff) ----

// ListComments lists the public comments on a decision.
func (s *Service) ListComments(ctx context.Context, id int64, page db.Page) ([]Comment, int, error) {
	if _, _, err := s.load(ctx, id, PermRead); err != nil {
		return nil, 0, err
	}
	return s.st.ListComments(ctx, s.db, id, page, false)
}

// AnswerInput records how a comment was handled.
type AnswerInput struct {
	Adopted string `json:"adopted" enum:"adopted,partly,not_adopted"`
	Reply   string `json:"reply"`
}

// AnswerComment records whether a comment was adopted.
func (s *Service) AnswerComment(ctx context.Context, id, commentID int64, in AnswerInput) error {
	d, _, err := s.load(ctx, id, PermWrite)
	if err != nil {
		return err
	}
	var v apperr.Fields
	if in.Adopted != "adopted" && in.Adopted != "partly" && in.Adopted != "not_adopted" {
		v.Add("adopted", "请选择采纳情况")
	}
	checkText(&v, "reply", "处理说明", in.Reply, in.Adopted != "adopted", 2000)
	if err := v.Err(); err != nil {
		return err
	}
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.st.AnswerComment(ctx, tx, id, commentID, in.Adopted, in.Reply); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.comment.answer", ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: d.UnitID,
			Summary: fmt.Sprintf("%s 处理公众意见 #%d：%s", d.Code, commentID, in.Adopted)})
	})
}

// ---- experts ----

// ListExperts lists the expert pool.
func (s *Service) ListExperts(ctx context.Context, q, kind string, page db.Page) ([]Expert, int, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, 0, err
	}
	items, total, err := s.st.ListExperts(ctx, s.db, strings.TrimSpace(q), kind, page)
	if err != nil {
		return nil, 0, err
	}
	if !a.Can(PermWrite) {
		for i := range items {
			items[i].Phone = mask.Phone(items[i].Phone)
		}
	}
	return items, total, nil
}

// creditCode is the form of a 统一社会信用代码 (GB 32100-2015): 18
// characters of digits and capital letters without I, O, S, V, Z.
var creditCode = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$`)

// ExpertInput creates or edits an expert.
type ExpertInput struct {
	Kind       string `json:"kind" enum:"expert,org," doc:"expert 专家（默认）；org 评估机构"`
	CreditCode string `json:"credit_code" doc:"统一社会信用代码（评估机构必填，18位）"`
	OrgID      int64  `json:"org_id" doc:"专家所在机构（库中的机构记录）"`
	Name       string `json:"name"`
	Title      string `json:"title" doc:"职称"`
	Field      string `json:"field" doc:"专业领域"`
	Employer   string `json:"employer" doc:"工作单位"`
	UnitID     int64  `json:"unit_id" doc:"所属本级单位（机关内专家）"`
	Phone      string `json:"phone"`
	Active     *bool  `json:"active,omitempty"`
	Version    int    `json:"version"`
}

// SaveExpert creates (id 0) or updates an expert in the pool.
func (s *Service) SaveExpert(ctx context.Context, id int64, in ExpertInput) (*Expert, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return nil, err
	}
	var v apperr.Fields
	if in.Kind == "" {
		in.Kind = PoolExpert
	}
	in.CreditCode = strings.ToUpper(strings.TrimSpace(in.CreditCode))
	switch in.Kind {
	case PoolOrg:
		checkText(&v, "name", "机构名称", in.Name, true, 100)
		checkText(&v, "field", "评估业务领域", in.Field, true, 100)
		if !creditCode.MatchString(in.CreditCode) {
			v.Add("credit_code", "请填写18位统一社会信用代码（用于识别同一评估机构）")
		}
		in.Employer, in.OrgID = strings.TrimSpace(in.Name), 0
	case PoolExpert:
		checkText(&v, "name", "专家姓名", in.Name, true, 50)
		checkText(&v, "field", "专业领域", in.Field, true, 100)
		in.CreditCode = ""
		if in.OrgID != 0 {
			o, err := s.st.GetExpert(ctx, s.db, in.OrgID)
			if err != nil || o.Kind != PoolOrg {
				v.Add("org_id", "所在机构应为库中的评估机构记录")
			} else if strings.TrimSpace(in.Employer) == "" {
				in.Employer = o.Name
			}
		}
		checkText(&v, "employer", "工作单位", in.Employer, true, 100)
	default:
		v.Add("kind", "类型应为专家或评估机构")
	}
	checkText(&v, "title", "职称", in.Title, false, 50)
	checkText(&v, "phone", "联系电话", in.Phone, false, 30)
	if in.UnitID != 0 {
		if _, _, err := s.st.UnitRef(ctx, s.db, in.UnitID); err != nil {
			v.Add("unit_id", "所属单位不存在")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	e := Expert{ID: id, Kind: in.Kind, CreditCode: in.CreditCode, OrgID: in.OrgID, Name: strings.TrimSpace(in.Name), Title: in.Title, Field: in.Field, Employer: strings.TrimSpace(in.Employer), UnitID: in.UnitID,
		Phone: in.Phone, Active: in.Active == nil || *in.Active}
	if id != 0 {
		_, err := update.Run(ctx, s.db, int64(in.Version), update.Update[Expert]{
			Load:    func(ctx context.Context, tx *db.Tx) (Expert, error) { return s.st.GetExpert(ctx, tx, id) },
			Version: func(e Expert) int64 { return int64(e.Version) },
			Change: func(ctx context.Context, tx *db.Tx, old *Expert) (audit.Event, error) {
				e.Version = old.Version
				*old = e
				return audit.Event{Action: "decision.expert.update", ObjectType: "decision_expert", ObjectID: itoa(int(id)), Summary: "专家库：" + e.Name + "（" + e.Employer + "）"}, nil
			},
			Write: func(ctx context.Context, tx *db.Tx, e Expert, loaded int64) (bool, error) {
				e.Version = int(loaded)
				return s.st.UpdateExpert(ctx, tx, e)
			},
			Reload: func(ctx context.Context, tx *db.Tx, _ Expert) (Expert, error) { return s.st.GetExpert(ctx, tx, id) },
		})
		if err != nil {
			return nil, notFound(err, "专家或评估机构不存在")
		}
		out, err := s.st.GetExpert(ctx, s.db, id)
		return &out, err
	}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		var err error
		e.ID, err = s.st.CreateExpert(ctx, tx, e)
		if apperr.Is(err, apperr.Conflict) && in.CreditCode != "" {
			return apperr.Field("credit_code", "统一社会信用代码 %s 已在库中，同一机构只登记一次", in.CreditCode)
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.expert.create", ObjectType: "decision_expert", ObjectID: itoa(int(e.ID)), Summary: "专家库：" + e.Name + "（" + e.Employer + "）"})
	})
	if err != nil {
		return nil, err
	}
	out, err := s.st.GetExpert(ctx, s.db, e.ID)
	return &out, err
}

// ---- public portal ----

func toPublic(d Decision, comments int, today calendar.Date) PublicDecision {
	open := d.Consultation == ConsultOpen && d.CommentStart <= today.String() && today.String() <= d.CommentEnd
	p := PublicDecision{ID: d.ID, Code: d.Code, Title: d.Title, DecisionBody: d.DecisionBody, UnitName: d.UnitName, Consultation: d.Consultation, Open: open,
		CommentStart: d.CommentStart, CommentEnd: d.CommentEnd, Summary: d.PublicSummary, Feedback: d.PublicFeedback, CommentCount: comments,
		PublishedOn: d.PublishedOn, PublicText: d.PublicText}
	return p
}

// PublicList lists what the portal shows: consultations ("consultation",
// the default, or "open") and published decisions ("published"). No login.
func (s *Service) PublicList(ctx context.Context, kind string, page db.Page) ([]PublicDecision, int, error) {
	items, total, err := s.st.ListPublic(ctx, s.db, kind, page)
	if err != nil {
		return nil, 0, err
	}
	ids := make([]int64, len(items))
	for i, d := range items {
		ids[i] = d.ID
	}
	counts, err := s.st.CommentCounts(ctx, s.db, ids)
	if err != nil {
		return nil, 0, err
	}
	today := s.today(ctx)
	out := make([]PublicDecision, 0, len(items))
	for _, d := range items {
		out = append(out, toPublic(d, counts[d.ID], today))
	}
	return out, total, nil
}

// PublicGet returns one decision as the portal shows it; decisions never
// put on the portal are not found.
func (s *Service) PublicGet(ctx context.Context, id int64) (*PublicDecision, error) {
	d, err := s.st.GetDecision(ctx, s.db, id)
	if err != nil || (d.Consultation == ConsultNone && d.PublishedOn == "") {
		return nil, apperr.New(apperr.NotFound, "该决策未公开征求意见或尚未公布")
	}
	n, err := s.st.CountComments(ctx, s.db, id)
	if err != nil {
		return nil, err
	}
	p := toPublic(d, n, s.today(ctx))
	return &p, nil
}

// CommentInput is a comment from the public.
type CommentInput struct {
	Author  string `json:"author" doc:"姓名（可不填）"`
	Contact string `json:"contact" doc:"联系方式（可不填，不公开）"`
	Content string `json:"content"`
}

// Comment limits.
const (
	CommentMinRunes = 5
	CommentMaxRunes = 2000
)

// PublicComment accepts a comment during the comment period. Anti-abuse:
// length limits and at most CommentsPerHour comments per address per hour
// (counted in the database, so it holds across processes).
func (s *Service) PublicComment(ctx context.Context, id int64, in CommentInput, address string) error {
	d, err := s.st.GetDecision(ctx, s.db, id)
	if err != nil || d.Consultation == ConsultNone {
		return apperr.New(apperr.NotFound, "该决策未公开征求意见")
	}
	today := s.today(ctx).String()
	if d.Consultation != ConsultOpen || today < d.CommentStart || today > d.CommentEnd {
		return apperr.New(apperr.DeadlinePassed, "不在征求意见期内（%s 至 %s），不能提交意见", d.CommentStart, d.CommentEnd)
	}
	var v apperr.Fields
	content := strings.TrimSpace(in.Content)
	n := utf8.RuneCountInString(content)
	if n < CommentMinRunes {
		v.Add("content", "意见内容至少 %d 个字", CommentMinRunes)
	} else if n > CommentMaxRunes {
		v.Add("content", "意见内容不能超过 %d 字", CommentMaxRunes)
	}
	checkText(&v, "author", "姓名", in.Author, false, 50)
	checkText(&v, "contact", "联系方式", in.Contact, false, 100)
	if err := v.Err(); err != nil {
		return err
	}
	ipHash := hashAddress(address)
	since := s.now(ctx).Add(-time.Hour).UTC().Format("2006-01-02T15:04:05Z")
	return s.db.WithTx(ctx, func(tx *db.Tx) error {
		recent, err := s.st.CountCommentsFrom(ctx, tx, ipHash, since)
		if err != nil {
			return err
		}
		if recent >= s.CommentsPerHour {
			return apperr.New(apperr.RateLimited, "提交过于频繁：同一地址每小时最多提交 %d 条意见，请稍后再试", s.CommentsPerHour)
		}
		cid, err := s.st.InsertComment(ctx, tx, Comment{DecisionID: id, Author: strings.TrimSpace(in.Author), Contact: strings.TrimSpace(in.Contact), Content: content, CreatedAt: s.stamp(ctx)}, ipHash)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Action: "decision.comment.public", ObjectType: SubjectType, ObjectID: itoa(int(id)), UnitID: d.UnitID,
			ActorName: "公众", Summary: fmt.Sprintf("%s 收到公众意见 #%d", d.Code, cid)})
	})
}

// hashAddress keys the rate limit without storing addresses.
func hashAddress(addr string) string {
	h := sm3.New()
	h.Write([]byte("fazhi.decision.comment|" + addr))
	return hex.EncodeToString(h.Sum(nil))[:32]
}
