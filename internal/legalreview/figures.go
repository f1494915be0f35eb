package legalreview

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/xlsx"
)

// Stable figure names (the metrics catalogue refers to them).
const (
	FigureOnTimeRate   = "legalreview.on_time_rate"
	FigureAdoptionRate = "legalreview.adoption_rate"
	FigureEarlyRate    = "legalreview.early_rate"
)

// Link returns the front-end ledger route listing the records of f.
func (f Filter) Link() string {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("kind", f.Kind)
	if f.UnitID > 0 {
		v.Set("unit_id", fmt.Sprint(f.UnitID))
	}
	set("status", f.Status)
	set("conclusion", f.Conclusion)
	set("from", f.From)
	set("to", f.To)
	set("finished_from", f.FinishedFrom)
	set("finished_to", f.FinishedTo)
	set("accountable_from", f.AccountableFrom)
	set("accountable_to", f.AccountableTo)
	set("on_time", f.OnTime)
	set("early", f.Early)
	set("feedback", f.Feedback)
	set("keyword", f.Keyword)
	if len(v) == 0 {
		return "/legalreviews"
	}
	return "/legalreviews?" + v.Encode()
}

// validatePeriod checks the figures' and statistics' period.
func validatePeriod(in metric.Query) error {
	var v apperr.Fields
	from := calendar.CheckDate(&v, "from", "期间起始日期", in.From, false, calendar.Span{})
	to := calendar.CheckDate(&v, "to", "期间截止日期", in.To, false, calendar.Span{})
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("to", "截止日期不能早于起始日期")
	}
	return v.Err()
}

// FigureTally keeps the counters behind the module's figures
// (internal/metric, counts.go), moved in the transaction of every write of a
// review or of its opinion items (Store.insertReview, updateReview,
// insertOpinion, setAdoption). Concluded reviews count on their finishing
// day (concluded; on_time when finished by the time limit; early when
// before the minimum review time), and so do their opinion items (op_items,
// op_answered, op_adopted); reviews still under review count on their time
// limit (open_due), so "open past the limit as of today" is the sum of the
// days before today. The conditions are the ledger filters' (Filter.where).
var FigureTally = &metric.Tally{Name: "legalreview", IDColumn: "r.id", Points: `
SELECT 'concluded' AS series, r.unit_id AS unit_id, r.finished_on AS day FROM legalreviews r WHERE r.status = 'concluded' AND r.finished_on <> '' AND {record}
UNION ALL SELECT 'on_time', r.unit_id, r.finished_on FROM legalreviews r WHERE r.status = 'concluded' AND r.finished_on <> '' AND r.finished_on <= r.due_on AND {record}
UNION ALL SELECT 'early', r.unit_id, r.finished_on FROM legalreviews r WHERE r.status = 'concluded' AND r.finished_on <> '' AND r.finished_on < r.min_on AND {record}
UNION ALL SELECT 'open_due', r.unit_id, r.due_on FROM legalreviews r WHERE r.status IN ('reviewing', 'concluding') AND {record}
UNION ALL SELECT 'op_items', r.unit_id, r.finished_on FROM legalreviews r JOIN legalreview_opinions o ON o.review_id = r.id
 WHERE r.status = 'concluded' AND r.finished_on <> '' AND {record}
UNION ALL SELECT 'op_answered', r.unit_id, r.finished_on FROM legalreviews r JOIN legalreview_opinions o ON o.review_id = r.id
 WHERE r.status = 'concluded' AND r.finished_on <> '' AND o.adoption <> '' AND {record}
UNION ALL SELECT 'op_adopted', r.unit_id, r.finished_on FROM legalreviews r JOIN legalreview_opinions o ON o.review_id = r.id
 WHERE r.status = 'concluded' AND r.finished_on <> '' AND o.adoption IN ('adopted', 'partial') AND {record}`}

