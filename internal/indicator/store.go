package indicator

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// Store holds the module's SQL. No rules here: the service checks
// permissions and gates; unit names come from the org_unit_refs view.
type Store struct{}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const frameworkCols = `f.id, f.code, f.name, f.revision, f.based_on, f.builtin, f.superseded, f.note, f.created_at, f.version,
(SELECT COUNT(*) FROM indicator_items i WHERE i.framework_id = f.id AND i.level = 3),
(SELECT COUNT(*) FROM indicator_items i WHERE i.framework_id = f.id AND i.level = 3 AND i.figure_code <> ''),
(SELECT COALESCE(SUM(i.points), 0) FROM indicator_items i WHERE i.framework_id = f.id AND i.level = 3 AND i.kind = 'normal'),
(SELECT COUNT(*) FROM indicator_campaigns c WHERE c.framework_id = f.id)`

func scanFramework(sc db.Scanner) (Framework, error) {
	var f Framework
	var builtin, superseded int
	err := sc.Scan(&f.ID, &f.Code, &f.Name, &f.Revision, &f.BasedOn, &builtin, &superseded, &f.Note, &f.CreatedAt, &f.Version,
		&f.ItemCount, &f.Bound, &f.Points, &f.Campaigns)
	f.Builtin, f.Superseded, f.CreatedAt = builtin == 1, superseded == 1, f.CreatedAt.UTC()
	f.Points = round2(f.Points)
	return f, err
}

func (Store) frameworks(ctx context.Context, q db.Querier) ([]Framework, error) {
	return db.All(ctx, q, scanFramework, "SELECT "+frameworkCols+" FROM indicator_frameworks f ORDER BY f.superseded, f.code, f.revision DESC, f.id")
}

