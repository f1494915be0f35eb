package reconsideration

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// Store holds the register's SQL. No rules here: the service checks
// permissions and gates; org data comes from the org_unit_refs view.
type Store struct{}

// The conditions shared by the ledger filters and the figures' counters
// (FigureTally), so a figure equals the total of the list behind its link.
const concludedCond = `c.concluded_on IS NOT NULL AND c.accept_kind <> ''`
const resolvedCond = `(c.outcome = 'mediation' OR c.termination = 'settlement' OR (c.outcome IN ('uphold', 'dismiss') AND c.sued = 0))`
const correctedCond = `c.outcome IN ('change', 'revoke', 'confirm_illegal', 'order_perform', 'confirm_void')`
const decidedCond = `c.outcome <> '' AND c.concluded_on IS NOT NULL`
const openDecideCond = `c.status IN ('accepted', 'replying', 'reviewing') AND c.decide_due <> ''`

const caseCols = `c.id, c.code, c.applicant_name, c.applicant_type, c.applicant_id_number, c.applicant_phone, c.applicant_address,
c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), c.act, c.act_ref, c.category, c.amount_fen, c.on_the_spot, c.consent,
c.channel, c.received_on, c.request, c.status, c.simple, c.accept_clock, c.accept_due, c.accept_kind, COALESCE(c.accepted_on, ''),
COALESCE(c.correction_on, ''), c.correction_items, c.correction_clock, c.correction_due, COALESCE(c.corrected_on, ''), c.closed_reason,
COALESCE(c.copy_sent_on, ''), c.reply_clock, c.reply_due, COALESCE(c.replied_on, ''), c.reply_late, COALESCE(c.hearing_on, ''), c.hearing_note,
c.decide_clock, c.decide_due, c.extended, c.resume_status, c.due_on, c.due_step, COALESCE(c.concluded_on, ''), c.termination, c.outcome,
c.decision_no, c.decision_reason, COALESCE(c.finding_id, 0), COALESCE(c.published_on, ''), c.opinion_kind, COALESCE(c.opinion_on, ''),
c.opinion_text, c.followup_due, COALESCE(c.followup_on, ''), c.followup_note, c.sued, c.created_by, c.created_at, c.updated_at, c.version`

const caseFrom = ` FROM reconsideration_cases c LEFT JOIN org_unit_refs u ON u.id = c.unit_id`