// Figures computes legalreview's figures for a unit subtree and a period
// (empty From/To leave the period open on that side).
//
//   - on_time_rate: reviews concluded in the period by their time limit ÷
//     reviews that had to be concluded in the period (应办结: concluded in
//     it, plus those still under review whose time limit fell in it and has
//     passed — a review open past its limit is not on time).
//   - adoption_rate: opinion items of reviews concluded in the period
//     answered 采纳 or 部分采纳 ÷ items whose adoption was recorded. There is
//     no deadline for the requester's feedback, so an item not yet answered
//     is unknown rather than rejected: it stays out of the denominator, and
//     the figure's note counts such items for the same reviews so the gap
//     shows.
//   - early_rate: reviews concluded in the period before the minimum review
//     time ÷ reviews concluded in the period.
func (s *Service) Figures(ctx context.Context, in metric.Query) ([]metric.Figure, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	if err := validatePeriod(in); err != nil {
		return nil, err
	}
	// Range sums over the counters of the units in scope and subtree.
	today := s.today(ctx)
	cond, cargs := auth.ScopeClause(actor, PermRead, "c.unit_id")
	dueTo := in.To
	if dueTo == "" {
		dueTo = today.String() // the same records as an open end: nothing is concluded or overdue after today
	}
	n, err := FigureTally.SumsUnder(ctx, s.db, cond, cargs, in.UnitID,
		metric.Sum{Series: "concluded", From: in.From, To: in.To},
		metric.Sum{Series: "concluded", From: in.From, To: dueTo},
		metric.Sum{Series: "open_due", From: in.From, To: min(dueTo, today.AddDays(-1).String())},
		metric.Sum{Series: "on_time", From: in.From, To: in.To},
		metric.Sum{Series: "early", From: in.From, To: in.To},
		metric.Sum{Series: "op_items", From: in.From, To: in.To},
		metric.Sum{Series: "op_answered", From: in.From, To: in.To},
		metric.Sum{Series: "op_adopted", From: in.From, To: in.To})
	if err != nil {
		return nil, err
	}
	concluded, nDue, num, nEarly, items, answered, adopted := n[0], n[1]+n[2], n[3], n[4], n[5], n[6], n[7]
	base := Filter{UnitID: in.UnitID, Status: string(StatusConcluded), FinishedFrom: in.From, FinishedTo: in.To}
	due := Filter{UnitID: in.UnitID, AccountableFrom: in.From, AccountableTo: dueTo}
	onTime := base
	onTime.OnTime = "yes"
	early := base
	early.Early = "yes"
	fb := base
	fb.Feedback = "yes"
	fbAdopted := base
	fbAdopted.Feedback = "adopted"
	period := "期间：" + periodText(in) + "（按办结日期；不填为不限）"
	onTimeFig := metric.Figure{Code: FigureOnTimeRate, Name: "合法性审查按时办结率", Link: due.Link(), NumeratorLink: onTime.Link(),
		Definition: "分子：期间内办结、办结日期不晚于审查时限截止日的审查件数；分母：期间内应办结的审查件数（期间内办结的，加上审查时限截止日在期间内、已超期仍未办结的——超期未办结计为未按时）。" +
			"期间：" + periodText(in) + "（不填为不限）"}.Rate(num, nDue)
	if open := n[2]; open > 0 {
		onTimeFig.Note = fmt.Sprintf("其中 %d 件已超过审查时限仍未办结", open)
	}
	adoptFig := metric.Figure{Code: FigureAdoptionRate, Name: "合法性审查意见采纳率", Link: fb.Link(), NumeratorLink: fbAdopted.Link(),
		Definition: "分子：送审单位反馈“采纳”或“部分采纳”的意见条数；分母：期间内办结的审查提出的意见中，已反馈采纳情况的条数（反馈未设期限，尚未反馈的意见采纳与否未知，不计入分母，另在说明中列出）。" + period}.Rate(adopted, answered)
	if n := items - answered; n > 0 {
		adoptFig.Note = fmt.Sprintf("另有 %d 条意见尚未反馈采纳情况，未计入分母", n)
	}
	return []metric.Figure{
		onTimeFig,
		adoptFig,
		metric.Figure{Code: FigureEarlyRate, Name: "合法性审查提前办结占比", Link: base.Link(), NumeratorLink: early.Link(),
			Definition: "分子：期间内办结、办结日期早于最少审查时间（不少于7个工作日）届满日的审查件数（每件均记录紧急事由和批准人）；分母：办结日期在期间内的全部审查件数。" + period}.Rate(nEarly, concluded),
	}, nil
}

// periodText is the period of q as the figures' definitions state it.
func periodText(q metric.Query) string {
	from, to := q.From, q.To
	if from == "" {
		from = "不限"
	}
	if to == "" {
		to = "不限"
	}
	return from + " 至 " + to
}

// Stats groups reviews submitted in the period by kind and by unit.
type Stats struct {
	ByKind []StatRow `json:"by_kind"`
	ByUnit []StatRow `json:"by_unit"`
}

