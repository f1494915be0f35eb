package legalreview

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/workflow"
)

// Store is the SQL behind the Service: one method per query, no rules.
type Store struct{}

const reviewCols = `r.id, r.kind, r.title, r.unit_id, COALESCE(ou.name, ''), COALESCE(ou.path, ''), r.subject_type, r.subject_id,
 r.summary, r.file_ids, r.requester_id, r.requester_name, r.status, r.conclusion, r.conclusion_text,
 r.submitted_on, r.min_on, r.requested_by, r.due_on, r.clock, r.chain_id, r.chain_name, r.reviewer_unit_id,
 r.workflow, r.pending, r.finished_on, r.concluded_by, r.opinion_year, r.opinion_seq, r.opinion_no,
 r.version, r.created_at, r.updated_at, r.concluded_at, r.feedback_at, r.early_reason, r.early_approver`

const reviewFrom = ` FROM legalreviews r LEFT JOIN org_unit_refs ou ON ou.id = r.unit_id`

func scanReview(sc interface{ Scan(...any) error }) (Review, error) {
	var r Review
	var files, clock, wf, pending string
	var concludedAt, feedbackAt sql.NullTime
	err := sc.Scan(&r.ID, &r.Kind, &r.Title, &r.UnitID, &r.UnitName, &r.unitPath, &r.SubjectType, &r.SubjectID,
		&r.Summary, &files, &r.RequesterID, &r.RequesterName, &r.Status, &r.Conclusion, &r.ConclusionText,
		&r.SubmittedOn, &r.MinOn, &r.RequestedBy, &r.DueOn, &clock, &r.ChainID, &r.ChainName, &r.ReviewerUnitID,
		&wf, &pending, &r.FinishedOn, &r.ConcludedBy, &r.year, &r.seq, &r.OpinionNo,
		&r.Version, &r.CreatedAt, &r.UpdatedAt, &concludedAt, &feedbackAt, &r.EarlyReason, &r.EarlyApprover)
	if err != nil {
		return r, err
	}
	r.ConcludedAt, r.FeedbackAt = timePtr(concludedAt), timePtr(feedbackAt)
	if err := json.Unmarshal([]byte(files), &r.FileIDs); err != nil {
		return r, fmt.Errorf("legalreview %d: file_ids: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(clock), &r.clock); err != nil {
		return r, fmt.Errorf("legalreview %d: clock: %w", r.ID, err)
	}
	if wf != "" {
		r.workflow = &workflow.Instance{}
		if err := json.Unmarshal([]byte(wf), r.workflow); err != nil {
			return r, fmt.Errorf("legalreview %d: workflow: %w", r.ID, err)
		}
	}
	r.Pending = parseIDs(pending)
	return r, nil
}

func timePtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// nullTime stores a nil time as NULL.
func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// formatIDs stores user IDs as ",3,5," so that "has a task" is one LIKE.
func formatIDs(ids []int64) string {
	if len(ids) == 0 {
		return ""
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "," + strings.Join(parts, ",") + ","
}

func parseIDs(s string) []int64 {
	out := []int64{}
	for _, p := range strings.Split(strings.Trim(s, ","), ",") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs are marshalled here
	}
	return string(b)
}

func (Store) review(ctx context.Context, q db.Querier, id int64) (Review, error) {
	r, err := scanReview(q.QueryRow(ctx, "SELECT "+reviewCols+reviewFrom+" WHERE r.id = ?", id))
	return r, db.Classify(err)
}

// latestForSubject returns the newest review of a subject that was not
// withdrawn; ok is false when there is none.
func (Store) latestForSubject(ctx context.Context, q db.Querier, subjectType string, subjectID int64) (Review, bool, error) {
	r, err := scanReview(q.QueryRow(ctx, "SELECT "+reviewCols+reviewFrom+
		" WHERE r.subject_type = ? AND r.subject_id = ? AND r.status <> ? ORDER BY r.id DESC LIMIT 1",
		subjectType, subjectID, StatusWithdrawn))
	if errors.Is(err, sql.ErrNoRows) {
		return Review{}, false, nil
	}
	return r, err == nil, err
}

func (Store) insertReview(ctx context.Context, q db.Querier, r *Review, now time.Time) error {
	wf := ""
	if r.workflow != nil {
		wf = mustJSON(r.workflow)
	}
	err := q.QueryRow(ctx, `INSERT INTO legalreviews (kind, title, unit_id, subject_type, subject_id, summary, file_ids,
 requester_id, requester_name, status, submitted_on, min_on, requested_by, due_on, clock, chain_id, chain_name,
 reviewer_unit_id, workflow, pending, version, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
		r.Kind, r.Title, r.UnitID, r.SubjectType, r.SubjectID, r.Summary, mustJSON(r.FileIDs),
		r.RequesterID, r.RequesterName, r.Status, r.SubmittedOn, r.MinOn, r.RequestedBy, r.DueOn, mustJSON(r.clock),
		r.ChainID, r.ChainName, r.ReviewerUnitID, wf, formatIDs(r.Pending), now, now).Scan(&r.ID)
	if err != nil {
		return err
	}
	return FigureTally.Added(ctx, q, r.ID)
}

// updateReview writes the mutable columns if the stored version is still
// version; it reports false on a stale version. The figures' counters move
// with the row (FigureTally).
func (Store) updateReview(ctx context.Context, q db.Querier, r Review, version int64, now time.Time) (bool, error) {
	var ok bool
	err := FigureTally.Write(ctx, q, r.ID, func() error {
		var err error
		ok, err = updateReview(ctx, q, r, version, now)
		return err
	})
	return ok, err
}

func updateReview(ctx context.Context, q db.Querier, r Review, version int64, now time.Time) (bool, error) {
	wf := ""
	if r.workflow != nil {
		wf = mustJSON(r.workflow)
	}
	res, err := q.Exec(ctx, `UPDATE legalreviews SET status = ?, conclusion = ?, conclusion_text = ?, workflow = ?, pending = ?,
 finished_on = ?, concluded_by = ?, concluded_at = ?, opinion_year = ?, opinion_seq = ?, opinion_no = ?, clock = ?,
 feedback_at = ?, early_reason = ?, early_approver = ?, version = version + 1, updated_at = ?
 WHERE id = ? AND version = ?`,
		r.Status, r.Conclusion, r.ConclusionText, wf, formatIDs(r.Pending), r.FinishedOn, r.ConcludedBy, nullTime(r.ConcludedAt),
		r.year, r.seq, r.OpinionNo, mustJSON(r.clock), nullTime(r.FeedbackAt), r.EarlyReason, r.EarlyApprover, now, r.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Filter narrows the ledger.
type Filter struct {
	Kind         string `query:"kind" doc:"审查类型：decision、normdoc、contract、policy"`
	UnitID       int64  `query:"unit_id" doc:"送审单位（含下级）"`
	Status       string `query:"status" doc:"reviewing、concluding、concluded、withdrawn"`
	Conclusion   string `query:"conclusion" doc:"passed、passed_with_changes、failed"`
	From         string `query:"from" doc:"提交日期起（YYYY-MM-DD）"`
	To           string `query:"to" doc:"提交日期止（YYYY-MM-DD）"`
	FinishedFrom string `query:"finished_from" doc:"办结日期起"`
	FinishedTo   string `query:"finished_to" doc:"办结日期止"`
	OnTime       string `query:"on_time" doc:"yes 按时办结、no 超期办结"`
	Early        string `query:"early" doc:"yes 未满最少审查时间提前办结（已记录紧急事由和批准人）"`
	Feedback     string `query:"feedback" doc:"yes 已反馈采纳情况的意见所在审查、adopted 有采纳或部分采纳意见"`
	Keyword      string `query:"keyword" doc:"标题或文号关键字"`
	// 应办结 in a period (the on-time rate's denominator): concluded in it,
	// or still under review with the time limit in it and already passed.
	AccountableFrom string `query:"accountable_from" doc:"应办结期间起：期间内办结的，加上审查时限截止日在期间内、已超期仍未办结的"`
	AccountableTo   string `query:"accountable_to" doc:"应办结期间止"`
	Pending         int64  `query:"-"`
	// today decides "past its time limit" (set by the service).
	today string
}

func (f Filter) where(scope string, scopeArgs []any) (string, []any) {
	conds := []string{scope}
	args := append([]any(nil), scopeArgs...)
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if f.Kind != "" {
		add("r.kind = ?", f.Kind)
	}
	if f.UnitID > 0 {
		add("r.unit_id IN (SELECT c.id FROM org_unit_refs c, org_unit_refs p WHERE p.id = ? AND c.path LIKE p.path || '%')", f.UnitID)
	}
	if f.Status != "" {
		add("r.status = ?", f.Status)
	}
	if f.Conclusion != "" {
		add("r.conclusion = ?", f.Conclusion)
	}
	if f.From != "" {
		add("r.submitted_on >= ?", f.From)
	}
	if f.To != "" {
		add("r.submitted_on <= ?", f.To)
	}
	if f.FinishedFrom != "" {
		add("r.finished_on >= ?", f.FinishedFrom)
	}
	if f.FinishedTo != "" {
		add("r.finished_on <= ? AND r.finished_on <> ''", f.FinishedTo)
	}
	if f.AccountableFrom != "" || f.AccountableTo != "" {
		if f.today == "" {
			panic("legalreview: Filter.today not set for an accountable filter")
		}
		c, a := db.Accountable("r.status = '"+string(StatusConcluded)+"'",
			"r.status IN ('"+string(StatusReviewing)+"', '"+string(StatusConcluding)+"')", "r.finished_on", "r.due_on",
			f.AccountableFrom, f.AccountableTo, f.today)
		add(c, a...)
	}
	switch f.OnTime {
	case "yes":
		add("r.status = ? AND r.finished_on <= r.due_on", StatusConcluded)
	case "no":
		add("r.status = ? AND r.finished_on > r.due_on", StatusConcluded)
	}
	if f.Early == "yes" {
		add("r.status = ? AND r.finished_on < r.min_on", StatusConcluded)
	}
	switch f.Feedback {
	case "yes":
		add("EXISTS (SELECT 1 FROM legalreview_opinions o WHERE o.review_id = r.id AND o.adoption <> '')")
	case "adopted":
		add("EXISTS (SELECT 1 FROM legalreview_opinions o WHERE o.review_id = r.id AND o.adoption IN (?, ?))", AdoptionAdopted, AdoptionPartial)
	}
	if k := strings.TrimSpace(f.Keyword); k != "" {
		add(`(r.title LIKE ? ESCAPE '\' OR r.opinion_no LIKE ? ESCAPE '\')`, db.Like(k), db.Like(k))
	}
	if f.Pending > 0 {
		add("r.pending LIKE ?", "%,"+strconv.FormatInt(f.Pending, 10)+",%")
	}
	return strings.Join(conds, " AND "), args
}

// listSQL is the ledger query for f within scope (newest submission first):
// the list, the export and the EXPLAIN test run it.
func (Store) listSQL(scope string, scopeArgs []any, f Filter) db.ListSQL {
	where, args := f.where(scope, scopeArgs)
	return db.ListSQL{Cols: reviewCols, From: strings.TrimPrefix(reviewFrom, " FROM "), CountFrom: "legalreviews r",
		Where: where, Args: args, Order: []db.Key{{Expr: "r.submitted_on", Desc: true}, {Expr: "r.id", Desc: true}}}
}

func reviewKeys(r Review) []any { return []any{r.SubmittedOn, r.ID} }

func (st Store) list(ctx context.Context, q db.Querier, scope string, scopeArgs []any, f Filter, req db.ListReq) (db.Paged[Review], error) {
	return db.Fetch(ctx, q, st.listSQL(scope, scopeArgs, f), req, scanReview, reviewKeys)
}

// running returns every review whose chain is running (for reminders).
func (Store) running(ctx context.Context, q db.Querier) ([]Review, error) {
	return db.All(ctx, q, scanReview, "SELECT "+reviewCols+reviewFrom+" WHERE r.status = ? ORDER BY r.id", StatusReviewing)
}

func scanOpinion(sc db.Scanner) (Opinion, error) {
	var o Opinion
	var at sql.NullTime
	err := sc.Scan(&o.ID, &o.Seq, &o.Text, &o.Adoption, &o.AdoptionReason, &o.AdoptedBy, &at)
	o.AdoptedAt = timePtr(at)
	o.AdoptionLabel = o.Adoption.Label()
	return o, err
}

func (Store) opinions(ctx context.Context, q db.Querier, reviewID int64) ([]Opinion, error) {
	return db.All(ctx, q, scanOpinion, `SELECT id, seq, text, adoption, adoption_reason, adopted_by, adopted_at
 FROM legalreview_opinions WHERE review_id = ? ORDER BY seq`, reviewID)
}

// opinionTally is how many opinion items a review has and how many of them
// were adopted (采纳 or 部分采纳).
type opinionTally struct{ items, adopted int }

// opinionTallies counts the opinion items of each review in ids in one
// query (ledger export); reviews without items are absent from the map.
func (Store) opinionTallies(ctx context.Context, q db.Querier, ids []int64) (map[int64]opinionTally, error) {
	out := map[int64]opinionTally{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{AdoptionAdopted, AdoptionPartial}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := q.Query(ctx, `SELECT review_id, COUNT(*), CAST(COALESCE(SUM(CASE WHEN adoption IN (?, ?) THEN 1 ELSE 0 END), 0) AS BIGINT)
 FROM legalreview_opinions WHERE review_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) GROUP BY review_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var t opinionTally
		if err := rows.Scan(&id, &t.items, &t.adopted); err != nil {
			return nil, err
		}
		out[id] = t
	}
	return out, rows.Err()
}

// insertOpinion and setAdoption change what the review counts in (its
// opinion items), so they move its counters too.
func (Store) insertOpinion(ctx context.Context, q db.Querier, reviewID int64, seq int, text string) error {
	return FigureTally.Write(ctx, q, reviewID, func() error {
		_, err := q.Exec(ctx, "INSERT INTO legalreview_opinions (review_id, seq, text) VALUES (?, ?, ?)", reviewID, seq, text)
		return db.Classify(err)
	})
}

func (Store) setAdoption(ctx context.Context, q db.Querier, reviewID int64, seq int, a Adoption, reason, by string, at time.Time) error {
	return FigureTally.Write(ctx, q, reviewID, func() error {
		_, err := q.Exec(ctx, `UPDATE legalreview_opinions SET adoption = ?, adoption_reason = ?, adopted_by = ?, adopted_at = ?
 WHERE review_id = ? AND seq = ?`, a, reason, by, at, reviewID, seq)
		return db.Classify(err)
	})
}

func scanCheck(sc db.Scanner) (Check, error) {
	var c Check
	err := sc.Scan(&c.StandardID, &c.Category, &c.Text, &c.Answer, &c.Note)
	c.AnswerLabel = AnswerLabel(c.Answer)
	return c, err
}

func (Store) checks(ctx context.Context, q db.Querier, reviewID int64) ([]Check, error) {
	return db.All(ctx, q, scanCheck, `SELECT k.standard_id, k.category, k.text, k.answer, k.note FROM legalreview_fc_checks k
 LEFT JOIN legalreview_fc_standards s ON s.id = k.standard_id
 WHERE k.review_id = ? ORDER BY COALESCE(s.sort, 0), k.standard_id`, reviewID)
}

func (Store) insertCheck(ctx context.Context, q db.Querier, reviewID int64, c Check) error {
	_, err := q.Exec(ctx, `INSERT INTO legalreview_fc_checks (review_id, standard_id, category, text, answer, note)
 VALUES (?, ?, ?, ?, ?, ?)`, reviewID, c.StandardID, c.Category, c.Text, c.Answer, c.Note)
	return db.Classify(err)
}

const standardCols = "id, code, category, text, basis, sort, active, version"

func scanStandard(sc interface{ Scan(...any) error }) (Standard, error) {
	var s Standard
	var active int
	err := sc.Scan(&s.ID, &s.Code, &s.Category, &s.Text, &s.Basis, &s.Sort, &active, &s.Version)
	s.Active = active == 1
	return s, err
}

func (Store) standards(ctx context.Context, q db.Querier, activeOnly bool) ([]Standard, error) {
	query := "SELECT " + standardCols + " FROM legalreview_fc_standards"
	if activeOnly {
		query += " WHERE active = 1"
	}
	return db.All(ctx, q, scanStandard, query+" ORDER BY sort, id")
}

func (Store) standard(ctx context.Context, q db.Querier, id int64) (Standard, error) {
	s, err := scanStandard(q.QueryRow(ctx, "SELECT "+standardCols+" FROM legalreview_fc_standards WHERE id = ?", id))
	return s, db.Classify(err)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (Store) insertStandard(ctx context.Context, q db.Querier, s *Standard, now time.Time) error {
	err := q.QueryRow(ctx, `INSERT INTO legalreview_fc_standards (code, category, text, basis, sort, active, version, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`, s.Code, s.Category, s.Text, s.Basis, s.Sort, boolInt(s.Active), now).Scan(&s.ID)
	return db.Classify(err)
}

func (Store) updateStandard(ctx context.Context, q db.Querier, s Standard, version int64, now time.Time) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE legalreview_fc_standards SET category = ?, text = ?, basis = ?, sort = ?, active = ?,
 version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		s.Category, s.Text, s.Basis, s.Sort, boolInt(s.Active), now, s.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const chainCols = "id, code, name, unit_id, kind, reviewer_unit_id, number_prefix, definition, version"

func scanChain(sc interface{ Scan(...any) error }) (Chain, error) {
	var c Chain
	var def string
	if err := sc.Scan(&c.ID, &c.Code, &c.Name, &c.UnitID, &c.Kind, &c.ReviewerUnitID, &c.NumberPrefix, &def, &c.Version); err != nil {
		return c, err
	}
	d, err := workflow.ParseDefinition([]byte(def))
	if err != nil {
		return c, fmt.Errorf("legalreview chain %s: %w", c.Code, err)
	}
	c.Definition = d
	return c, nil
}

func (Store) chains(ctx context.Context, q db.Querier) ([]Chain, error) {
	return db.All(ctx, q, scanChain, "SELECT "+chainCols+" FROM legalreview_chains ORDER BY unit_id, kind, id")
}

func (Store) chain(ctx context.Context, q db.Querier, id int64) (Chain, error) {
	c, err := scanChain(q.QueryRow(ctx, "SELECT "+chainCols+" FROM legalreview_chains WHERE id = ?", id))
	return c, db.Classify(err)
}

func (Store) insertChain(ctx context.Context, q db.Querier, c *Chain, now time.Time) error {
	err := q.QueryRow(ctx, `INSERT INTO legalreview_chains (code, name, unit_id, kind, reviewer_unit_id, number_prefix, definition, version, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?) RETURNING id`, c.Code, c.Name, c.UnitID, c.Kind, c.ReviewerUnitID, c.NumberPrefix,
		mustJSON(c.Definition), now).Scan(&c.ID)
	return db.Classify(err)
}

func (Store) updateChain(ctx context.Context, q db.Querier, c Chain, version int64, now time.Time) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE legalreview_chains SET name = ?, unit_id = ?, kind = ?, reviewer_unit_id = ?, number_prefix = ?,
 definition = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		c.Name, c.UnitID, c.Kind, c.ReviewerUnitID, c.NumberPrefix, mustJSON(c.Definition), now, c.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// nextNumber takes the next opinion letter sequence for (unit, year) inside
// the caller's transaction. The row update serialises concurrent
// conclusions, and a rolled-back conclusion rolls its number back too, so
// the numbers have no gaps.
func (Store) nextNumber(ctx context.Context, q db.Querier, unitID int64, year int) (int, error) {
	if _, err := q.Exec(ctx, "INSERT INTO legalreview_numbers (unit_id, year, last_seq) VALUES (?, ?, 0) ON CONFLICT (unit_id, year) DO NOTHING", unitID, year); err != nil {
		return 0, err
	}
	var seq int
	err := q.QueryRow(ctx, "UPDATE legalreview_numbers SET last_seq = last_seq + 1 WHERE unit_id = ? AND year = ? RETURNING last_seq", unitID, year).Scan(&seq)
	return seq, err
}

// StatRow is one line of the statistics table.
type StatRow struct {
	Key               string `json:"key"`
	Label             string `json:"label"`
	Total             int    `json:"total" doc:"送审件数"`
	Concluded         int    `json:"concluded" doc:"已办结"`
	Passed            int    `json:"passed"`
	PassedWithChanges int    `json:"passed_with_changes"`
	Failed            int    `json:"failed"`
	OnTime            int    `json:"on_time" doc:"按时办结"`
	Overdue           int    `json:"overdue" doc:"已超过审查时限仍未办结（按时率的分母为已办结加上此数）"`
	Opinions          int    `json:"opinions" doc:"意见条数"`
	Answered          int    `json:"answered" doc:"已反馈采纳情况的意见条数"`
	Adopted           int    `json:"adopted" doc:"采纳或部分采纳的意见条数"`
}

// stats groups reviews by kind or by unit ("kind" / "unit"); today decides
// which open reviews are past their time limit.
func (Store) stats(ctx context.Context, q db.Querier, scope string, scopeArgs []any, f Filter, by, today string) ([]StatRow, error) {
	where, args := f.where(scope, scopeArgs)
	key, label := "r.kind", "r.kind"
	if by == "unit" {
		key, label = "CAST(r.unit_id AS TEXT)", "COALESCE(ou.name, '')"
	}
	query := `SELECT ` + key + `, ` + label + `, COUNT(*),
 SUM(CASE WHEN r.status = 'concluded' THEN 1 ELSE 0 END),
 SUM(CASE WHEN r.conclusion = 'passed' THEN 1 ELSE 0 END),
 SUM(CASE WHEN r.conclusion = 'passed_with_changes' THEN 1 ELSE 0 END),
 SUM(CASE WHEN r.conclusion = 'failed' THEN 1 ELSE 0 END),
 SUM(CASE WHEN r.status = 'concluded' AND r.finished_on <= r.due_on THEN 1 ELSE 0 END),
 SUM(CASE WHEN r.status IN ('reviewing', 'concluding') AND r.due_on < ? THEN 1 ELSE 0 END),
 CAST(SUM((SELECT COUNT(*) FROM legalreview_opinions o WHERE o.review_id = r.id)) AS BIGINT),
 CAST(SUM((SELECT COUNT(*) FROM legalreview_opinions o WHERE o.review_id = r.id AND o.adoption <> '')) AS BIGINT),
 CAST(SUM((SELECT COUNT(*) FROM legalreview_opinions o WHERE o.review_id = r.id AND o.adoption IN ('adopted', 'partial'))) AS BIGINT)
` + reviewFrom + " WHERE " + where + " GROUP BY " + key + ", " + label + " ORDER BY 3 DESC, 1"
	rows, err := q.Query(ctx, query, append([]any{today}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []StatRow{}
	for rows.Next() {
		var s StatRow
		if err := rows.Scan(&s.Key, &s.Label, &s.Total, &s.Concluded, &s.Passed, &s.PassedWithChanges, &s.Failed,
			&s.OnTime, &s.Overdue, &s.Opinions, &s.Answered, &s.Adopted); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}
