package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"fazhi/internal/decision"
	"fazhi/internal/finding"
	"fazhi/internal/legalreview"
	"fazhi/internal/normdoc"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/db/dbtest"
)

// TestDemoConsistency loads the demo as `make run` does and walks every demo
// record of every module, checking its dates against the module's own rules
// (its rule table, deadline functions and the working-day calendar): steps in
// legal order and never dated before the step they rely on, the minimum
// review time unless an urgent reason is recorded, the public comment
// period, filings within their deadline or flagged late, recorded-at times
// on the day the step is dated, a decision linked to its real legality
// review, and nothing dated after the day the demo was loaded.
func TestDemoConsistency(t *testing.T) {
	dbtest.EachDSN(t, func(t *testing.T, dsn string) {
		a := demoApp(t, dsn)
		c := &demoCheck{t: t, a: a, ctx: auth.With(context.Background(), auth.SystemActor("test")), now: time.Now()}
		c.today = calendar.Today(c.now)
		c.reviews = map[int64]*legalreview.Review{}
		c.legalreview()
		c.decisions()
		c.normdocs()
		c.findings()
		c.mediation()
		c.counsel()
		c.disclosures()
		c.reconsiderations()
		c.enforcement()
		c.randomInspections()
		c.caseReviews()
		c.exams()
		c.litigations()
		// The walk saw the demo, not an empty database.
		if c.seen["decision"] < 5 || c.seen["legalreview"] < 10 || c.seen["normdoc"] < 20 || c.seen["finding"] < 20 || c.seen["mediation"] < 900 || c.seen["counsel"] < 20 ||
			c.seen["disclosure"] < 60 || c.seen["reconsideration"] < 50 || c.seen["enforcement"] < 1000 || c.seen["randominspection"] < 5 || c.seen["exam"] < 8 || c.seen["litigation"] < 40 {
			t.Errorf("records walked: %v", c.seen)
		}
	})
}

type demoCheck struct {
	t       *testing.T
	a       *App
	ctx     context.Context
	now     time.Time
	today   calendar.Date
	reviews map[int64]*legalreview.Review
	seen    map[string]int
}

func (c *demoCheck) bad(record, format string, args ...any) {
	c.t.Helper()
	c.t.Errorf("%s: %s", record, fmt.Sprintf(format, args...))
}

func (c *demoCheck) count(module string) {
	if c.seen == nil {
		c.seen = map[string]int{}
	}
	c.seen[module]++
}

// day is the Shanghai calendar day of a recorded-at time.
func day(t time.Time) string { return calendar.Today(t).String() }

// stampDay is day for a stored "2006-01-02T15:04:05Z" stamp.
func stampDay(s string) string {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "invalid:" + s
	}
	return day(t)
}

// notFuture checks that a date is not after the demo's today.
func (c *demoCheck) notFuture(record, label, date string) {
	c.t.Helper()
	if date != "" && date > c.today.String() {
		c.bad(record, "%s %s 晚于载入当天 %s", label, date, c.today)
	}
}

// order checks that the dates, named in pairs, never go backwards.
func (c *demoCheck) order(record string, pairs ...string) {
	c.t.Helper()
	last, lastLabel := "", ""
	for i := 0; i+1 < len(pairs); i += 2 {
		label, date := pairs[i], pairs[i+1]
		if date == "" {
			continue
		}
		c.notFuture(record, label, date)
		if last != "" && date < last {
			c.bad(record, "%s %s 早于%s %s", label, date, lastLabel, last)
		}
		last, lastLabel = date, label
	}
}

// due computes a rule's deadline from start with the app's own rule table
// and working-day calendar.
func (c *demoCheck) due(rule, start string) string {
	c.t.Helper()
	r, err := c.a.Rules.Get(rule)
	if err != nil {
		c.t.Fatal(err)
	}
	var clock calendar.Clock
	if err := clock.Start(r, calendar.MustDate(start)); err != nil {
		c.t.Fatal(err)
	}
	d, err := clock.Due(c.a.Calendar)
	if err != nil {
		c.t.Fatal(err)
	}
	return d.String()
}