// Statistics returns counts by kind and by unit for reviews submitted in
// the period (From/To are submission dates here).
func (s *Service) Statistics(ctx context.Context, in metric.Query) (*Stats, error) {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	if err := validatePeriod(in); err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(actor, PermRead, "r.unit_id")
	f := Filter{UnitID: in.UnitID, From: in.From, To: in.To}
	today := s.today(ctx).String()
	byKind, err := s.st.stats(ctx, s.db, scope, args, f, "kind", today)
	if err != nil {
		return nil, err
	}
	for i := range byKind {
		byKind[i].Label = Kind(byKind[i].Key).Label()
	}
	byUnit, err := s.st.stats(ctx, s.db, scope, args, f, "unit", today)
	if err != nil {
		return nil, err
	}
	return &Stats{ByKind: byKind, ByUnit: byUnit}, nil
}

// Export writes the ledger rows matching f (within scope) to an .xlsx file
// in memory (tests; the HTTP export streams with ExportTo).
func (s *Service) Export(ctx context.Context, f Filter) ([]byte, error) {
	var buf bytes.Buffer
	err := s.ExportTo(ctx, &buf, f)
	return buf.Bytes(), err
}

// ExportTo writes the ledger rows matching f (within scope) as .xlsx to w,
// in keyset batches; nothing reaches w if a check fails.
func (s *Service) ExportTo(ctx context.Context, w io.Writer, f Filter) error {
	actor, err := auth.Require(ctx, PermRead)
	if err != nil {
		return err
	}
	if err := validateFilter(f); err != nil {
		return err
	}
	scope, args := auth.ScopeClause(actor, PermRead, "r.unit_id")
	f.today = s.today(ctx).String()
	var cols []xlsx.Column
	for _, h := range []string{"编号", "送审事项", "审查类型", "送审单位", "送审人", "提交日期", "要求完成日期", "审查时限", "办理状态", "当前环节", "审查结论", "意见书文号", "办结日期", "是否按时", "提前办结（紧急事由；批准人）", "意见条数", "已采纳（含部分）"} {
		c := xlsx.Column{Title: h}
		if strings.HasSuffix(h, "日期") || h == "审查时限" {
			c.Kind = xlsx.Date
		}
		cols = append(cols, c)
	}
	cols[1].Width = 30
	return xlsx.Write(w, "合法性审查台账", cols, func(add func(...any) error) error {
		return db.Batches(ctx, s.db, s.st.listSQL(scope, args, f), db.MaxPageSize, scanReview, reviewKeys, func(items []Review) error {
			ids := make([]int64, len(items))
			for i := range items {
				ids[i] = items[i].ID
			}
			tallies, err := s.st.opinionTallies(ctx, s.db, ids)
			if err != nil {
				return err
			}
			for i := range items {
				r := &items[i]
				s.decorate(r)
				tally := tallies[r.ID]
				onTime := ""
				if r.OnTime != nil {
					onTime = map[bool]string{true: "是", false: "否"}[*r.OnTime]
				}
				concl := ""
				if r.Conclusion != "" {
					concl = r.Conclusion.Label()
				}
				early := ""
				if r.Early {
					early = "提前办结"
					if r.EarlyReason != "" {
						early += "（" + r.EarlyReason + "；" + r.EarlyApprover + "）"
					}
				}
				if err := add(r.ID, r.Title, r.KindLabel, r.UnitName, r.RequesterName, r.SubmittedOn, r.RequestedBy,
					r.DueOn, r.StatusLabel, r.CurrentStep, concl, r.OpinionNo, r.FinishedOn, onTime, early, tally.items, tally.adopted); err != nil {
					return err
				}
			}
			return nil
		})
	})
}

// DeadlinePreview tells a requester, before submitting, the earliest
// completion date they may ask for and the review time limit.
type DeadlinePreview struct {
	SubmittedOn string `json:"submitted_on"`
	MinOn       string `json:"min_on" doc:"要求完成日期不得早于此日"`
	MinExplain  string `json:"min_explain"`
	DueOn       string `json:"due_on" doc:"审查时限截止日"`
	DueExplain  string `json:"due_explain"`
	Provisional bool   `json:"provisional" doc:"涉及未发布放假安排的年份，日期为暂定"`
}

