package normdoc

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"fazhi/internal/legalreview"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/search"
)

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
	s.decorate(ctx, d)
	return d, nil
}

// decorate adds the computed explanation and timeline.
func (s *Service) decorate(ctx context.Context, d *Document) {
	s.label(ctx, d)
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
		f := calendar.CheckDate(&v, fromField, label+"起始日期", from, false, calendar.Span{})
		t := calendar.CheckDate(&v, toField, label+"截止日期", to, false, calendar.Span{})
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
	today := s.today(ctx)
	if in.ExpiringDays > 0 {
		w.Add("d.status = ? AND d.expires_on >= ? AND d.expires_on <= ?", string(StatusPublished), today.String(), today.AddDays(in.ExpiringDays).String())
	}
	if in.FilingDueFrom != "" || in.FilingDueTo != "" {
		f := calendar.CheckDate(&v, "filing_due_from", "应报备期间起始日期", in.FilingDueFrom, false, calendar.Span{})
		t := calendar.CheckDate(&v, "filing_due_to", "应报备期间截止日期", in.FilingDueTo, false, calendar.Span{})
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
		s.label(ctx, &p.Items[i])
	}
	return p, err
}

// label sets the status label a member of staff sees: the document's
// validity today, as the public library shows it (尚未施行 before the
// effective date).
func (s *Service) label(ctx context.Context, d *Document) {
	d.StatusLabel, _ = d.Validity(s.today(ctx).String())
}

// searchQuery parses q for the full-text index, tokenized as documents are.
func searchQuery(q string) search.Query { return search.Parse(q) }