func (Store) framework(ctx context.Context, q db.Querier, id int64) (*Framework, error) {
	f, err := scanFramework(q.QueryRow(ctx, "SELECT "+frameworkCols+" FROM indicator_frameworks f WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "指标体系不存在")
	}
	return &f, err
}

func (Store) latestRevision(ctx context.Context, q db.Querier, code string) (id int64, rev int, err error) {
	err = q.QueryRow(ctx, "SELECT id, revision FROM indicator_frameworks WHERE code = ? ORDER BY revision DESC LIMIT 1", code).Scan(&id, &rev)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return id, rev, err
}

func (Store) insertFramework(ctx context.Context, tx *db.Tx, f *Framework, by int64, at time.Time) error {
	err := tx.QueryRow(ctx, `INSERT INTO indicator_frameworks (code, name, revision, based_on, builtin, note, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.Code, f.Name, f.Revision, f.BasedOn, b2i(f.Builtin), f.Note, by, at.UTC(), at.UTC()).Scan(&f.ID)
	return db.Classify(err)
}

const itemCols = `i.id, i.framework_id, i.parent_id, i.level, i.seq, i.code, i.title, i.description, i.kind, i.points, i.method,
i.per_occurrence, i.cap, i.figure_code, i.full_at, i.zero_at, i.evidence`

func scanItem(sc db.Scanner) (Item, error) {
	var it Item
	err := sc.Scan(&it.ID, &it.FrameworkID, &it.ParentID, &it.Level, &it.Seq, &it.Code, &it.Title, &it.Description, &it.Kind, &it.Points,
		&it.Method, &it.PerOccurrence, &it.Cap, &it.FigureCode, &it.FullAt, &it.ZeroAt, &it.Evidence)
	it.KindLabel, it.MethodLabel = label(Kinds, it.Kind), label(Methods, it.Method)
	return it, err
}

func (Store) items(ctx context.Context, q db.Querier, frameworkID int64) ([]Item, error) {
	return db.All(ctx, q, scanItem, "SELECT "+itemCols+" FROM indicator_items i WHERE i.framework_id = ? ORDER BY i.seq, i.id", frameworkID)
}

// insertItems writes a framework's rows in order, resolving parents by
// code; it returns the new ids by code.
func (Store) insertItems(ctx context.Context, tx *db.Tx, frameworkID int64, items []Item) (map[string]int64, error) {
	ids := map[string]int64{}
	parents := map[int64]string{} // old parent id → code, for copies
	for _, it := range items {
		parents[it.ID] = it.Code
	}
	for i, it := range items {
		var parent int64
		if it.ParentID != 0 {
			parent = ids[parents[it.ParentID]]
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO indicator_items (framework_id, parent_id, level, seq, code, title, description, kind, points, method,
per_occurrence, cap, figure_code, full_at, zero_at, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			frameworkID, parent, it.Level, i+1, it.Code, it.Title, it.Description, it.Kind, it.Points, it.Method, it.PerOccurrence, it.Cap,
			it.FigureCode, it.FullAt, it.ZeroAt, it.Evidence).Scan(&id)
		if err != nil {
			return nil, db.Classify(err)
		}
		ids[it.Code] = id
	}
	return ids, nil
}

func (Store) saveItem(ctx context.Context, tx *db.Tx, it Item) error {
	_, err := tx.Exec(ctx, `UPDATE indicator_items SET title = ?, description = ?, kind = ?, points = ?, method = ?, per_occurrence = ?, cap = ?,
figure_code = ?, full_at = ?, zero_at = ?, evidence = ? WHERE id = ?`, it.Title, it.Description, it.Kind, it.Points, it.Method, it.PerOccurrence,
		it.Cap, it.FigureCode, it.FullAt, it.ZeroAt, it.Evidence, it.ID)
	return db.Classify(err)
}

func (Store) bumpFramework(ctx context.Context, tx *db.Tx, id, version int64, at time.Time) (bool, error) {
	res, err := tx.Exec(ctx, "UPDATE indicator_frameworks SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", at.UTC(), id, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

const campaignCols = `c.id, c.name, c.year, c.framework_id, f.name, f.revision, c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
c.period_from, c.period_to, c.status, c.closed_on, c.figures_at, c.created_by, c.created_at, c.version`

const campaignFrom = ` FROM indicator_campaigns c JOIN indicator_frameworks f ON f.id = c.framework_id LEFT JOIN org_unit_refs u ON u.id = c.unit_id`

func scanCampaign(sc db.Scanner) (Campaign, error) {
	var c Campaign
	var figs sql.NullTime
	err := sc.Scan(&c.ID, &c.Name, &c.Year, &c.FrameworkID, &c.FrameworkName, &c.Revision, &c.UnitID, &c.UnitName, &c.unitPath,
		&c.PeriodFrom, &c.PeriodTo, &c.Status, &c.ClosedOn, &figs, &c.CreatedBy, &c.CreatedAt, &c.Version)
	if figs.Valid {
		c.FiguresAt = figs.Time.UTC().Format(time.RFC3339)
	}
	c.StatusLabel, c.CreatedAt = label(CampaignStatuses, c.Status), c.CreatedAt.UTC()
	return c, err
}

func (Store) campaign(ctx context.Context, q db.Querier, id int64) (*Campaign, error) {
	c, err := scanCampaign(q.QueryRow(ctx, "SELECT "+campaignCols+campaignFrom+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "测评不存在")
	}
	return &c, err
}

func (Store) campaigns(ctx context.Context, q db.Querier) ([]Campaign, error) {
	return db.All(ctx, q, scanCampaign, "SELECT "+campaignCols+campaignFrom+" ORDER BY c.year DESC, c.id DESC LIMIT 200")
}

const assignmentCols = `a.id, a.campaign_id, a.item_id, i.code, i.title, i.kind, i.method, i.points, i.figure_code, a.unit_id, COALESCE(u.name, ''),
COALESCE(u.path, ''), a.supporting, a.due_on, a.status, a.checked, a.occurrences, a.self_score, a.self_note, a.veto_failed, a.auto_value,
a.auto_score, a.auto_note, a.auto_link, a.final_score, a.overridden, a.override_reason, a.review_note, a.review_due, a.rounds, a.flow,
(SELECT COUNT(*) FROM indicator_evidence e WHERE e.assignment_id = a.id), a.updated_at, a.version`

const assignmentFrom = ` FROM indicator_assignments a JOIN indicator_items i ON i.id = a.item_id LEFT JOIN org_unit_refs u ON u.id = a.unit_id`

func nullFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	return ptr(n.Float64)
}

func scanAssignment(sc db.Scanner) (Assignment, error) {
	var a Assignment
	var self, autoV, autoS, final sql.NullFloat64
	var veto, over int
	var supporting string
	err := sc.Scan(&a.ID, &a.CampaignID, &a.ItemID, &a.ItemCode, &a.ItemTitle, &a.Kind, &a.Method, &a.Points, &a.FigureCode, &a.UnitID, &a.UnitName,
		&a.unitPath, &supporting, &a.DueOn, &a.Status, &a.checked, &a.Occurrences, &self, &a.SelfNote, &veto, &autoV,
		&autoS, &a.AutoNote, &a.AutoLink, &final, &over, &a.OverrideReason, &a.ReviewNote, &a.ReviewDue, &a.Rounds, &a.flow,
		&a.EvidenceCount, &a.UpdatedAt, &a.Version)
	a.SelfScore, a.AutoValue, a.AutoScore, a.FinalScore = nullFloat(self), nullFloat(autoV), nullFloat(autoS), nullFloat(final)
	a.VetoFailed, a.Overridden, a.UpdatedAt = veto == 1, over == 1, a.UpdatedAt.UTC()
	a.StatusLabel = label(Statuses, a.Status)
	a.Supporting = parseIDs(supporting)
	a.Checked = parseChecked(a.checked)
	return a, err
}

func parseIDs(s string) []int64 {
	out := []int64{}
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil && id > 0 {
			out = append(out, id)
		}
	}
	return out
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func parseChecked(s string) []bool {
	out := []bool{}
	for _, c := range s {
		out = append(out, c == '1')
	}
	return out
}

func formatChecked(b []bool) string {
	var sb strings.Builder
	for _, v := range b {
		sb.WriteByte("01"[b2i(v)])
	}
	return sb.String()
}

func (Store) assignment(ctx context.Context, q db.Querier, id int64) (*Assignment, error) {
	a, err := scanAssignment(q.QueryRow(ctx, "SELECT "+assignmentCols+assignmentFrom+" WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "指标任务不存在或无权查看")
	}
	return &a, err
}

func (Store) campaignAssignments(ctx context.Context, q db.Querier, campaignID int64) ([]Assignment, error) {
	return db.All(ctx, q, scanAssignment, "SELECT "+assignmentCols+assignmentFrom+" WHERE a.campaign_id = ? ORDER BY i.seq, a.id", campaignID)
}

func nullableF(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func (Store) insertAssignment(ctx context.Context, tx *db.Tx, a *Assignment, at time.Time) error {
	err := tx.QueryRow(ctx, `INSERT INTO indicator_assignments (campaign_id, item_id, unit_id, supporting, due_on, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.CampaignID, a.ItemID, a.UnitID, joinIDs(a.Supporting), a.DueOn, a.Status, at.UTC(), at.UTC()).Scan(&a.ID)
	if err != nil {
		return db.Classify(err)
	}
	a.Version = 1
	return setSupporting(ctx, tx, a.ID, a.Supporting)
}

func setSupporting(ctx context.Context, tx *db.Tx, id int64, units []int64) error {
	if _, err := tx.Exec(ctx, "DELETE FROM indicator_supporting WHERE assignment_id = ?", id); err != nil {
		return err
	}
	for _, u := range units {
		if _, err := tx.Exec(ctx, "INSERT INTO indicator_supporting (assignment_id, unit_id) VALUES (?, ?)", id, u); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

// saveAssignment writes every editable column at version loaded; false
// when the row moved on.
func (Store) saveAssignment(ctx context.Context, tx *db.Tx, a *Assignment, loaded int64, at time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE indicator_assignments SET unit_id = ?, supporting = ?, due_on = ?, status = ?, checked = ?, occurrences = ?,
self_score = ?, self_note = ?, veto_failed = ?, auto_value = ?, auto_score = ?, auto_note = ?, auto_link = ?, final_score = ?, overridden = ?,
override_reason = ?, review_note = ?, review_due = ?, rounds = ?, flow = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		a.UnitID, joinIDs(a.Supporting), a.DueOn, a.Status, formatChecked(a.Checked), a.Occurrences, nullableF(a.SelfScore), a.SelfNote,
		b2i(a.VetoFailed), nullableF(a.AutoValue), nullableF(a.AutoScore), a.AutoNote, a.AutoLink, nullableF(a.FinalScore), b2i(a.Overridden),
		a.OverrideReason, a.ReviewNote, a.ReviewDue, a.Rounds, a.flow, at.UTC(), a.ID, loaded)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	if err != nil || n != 1 {
		return false, err
	}
	a.Version = loaded + 1
	return true, setSupporting(ctx, tx, a.ID, a.Supporting)
}

func scanEvidence(sc db.Scanner) (Evidence, error) {
	var e Evidence
	err := sc.Scan(&e.ID, &e.AssignmentID, &e.FileID, &e.Name, &e.ValidFrom, &e.ValidTo, &e.ReusedFrom)
	return e, err
}

func (Store) evidence(ctx context.Context, q db.Querier, assignmentID int64) ([]Evidence, error) {
	return db.All(ctx, q, scanEvidence, `SELECT id, assignment_id, file_id, name, valid_from, valid_to, reused_from FROM indicator_evidence
WHERE assignment_id = ? ORDER BY id`, assignmentID)
}

func (Store) campaignEvidence(ctx context.Context, q db.Querier, campaignID int64) ([]Evidence, error) {
	return db.All(ctx, q, scanEvidence, `SELECT e.id, e.assignment_id, e.file_id, e.name, e.valid_from, e.valid_to, e.reused_from FROM indicator_evidence e
JOIN indicator_assignments a ON a.id = e.assignment_id WHERE a.campaign_id = ? ORDER BY e.assignment_id, e.id`, campaignID)
}

func (Store) insertEvidence(ctx context.Context, tx *db.Tx, e *Evidence, by int64, at time.Time) error {
	err := tx.QueryRow(ctx, `INSERT INTO indicator_evidence (assignment_id, file_id, name, valid_from, valid_to, reused_from, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, e.AssignmentID, e.FileID, e.Name, e.ValidFrom, e.ValidTo, e.ReusedFrom, by, at.UTC()).Scan(&e.ID)
	return db.Classify(err)
}

func (Store) events(ctx context.Context, q db.Querier, assignmentID int64) ([]Event, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Event, error) {
		var e Event
		err := sc.Scan(&e.ID, &e.At, &e.ActorName, &e.Action, &e.Note)
		e.At, e.Label = e.At.UTC(), label(Actions, e.Action)
		return e, err
	}, "SELECT id, at, actor_name, action, note FROM indicator_events WHERE assignment_id = ? ORDER BY id", assignmentID)
}

func (Store) insertEvent(ctx context.Context, q db.Querier, assignmentID, actorID int64, actorName, action, note string, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO indicator_events (assignment_id, at, actor_id, actor_name, action, note) VALUES (?, ?, ?, ?, ?, ?)",
		assignmentID, at.UTC(), actorID, actorName, action, note)
	return db.Classify(err)
}