// Preview computes the dates a request submitted today would get.
func (s *Service) Preview(ctx context.Context) (*DeadlinePreview, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	today := s.today(ctx)
	out := &DeadlinePreview{SubmittedOn: today.String()}
	for _, name := range []string{RuleMin, RuleReview} {
		rule, err := s.rules.Get(name)
		if err != nil {
			return nil, err
		}
		var c calendar.Clock
		if err := c.Start(rule, today); err != nil {
			return nil, err
		}
		st, err := c.Status(s.cal)
		if err != nil {
			return nil, err
		}
		x, _ := c.Explain(s.cal)
		out.Provisional = out.Provisional || st.Provisional
		if name == RuleMin {
			out.MinOn, out.MinExplain = st.Due.String(), x
		} else {
			out.DueOn, out.DueExplain = st.Due.String(), x
		}
	}
	return out, nil
}

// requireConfig checks that the actor may configure the module.
func requireConfig(ctx context.Context) (*auth.Actor, error) {
	return auth.Require(ctx, PermConfig)
}

// Standards lists the fair-competition review standards.
func (s *Service) Standards(ctx context.Context, activeOnly bool) ([]Standard, error) {
	if _, err := auth.Require(ctx, PermRead); err != nil {
		return nil, err
	}
	return s.st.standards(ctx, s.db, activeOnly)
}

// StandardInput creates or edits a standard.
type StandardInput struct {
	Code     string `json:"code,omitempty" doc:"标识（新建时填写，之后不可改）"`
	Category string `json:"category"`
	Text     string `json:"text"`
	Basis    string `json:"basis,omitempty"`
	Sort     int    `json:"sort"`
	Active   bool   `json:"active"`
	Version  int64  `json:"version"`
}

func (in *StandardInput) validate(creating bool) error {
	var v apperr.Fields
	in.Code, in.Category, in.Text, in.Basis = strings.TrimSpace(in.Code), strings.TrimSpace(in.Category), strings.TrimSpace(in.Text), strings.TrimSpace(in.Basis)
	if creating && in.Code == "" {
		v.Add("code", "请填写标准标识")
	}
	if in.Category == "" {
		v.Add("category", "请填写审查标准类别")
	}
	if in.Text == "" {
		v.Add("text", "请填写审查标准内容")
	} else if len([]rune(in.Text)) > maxReason {
		v.Add("text", "审查标准内容不能超过%d个字", maxReason)
	}
	return v.Err()
}

// CreateStandard adds a standard.
func (s *Service) CreateStandard(ctx context.Context, in StandardInput) (*Standard, error) {
	if _, err := requireConfig(ctx); err != nil {
		return nil, err
	}
	if err := in.validate(true); err != nil {
		return nil, err
	}
	st := Standard{Code: in.Code, Category: in.Category, Text: in.Text, Basis: in.Basis, Sort: in.Sort, Active: in.Active, Version: 1}
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		if err := s.st.insertStandard(ctx, tx, &st, s.clock(ctx)); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("code", "标准标识“%s”已存在", in.Code)
			}
			return err
		}
		return auditConfig(ctx, tx, "legalreview.standard.create", st.ID, nil, st, "新增公平竞争审查标准："+st.Text)
	})
	return &st, err
}

// UpdateStandard edits a standard (checklists already answered keep their
// snapshot of the old text).
func (s *Service) UpdateStandard(ctx context.Context, id int64, in StandardInput) (*Standard, error) {
	if _, err := requireConfig(ctx); err != nil {
		return nil, err
	}
	if err := in.validate(false); err != nil {
		return nil, err
	}
	var out Standard
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		old, err := s.st.standard(ctx, tx, id)
		if err != nil {
			return err
		}
		n := old
		n.Category, n.Text, n.Basis, n.Sort, n.Active = in.Category, in.Text, in.Basis, in.Sort, in.Active
		ok, err := s.st.updateStandard(ctx, tx, n, in.Version, s.clock(ctx))
		if err != nil {
			return err
		}
		if !ok {
			return staleErr()
		}
		n.Version = in.Version + 1
		out = n
		return auditConfig(ctx, tx, "legalreview.standard.update", id, old, n, "修改公平竞争审查标准："+n.Text)
	})
	return &out, err
}

func auditConfig(ctx context.Context, tx *db.Tx, action string, id int64, before, after any, summary string) error {
	return auditRecord(ctx, tx, action, "legalreview_config", id, before, after, summary)
}