func (c *demoCheck) legalreview() {
	lr := c.a.LegalReview()
	page, err := lr.List(c.ctx, legalreview.Filter{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	for _, item := range page.Items {
		c.count("legalreview")
		r, err := lr.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		c.reviews[r.ID] = r
		rec := fmt.Sprintf("合法性审查 %d《%s》", r.ID, r.Title)
		if got := day(r.CreatedAt); got != r.SubmittedOn {
			c.bad(rec, "提交日期 %s，记录时间却是 %s", r.SubmittedOn, got)
		}
		if want := c.due(legalreview.RuleMin, r.SubmittedOn); r.MinOn != want {
			c.bad(rec, "最早完成日期 %s，按规则应为 %s", r.MinOn, want)
		}
		if want := c.due(legalreview.RuleReview, r.SubmittedOn); r.DueOn != want {
			c.bad(rec, "审查时限 %s，按规则应为 %s", r.DueOn, want)
		}
		c.order(rec, "提交", r.SubmittedOn, "办结", r.FinishedOn)
		if r.FinishedOn != "" {
			if r.FinishedOn < r.MinOn && (!r.Early || r.EarlyReason == "") {
				c.bad(rec, "%s 办结，未满最少审查时间（%s）且未记录紧急事由", r.FinishedOn, r.MinOn)
			}
			if r.ConcludedAt != nil && day(*r.ConcludedAt) != r.FinishedOn {
				c.bad(rec, "%s 办结，意见书记录时间却是 %s", r.FinishedOn, day(*r.ConcludedAt))
			}
			if onTime := r.FinishedOn <= r.DueOn; r.OnTime == nil || *r.OnTime != onTime {
				c.bad(rec, "按时办结标记与时限 %s 不符", r.DueOn)
			}
		}
		tl, err := lr.Timeline(c.ctx, r.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		var last time.Time
		for _, e := range tl {
			if e.At.IsZero() {
				continue
			}
			if e.At.After(c.now) {
				c.bad(rec, "「%s」记录于将来 %s", e.Label, e.At)
			}
			if e.At.Before(last) {
				c.bad(rec, "「%s」%s 早于前一环节 %s", e.Label, e.At, last)
			}
			if d := day(e.At); d < r.SubmittedOn || (r.FinishedOn != "" && e.Action != "adopt" && d > r.FinishedOn) {
				c.bad(rec, "「%s」记录于 %s，不在提交 %s 至办结 %s 之间", e.Label, d, r.SubmittedOn, r.FinishedOn)
			}
			last = e.At
		}
		// A review of a decision is that decision's review.
		if r.Kind == legalreview.KindDecision && r.SubjectType != decision.SubjectType {
			c.bad(rec, "重大行政决策的合法性审查未关联决策记录")
		}
	}
}

func (c *demoCheck) decisions() {
	ds := c.a.Decision()
	page, err := ds.List(c.ctx, decision.ListQuery{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	reviewOf := map[int64]int64{} // review → decision
	for _, r := range c.reviews {
		if r.SubjectType == decision.SubjectType {
			reviewOf[r.ID] = r.SubjectID
		}
	}
	for _, item := range page.Items {
		c.count("decision")
		d, err := ds.Detail(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("决策 %s《%s》", d.Code, d.Title)
		if got := stampDay(d.CreatedAt); got != d.StartedOn {
			c.bad(rec, "%s 启动，记录时间却是 %s", d.StartedOn, got)
		}
		dated := map[decision.Step]string{}
		for _, st := range d.Timeline {
			dated[st.Step] = st.DoneOn
		}
		done := map[decision.Step]string{}
		for _, st := range d.Timeline {
			if st.State == decision.StatePending {
				continue
			}
			done[st.Step] = st.DoneOn
			c.notFuture(rec, st.Label, st.DoneOn)
			if st.RecordedAt != "" && st.DoneOn != "" {
				// A step is recorded on its day; the legality review's
				// outcome (another module's record) by the time the
				// collective discussion relies on it.
				recorded, until := stampDay(st.RecordedAt), st.DoneOn
				if st.Step == decision.StepLegalReview {
					until = dated[decision.StepCollective]
					if until == "" {
						until = c.today.String()
					}
				}
				if recorded < st.DoneOn || recorded > until {
					c.bad(rec, "「%s」办理日期 %s，记录时间却是 %s", st.Label, st.DoneOn, recorded)
				}
			}
			// In legal order: every prerequisite satisfied and dated no later.
			for _, req := range st.Requires {
				on, ok := done[req]
				if !ok {
					c.bad(rec, "「%s」已登记，前置步骤「%s」尚未办理", st.Label, req.Label())
					continue
				}
				if st.DoneOn != "" && on > st.DoneOn {
					c.bad(rec, "「%s」%s 早于前置步骤「%s」%s", st.Label, st.DoneOn, req.Label(), on)
				}
			}
			switch st.Step {
			case decision.StepConsultation:
				var cd decision.ConsultationData
				if err := json.Unmarshal(st.Data, &cd); err != nil {
					c.t.Fatal(err)
				}
				if cd.CommentStart != "" {
					minEnd, _, err := ds.CommentWindow(calendar.MustDate(cd.CommentStart))
					if err != nil {
						c.t.Fatal(err)
					}
					if cd.CommentEnd < minEnd.String() && cd.ShortReason == "" {
						c.bad(rec, "征求意见 %s 至 %s，短于法定期限（最早截止 %s）且未说明理由", cd.CommentStart, cd.CommentEnd, minEnd)
					}
					if st.State == decision.StateDone && st.DoneOn < cd.CommentEnd {
						c.bad(rec, "征求意见期 %s 届满前（%s）即结束", cd.CommentEnd, st.DoneOn)
					}
				}
			case decision.StepLegalReview:
				var ld decision.LegalReviewData
				if err := json.Unmarshal(st.Data, &ld); err != nil {
					c.t.Fatal(err)
				}
				r := c.reviews[ld.ReviewID]
				switch {
				case r == nil:
					c.bad(rec, "合法性审查记录 %d 不存在", ld.ReviewID)
				case r.SubjectType != decision.SubjectType || r.SubjectID != d.ID:
					c.bad(rec, "合法性审查 %d 未关联本决策", r.ID)
				default:
					if r.SubmittedOn != ld.SubmittedOn {
						c.bad(rec, "送审日期 %s，审查记录却是 %s", ld.SubmittedOn, r.SubmittedOn)
					}
					if st.State == decision.StateDone && st.DoneOn != r.FinishedOn {
						c.bad(rec, "合法性审查步骤办结于 %s，审查记录办结于 %s", st.DoneOn, r.FinishedOn)
					}
				}
			}
		}
		if d.LegalReviewID != 0 && reviewOf[d.LegalReviewID] != d.ID {
			c.bad(rec, "决策的合法性审查 %d 未关联本决策", d.LegalReviewID)
		}
		for _, o := range d.Opinions {
			c.order(rec, "专家论证签署", o.SignedOn, "专家论证完成", done[decision.StepExpert])
		}
		for _, p := range d.Progress {
			c.order(rec, "决策执行", done[decision.StepImplementation], "执行情况报告", p.ReportedOn)
		}
	}
	for rid, did := range reviewOf {
		found := false
		for _, item := range page.Items {
			if item.ID == did && item.LegalReviewID == rid {
				found = true
			}
		}
		if !found && c.reviews[rid].Status != legalreview.StatusWithdrawn {
			c.bad(fmt.Sprintf("合法性审查 %d", rid), "关联的决策 %d 不以它为合法性审查", did)
		}
	}
}

func (c *demoCheck) normdocs() {
	ns := c.a.Normdoc()
	page, err := ns.List(c.ctx, normdoc.ListInput{ListReq: db.ListReq{Size: 500}})
	if err != nil {
		c.t.Fatal(err)
	}
	docOfReview := map[int64]int64{} // review → document
	docNos := map[string]string{}
	var late, onTime, expiring int
	for _, item := range page.Items {
		c.count("normdoc")
		d, err := ns.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("规范性文件 %d《%s》", d.ID, d.Title)
		c.order(rec, "起草", d.DraftedOn, "评估论证", d.EvaluationOn, "征求意见开始", d.CommentFrom, "征求意见结束", d.CommentTo,
			"送审", d.ReviewSubmittedOn, "集体审议", d.DeliberationOn, "登记编号", d.RegisteredOn, "公布", d.PublishedOn)
		c.order(rec, "公布", d.PublishedOn, "报送备案", d.FiledOn, "备案审查结果", d.FilingResultOn)
		// 施行 and 有效期届满 may lie ahead: ordered, not bounded by today.
		if d.PublishedOn != "" && (d.EffectiveOn < d.PublishedOn || d.ExpiresOn <= d.EffectiveOn) {
			c.bad(rec, "公布 %s、施行 %s、有效期至 %s 次序不对", d.PublishedOn, d.EffectiveOn, d.ExpiresOn)
		}
		if d.DocNo != "" {
			if other, dup := docNos[d.DocNo]; dup {
				c.bad(rec, "文号 %s 与《%s》重复", d.DocNo, other)
			}
			docNos[d.DocNo] = d.Title
		}
		if d.PublishedOn != "" {
			if want := c.due(normdoc.FilingRule, d.PublishedOn); d.FilingDue != want {
				c.bad(rec, "备案期限 %s，按规则应为 %s", d.FilingDue, want)
			}
			if d.FiledOn != "" {
				if onTimeNow := d.FiledOn <= d.FilingDue; d.FiledOnTime == nil || *d.FiledOnTime != onTimeNow {
					c.bad(rec, "%s 报送备案，按期标记与期限 %s 不符", d.FiledOn, d.FilingDue)
				} else if onTimeNow {
					onTime++
				} else {
					late++
				}
			}
			// 施行日期 not earlier than 30 days after publication unless
			// urgent with a reason; validity within the period allowed.
			if eff := calendar.MustDate(d.PublishedOn).AddDays(ns.Options().EffectiveDelayDays).String(); d.EffectiveOn < eff && (!d.Urgent || d.UrgentReason == "") {
				c.bad(rec, "公布 %s、施行 %s，不足 %d 日且未说明紧急理由", d.PublishedOn, d.EffectiveOn, ns.Options().EffectiveDelayDays)
			}
			if d.Status == normdoc.StatusPublished && d.ExpiresOn != "" && d.ExpiresOn < c.today.String() {
				c.bad(rec, "有效期已于 %s 届满，状态仍为现行有效", d.ExpiresOn)
			}
			if d.Status == normdoc.StatusPublished && d.ExpiresOn != "" && d.ExpiresOn <= c.today.AddDays(90).String() {
				expiring++
			}
		}
		for _, ev := range d.FilingHistory {
			c.order(rec, "备案", d.FiledOn, "备案审查记录", ev.Date)
			if d.Source == "system" && day(ev.RecordedAt) != ev.Date {
				c.bad(rec, "备案审查记录 %s，登记时间却是 %s", ev.Date, day(ev.RecordedAt))
			}
		}
		if d.Source != "system" {
			// Documents imported from the clerk's spreadsheet on go-live
			// day predate the platform: no procedure to check.
			if d.PublishedOn >= "2026-01-01" {
				c.bad(rec, "今年的文件 %s 公布，却是导入的存量文件", d.PublishedOn)
			}
			continue
		}
		// Made in the platform: the procedure of 国办发〔2018〕37号.
		if d.Important && d.ReviewSubmittedOn != "" && (d.EvaluationOn == "" || d.CommentTo == "") {
			c.bad(rec, "重要规范性文件未经评估论证和公开征求意见即送审")
		}
		if d.ReviewSubmittedOn != "" && d.ReviewID == 0 {
			c.bad(rec, "%s 送审，却没有合法性审查记录", d.ReviewSubmittedOn)
		}
		if d.ReviewID != 0 {
			docOfReview[d.ReviewID] = d.ID
			r := c.reviews[d.ReviewID]
			switch {
			case r == nil:
				c.bad(rec, "合法性审查记录 %d 不存在", d.ReviewID)
			case r.SubjectType != normdoc.SubjectType || r.SubjectID != d.ID:
				c.bad(rec, "合法性审查 %d 未关联本文件", r.ID)
			default:
				if r.SubmittedOn != d.ReviewSubmittedOn {
					c.bad(rec, "送审日期 %s，审查记录却是 %s", d.ReviewSubmittedOn, r.SubmittedOn)
				}
				if d.DeliberationOn != "" {
					// Deliberated only after a passing review that ran its
					// full working-day period (no urgent early conclusion).
					if r.Status != legalreview.StatusConcluded || r.FinishedOn == "" || r.Conclusion == legalreview.ConclusionFailed {
						c.bad(rec, "%s 集体审议，合法性审查 %d 却未通过（%s）", d.DeliberationOn, r.ID, r.Status)
					}
					if r.Early || r.FinishedOn < r.MinOn {
						c.bad(rec, "合法性审查 %d 于 %s 提前办结（最少审查至 %s）", r.ID, r.FinishedOn, r.MinOn)
					}
					c.order(rec, "合法性审查办结", r.FinishedOn, "集体审议", d.DeliberationOn)
				}
			}
		}
		if d.NumberYear != 0 && d.RegisteredOn != "" && strconv.Itoa(d.NumberYear) != d.RegisteredOn[:4] {
			c.bad(rec, "%s 登记，文号年度却是 %d", d.RegisteredOn, d.NumberYear)
		}
		c.auditDays(rec, d)
	}
	// Every review of a normative document belongs to a document that
	// names it: no free-standing review of the kind.
	for _, r := range c.reviews {
		if r.Kind != legalreview.KindNormdoc {
			continue
		}
		if r.SubjectType != normdoc.SubjectType || docOfReview[r.ID] != r.SubjectID {
			c.bad(fmt.Sprintf("合法性审查 %d《%s》", r.ID, r.Title), "规范性文件的合法性审查未关联文件（%s %d）", r.SubjectType, r.SubjectID)
		}
	}
	// The demo shows both sides of the filing deadline and documents
	// coming up for their expiry evaluation.
	if late == 0 || onTime == 0 || expiring == 0 {
		c.t.Errorf("normdoc demo: filed late %d, on time %d, expiring within 90 days %d", late, onTime, expiring)
	}
	cs, _, err := ns.ListCleanups(c.ctx, db.Page{Size: 50})
	if err != nil {
		c.t.Fatal(err)
	}
	for _, item := range cs {
		cl, err := ns.GetCleanup(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("文件清理《%s》", cl.Title)
		c.order(rec, "开始", cl.StartedOn, "完成", cl.FinishedOn, "公布", cl.PublishedOn)
		for _, it := range cl.Items {
			c.order(rec, "开始", cl.StartedOn, "《"+it.Title+"》清理结论", it.DecidedOn, "完成", cl.FinishedOn)
		}
	}
	if len(cs) == 0 {
		c.t.Errorf("normdoc demo: no clean-up campaign")
	}
}

// auditDays checks that a document's audit events were written on the day
// of the step they record (the demo stamps them with its simulated clock).
func (c *demoCheck) auditDays(rec string, d *normdoc.Document) {
	c.t.Helper()
	want := map[string]string{
		"normdoc.document.create": d.DraftedOn, "normdoc.document.submit_review": d.ReviewSubmittedOn,
		"normdoc.document.deliberate": d.DeliberationOn, "normdoc.document.register": d.RegisteredOn,
		"normdoc.document.publish": d.PublishedOn, "normdoc.document.file": d.FiledOn,
	}
	rows, err := c.a.DB.Query(c.ctx, "SELECT action, at FROM audit_events WHERE object_type = 'normdoc' AND object_id = ?", strconv.FormatInt(d.ID, 10))
	if err != nil {
		c.t.Fatal(err)
	}
	defer rows.Close()
	seen := 0
	for rows.Next() {
		var action, at string
		if err := rows.Scan(&action, &at); err != nil {
			c.t.Fatal(err)
		}
		on, ok := want[action]
		if !ok {
			continue
		}
		seen++
		t, err := time.Parse("2006-01-02T15:04:05.000000Z", at)
		if err != nil {
			c.t.Fatal(err)
		}
		if day(t) != on {
			c.bad(rec, "审计日志「%s」记录于 %s，该环节却是 %s", action, day(t), on)
		}
	}
	if seen == 0 {
		c.bad(rec, "没有审计日志")
	}
}

func (c *demoCheck) findings() {
	fs := c.a.Engines().Findings
	page, err := fs.List(c.ctx, finding.Filter{}, db.ListReq{Size: 500})
	if err != nil {
		c.t.Fatal(err)
	}
	for _, item := range page.Items {
		c.count("finding")
		f, err := fs.Get(c.ctx, item.ID)
		if err != nil {
			c.t.Fatal(err)
		}
		rec := fmt.Sprintf("问题 %s《%s》", f.Code, f.Title)
		c.order(rec, "发现", f.FoundOn, "整改", f.RectifiedOn, "销号", f.ClosedOn, "复查", f.RecheckedOn)
		if want := c.due(finding.RuleRectify, f.FoundOn); f.RectifyDue != want && !f.DueProvisional {
			c.bad(rec, "整改期限 %s，按规则应为 %s", f.RectifyDue, want)
		}
		if got := day(f.CreatedAt); got != f.FoundOn {
			c.bad(rec, "%s 发现，登记时间却是 %s", f.FoundOn, got)
		}
		if f.UpdatedAt.After(c.now) || day(f.UpdatedAt) < f.FoundOn {
			c.bad(rec, "最后修改时间 %s 不在发现 %s 之后、载入之前", f.UpdatedAt, f.FoundOn)
		}
		var last time.Time
		for _, e := range f.Events {
			if e.At.Before(last) || e.At.After(c.now) || day(e.At) < f.FoundOn {
				c.bad(rec, "「%s」记录于 %s（前一环节 %s）", e.Label, e.At, last)
			}
			last = e.At
		}
	}
}