func scanCase(sc db.Scanner) (*Case, error) {
	var c Case
	var spot, consent, simple, late, ext, sued int
	err := sc.Scan(&c.ID, &c.Code, &c.ApplicantName, &c.ApplicantType, &c.ApplicantIDNumber, &c.ApplicantPhone, &c.ApplicantAddress,
		&c.UnitID, &c.UnitName, &c.unitPath, &c.Act, &c.ActRef, &c.Category, &c.AmountFen, &spot, &consent,
		&c.Channel, &c.ReceivedOn, &c.Request, &c.Status, &simple, &c.acceptClock, &c.AcceptDue, &c.AcceptKind, &c.AcceptedOn,
		&c.CorrectionOn, &c.CorrectionItems, &c.correctionClock, &c.CorrectionDue, &c.CorrectedOn, &c.ClosedReason,
		&c.CopySentOn, &c.replyClock, &c.ReplyDue, &c.RepliedOn, &late, &c.HearingOn, &c.HearingNote,
		&c.decideClock, &c.DecideDue, &ext, &c.resumeStatus, &c.DueOn, &c.DueStep, &c.ConcludedOn, &c.Termination, &c.Outcome,
		&c.DecisionNo, &c.DecisionReason, &c.FindingID, &c.PublishedOn, &c.OpinionKind, &c.OpinionOn,
		&c.OpinionText, &c.FollowupDue, &c.FollowupOn, &c.FollowupNote, &sued, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if err != nil {
		return nil, err
	}
	c.OnTheSpot, c.Consent, c.Simple, c.ReplyLate, c.Extended, c.Sued = spot != 0, consent != 0, simple != 0, late != 0, ext != 0, sued != 0
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func (Store) get(ctx context.Context, q db.Querier, id int64) (*Case, error) {
	c, err := scanCase(q.QueryRow(ctx, "SELECT "+caseCols+caseFrom+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "行政复议案件不存在")
	}
	return c, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// insert writes a new case under a temporary code and returns its id.
func (Store) insert(ctx context.Context, tx *db.Tx, c *Case, tmpCode string, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO reconsideration_cases (code, applicant_name, applicant_type, applicant_id_number, applicant_phone,
applicant_address, unit_id, act, act_ref, category, amount_fen, on_the_spot, consent, channel, received_on, request, status,
accept_clock, accept_due, due_on, due_step, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tmpCode, c.ApplicantName, c.ApplicantType, c.ApplicantIDNumber, c.ApplicantPhone, c.ApplicantAddress, c.UnitID, c.Act, c.ActRef,
		c.Category, c.AmountFen, b2i(c.OnTheSpot), b2i(c.Consent), c.Channel, c.ReceivedOn, c.Request, string(c.Status),
		c.acceptClock, c.AcceptDue, c.DueOn, c.DueStep, c.CreatedBy, at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, FigureTally.Added(ctx, tx, id)
}

func (Store) setCode(ctx context.Context, tx db.Querier, id int64, code string) error {
	_, err := tx.Exec(ctx, "UPDATE reconsideration_cases SET code = ? WHERE id = ?", code, id)
	return db.Classify(err)
}

// save writes every procedure column of c at version loaded; false when the
// row was not at that version. The counters move with the row.
func (Store) save(ctx context.Context, tx *db.Tx, c *Case, loaded int64, at time.Time) (bool, error) {
	var n int64
	err := FigureTally.Write(ctx, tx, c.ID, func() error {
		res, err := tx.Exec(ctx, `UPDATE reconsideration_cases SET applicant_name = ?, applicant_type = ?, applicant_id_number = ?,
applicant_phone = ?, applicant_address = ?, unit_id = ?, act = ?, act_ref = ?, category = ?, amount_fen = ?, on_the_spot = ?, consent = ?, channel = ?,
request = ?, status = ?, simple = ?, accept_clock = ?, accept_due = ?, accept_kind = ?, accepted_on = ?, correction_on = ?,
correction_items = ?, correction_clock = ?, correction_due = ?, corrected_on = ?, closed_reason = ?, copy_sent_on = ?, reply_clock = ?,
reply_due = ?, replied_on = ?, reply_late = ?, hearing_on = ?, hearing_note = ?, decide_clock = ?, decide_due = ?, extended = ?,
resume_status = ?, due_on = ?, due_step = ?, concluded_on = ?, termination = ?, outcome = ?, decision_no = ?, decision_reason = ?,
finding_id = ?, published_on = ?, opinion_kind = ?, opinion_on = ?, opinion_text = ?, followup_due = ?, followup_on = ?,
followup_note = ?, sued = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?`,
			c.ApplicantName, c.ApplicantType, c.ApplicantIDNumber, c.ApplicantPhone, c.ApplicantAddress, c.UnitID, c.Act, c.ActRef, c.Category,
			c.AmountFen, b2i(c.OnTheSpot), b2i(c.Consent), c.Channel, c.Request, string(c.Status), b2i(c.Simple), c.acceptClock, c.AcceptDue,
			c.AcceptKind, nullable(c.AcceptedOn), nullable(c.CorrectionOn), c.CorrectionItems, c.correctionClock, c.CorrectionDue,
			nullable(c.CorrectedOn), c.ClosedReason, nullable(c.CopySentOn), c.replyClock, c.ReplyDue, nullable(c.RepliedOn), b2i(c.ReplyLate),
			nullable(c.HearingOn), c.HearingNote, c.decideClock, c.DecideDue, b2i(c.Extended), c.resumeStatus, c.DueOn, c.DueStep,
			nullable(c.ConcludedOn), c.Termination, c.Outcome, c.DecisionNo, c.DecisionReason, nullableID(c.FindingID), nullable(c.PublishedOn),
			c.OpinionKind, nullable(c.OpinionOn), c.OpinionText, c.FollowupDue, nullable(c.FollowupOn), c.FollowupNote, b2i(c.Sued),
			at.UTC(), c.ID, loaded)
		if err != nil {
			return db.Classify(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n == 1, err
}

func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (Store) addEvent(ctx context.Context, q db.Querier, caseID, actorID int64, actorName, action, note string, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO reconsideration_events (case_id, at, actor_id, actor_name, action, note) VALUES (?, ?, ?, ?, ?, ?)",
		caseID, at.UTC(), actorID, actorName, action, note)
	return db.Classify(err)
}

func (Store) events(ctx context.Context, q db.Querier, id int64) ([]Event, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Event, error) {
		var e Event
		err := sc.Scan(&e.ID, &e.At, &e.ActorName, &e.Action, &e.Note)
		e.At = e.At.UTC()
		e.Label = actionLabel(e.Action)
		return e, err
	}, "SELECT id, at, actor_name, action, note FROM reconsideration_events WHERE case_id = ? ORDER BY id", id)
}

// inSubtree is the condition "col is the unit ? or below it".
func inSubtree(col string) string {
	return col + " IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')"
}

// between adds "col in [from, to]" for the ends given.
func between(conds *[]string, args *[]any, col, from, to string) {
	if from != "" {
		*conds = append(*conds, col+" >= ?")
		*args = append(*args, from)
	}
	if to != "" {
		*conds = append(*conds, col+" <= ?")
		*args = append(*args, to)
	}
}

// where builds the filter condition (without scope); today decides
// "overdue".
func (Store) where(f Filter, today string) (string, []any) {
	var conds []string
	var args []any
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `(c.code LIKE ? ESCAPE '\' OR c.applicant_name LIKE ? ESCAPE '\' OR c.act LIKE ? ESCAPE '\' OR c.decision_no LIKE ? ESCAPE '\')`)
		l := db.Like(q)
		args = append(args, l, l, l, l)
	}
	switch f.Status {
	case "":
	case StatusOpen:
		conds = append(conds, "c.status IN ('received', 'correcting', 'accepted', 'replying', 'reviewing', 'suspended')")
	default:
		conds = append(conds, "c.status = ?")
		args = append(args, f.Status)
	}
	if f.Category != "" {
		conds = append(conds, "c.category = ?")
		args = append(args, f.Category)
	}
	if f.Outcome != "" {
		conds = append(conds, "c.outcome = ?")
		args = append(args, f.Outcome)
	}
	if f.UnitID > 0 {
		conds = append(conds, inSubtree("c.unit_id"))
		args = append(args, f.UnitID)
	}
	switch f.Simple {
	case "true":
		conds = append(conds, "c.simple = 1")
	case "false":
		conds = append(conds, "c.simple = 0")
	}
	if f.Overdue {
		conds = append(conds, "c.status IN ('received', 'correcting', 'accepted', 'replying', 'reviewing') AND c.due_on <> '' AND c.due_on < ?")
		args = append(args, today)
	}
	between(&conds, &args, "c.received_on", f.ReceivedFrom, f.ReceivedTo)
	if f.AcceptedFrom != "" || f.AcceptedTo != "" {
		conds = append(conds, "c.accepted_on IS NOT NULL")
		between(&conds, &args, "c.accepted_on", f.AcceptedFrom, f.AcceptedTo)
	}
	if f.ConcludedFrom != "" || f.ConcludedTo != "" {
		conds = append(conds, concludedCond)
		between(&conds, &args, "c.concluded_on", f.ConcludedFrom, f.ConcludedTo)
	}
	if f.Corrected {
		conds = append(conds, decidedCond+" AND "+correctedCond)
	}
	if f.Resolved {
		conds = append(conds, concludedCond+" AND "+resolvedCond)
	}
	if f.AccountableFrom != "" || f.AccountableTo != "" {
		c, a := db.Accountable(decidedCond, openDecideCond, "c.concluded_on", "c.decide_due", f.AccountableFrom, f.AccountableTo, today)
		conds = append(conds, c)
		args = append(args, a...)
	}
	if f.OnTime {
		conds = append(conds, decidedCond+" AND c.decide_due <> '' AND c.concluded_on <= c.decide_due")
	}
	if len(conds) == 0 {
		return "1=1", nil
	}
	return strings.Join(conds, " AND "), args
}

// listSQL is the register query for f within a scope clause: the list, the
// export's cursor and the EXPLAIN test run it.
func (st Store) listSQL(f Filter, today, scope string, scopeArgs []any) db.ListSQL {
	w, args := st.where(f, today)
	return db.ListSQL{Cols: caseCols, From: strings.TrimPrefix(caseFrom, " FROM "), CountFrom: "reconsideration_cases c",
		Where: scope + " AND " + w, Args: append(append([]any(nil), scopeArgs...), args...), Order: []db.Key{{Expr: "c.id", Desc: true}}}
}
