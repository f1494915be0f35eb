package litigation

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
// (CaseTally, HearingTally), so a figure equals the total of the list
// behind its link.
const (
	judgedCond      = `c.outcome <> '' AND c.judged_on IS NOT NULL`
	lostCond        = `c.outcome IN ('lost', 'partly_lost')`
	defenceDoneCond = `c.defence_done_on IS NOT NULL`
	defenceOpenCond = `c.defence_done_on IS NULL AND c.status = 'open'`
	defenceOnTime   = `c.defence_done_on IS NOT NULL AND c.defence_done_on <= c.defence_due`
	suggDoneCond    = `c.suggestion_reply_on IS NOT NULL`
	suggOpenCond    = `c.suggestion_on IS NOT NULL AND c.suggestion_reply_on IS NULL`
	suggOnTimeCond  = `c.suggestion_reply_on IS NOT NULL AND c.suggestion_reply_on <= c.suggestion_due`
	heldCond        = `h.appearance <> ''`
	headCountedCond = `h.appearance IN ('head', 'deputy')`
	reviewOpenCond  = `c.review_due <> '' AND c.review_on IS NULL`
	storedRiskCond  = `(c.risk_recon <> '' OR c.risk_cert <> '' OR c.risk_hit <> '')`
)

// lateCond is the defence-late rule (RiskLate) as a condition: the
// statement or the evidence came after the deadline, or one of them is
// still missing once the deadline has passed (unless the lawsuit ended
// before it). The one parameter is today.
const lateCond = `(c.defence_on > c.defence_due OR c.evidence_on > c.defence_due OR ((c.defence_on IS NULL OR c.evidence_on IS NULL)
AND c.defence_due < ? AND (c.judged_on IS NULL OR c.judged_on > c.defence_due)))`

const caseCols = `c.id, c.code, c.case_no, c.court, c.cause, c.instance, c.plaintiff_name, c.plaintiff_type, c.plaintiff_id_number,
c.plaintiff_phone, c.plaintiff_address, c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), c.act, c.act_ref, COALESCE(c.recon_case_id, 0),
c.recon_code, COALESCE(c.enforcement_case_id, 0), c.enforcement_code, c.received_on, c.defence_due, COALESCE(c.defence_on, ''),
COALESCE(c.evidence_on, ''), COALESCE(c.defence_done_on, ''), c.status, c.hearings_held, c.outcome, COALESCE(c.judged_on, ''), c.judgement_no,
c.judgement_note, COALESCE(c.finding_id, 0), c.review_due, COALESCE(c.review_on, ''), c.review_by, c.review_conclusion,
COALESCE(c.suggestion_on, ''), c.suggestion_text, c.suggestion_due, COALESCE(c.suggestion_reply_on, ''), c.suggestion_reply,
c.risk_recon, c.risk_cert, c.risk_hit, c.risk_checked_on, c.created_by, c.created_at, c.updated_at, c.version`

const caseFrom = ` FROM litigation_cases c LEFT JOIN org_unit_refs u ON u.id = c.unit_id`

func scanCase(sc db.Scanner) (*Case, error) {
	var c Case
	err := sc.Scan(&c.ID, &c.Code, &c.CaseNo, &c.Court, &c.Cause, &c.Instance, &c.PlaintiffName, &c.PlaintiffType, &c.PlaintiffIDNumber,
		&c.PlaintiffPhone, &c.PlaintiffAddress, &c.UnitID, &c.UnitName, &c.unitPath, &c.Act, &c.ActRef, &c.ReconCaseID,
		&c.ReconCode, &c.EnforcementCaseID, &c.EnforcementCode, &c.ReceivedOn, &c.DefenceDue, &c.DefenceOn,
		&c.EvidenceOn, &c.defenceDoneOn, &c.Status, &c.HearingsHeld, &c.Outcome, &c.JudgedOn, &c.JudgementNo,
		&c.JudgementNote, &c.FindingID, &c.ReviewDue, &c.ReviewOn, &c.ReviewBy, &c.ReviewConclusion,
		&c.SuggestionOn, &c.SuggestionText, &c.SuggestionDue, &c.SuggestionReplyOn, &c.SuggestionReply,
		&c.riskRecon, &c.riskCert, &c.riskHit, &c.RiskCheckedOn, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	if err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &c, nil
}

func (Store) get(ctx context.Context, q db.Querier, id int64) (*Case, error) {
	c, err := scanCase(q.QueryRow(ctx, "SELECT "+caseCols+caseFrom+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "行政应诉案件不存在")
	}
	return c, err
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullableID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// insert writes a new lawsuit under a temporary code and returns its id;
// the counters move in the same transaction.
func (Store) insert(ctx context.Context, tx *db.Tx, c *Case, tmpCode string, year int, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO litigation_cases (code, case_no, court, cause, instance, plaintiff_name, plaintiff_type,
plaintiff_id_number, plaintiff_phone, plaintiff_address, unit_id, act, act_ref, recon_case_id, recon_code, enforcement_case_id,
enforcement_code, received_on, received_year, defence_due, status, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tmpCode, c.CaseNo, c.Court, c.Cause, c.Instance, c.PlaintiffName, c.PlaintiffType, c.PlaintiffIDNumber, c.PlaintiffPhone,
		c.PlaintiffAddress, c.UnitID, c.Act, c.ActRef, nullableID(c.ReconCaseID), c.ReconCode, nullableID(c.EnforcementCaseID),
		c.EnforcementCode, c.ReceivedOn, year, c.DefenceDue, string(c.Status), c.CreatedBy, at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, CaseTally.Added(ctx, tx, id)
}

func (Store) setCode(ctx context.Context, q db.Querier, id int64, code string) error {
	_, err := q.Exec(ctx, "UPDATE litigation_cases SET code = ? WHERE id = ?", code, id)
	return db.Classify(err)
}

// save writes every editable column of c at version loaded; false when the
// row was not at that version. The counters move with the row.
func (Store) save(ctx context.Context, tx *db.Tx, c *Case, loaded int64, at time.Time) (bool, error) {
	var n int64
	err := CaseTally.Write(ctx, tx, c.ID, func() error {
		res, err := tx.Exec(ctx, `UPDATE litigation_cases SET case_no = ?, court = ?, cause = ?, instance = ?, plaintiff_name = ?,
plaintiff_type = ?, plaintiff_id_number = ?, plaintiff_phone = ?, plaintiff_address = ?, act = ?, act_ref = ?, recon_case_id = ?,
recon_code = ?, enforcement_case_id = ?, enforcement_code = ?, defence_on = ?, evidence_on = ?, defence_done_on = ?, status = ?,
hearings_held = ?, outcome = ?, judged_on = ?, judgement_no = ?, judgement_note = ?, finding_id = ?, review_due = ?, review_on = ?,
review_by = ?, review_conclusion = ?, suggestion_on = ?, suggestion_text = ?, suggestion_due = ?, suggestion_reply_on = ?,
suggestion_reply = ?, risk_recon = ?, risk_cert = ?, risk_hit = ?, risk_checked_on = ?, updated_at = ?, version = version + 1
WHERE id = ? AND version = ?`,
			c.CaseNo, c.Court, c.Cause, c.Instance, c.PlaintiffName, c.PlaintiffType, c.PlaintiffIDNumber, c.PlaintiffPhone,
			c.PlaintiffAddress, c.Act, c.ActRef, nullableID(c.ReconCaseID), c.ReconCode, nullableID(c.EnforcementCaseID), c.EnforcementCode,
			nullable(c.DefenceOn), nullable(c.EvidenceOn), nullable(c.defenceDoneOn), string(c.Status), c.HearingsHeld, c.Outcome,
			nullable(c.JudgedOn), c.JudgementNo, c.JudgementNote, nullableID(c.FindingID), c.ReviewDue, nullable(c.ReviewOn), c.ReviewBy,
			c.ReviewConclusion, nullable(c.SuggestionOn), c.SuggestionText, c.SuggestionDue, nullable(c.SuggestionReplyOn), c.SuggestionReply,
			c.riskRecon, c.riskCert, c.riskHit, c.RiskCheckedOn, at.UTC(), c.ID, loaded)
		if err != nil {
			return db.Classify(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n == 1, err
}

func (Store) addEvent(ctx context.Context, q db.Querier, caseID, actorID int64, actorName, action, note string, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO litigation_events (case_id, at, actor_id, actor_name, action, note) VALUES (?, ?, ?, ?, ?, ?)",
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
	}, "SELECT id, at, actor_name, action, note FROM litigation_events WHERE case_id = ? ORDER BY id", id)
}

// ---- hearings ----

const hearingCols = `h.id, h.case_id, c.code, c.case_no, COALESCE(u.name, ''), h.held_on, h.appearance, h.attendee, h.note, h.version`
const hearingFrom = `litigation_hearings h JOIN litigation_cases c ON c.id = h.case_id LEFT JOIN org_unit_refs u ON u.id = h.unit_id`

func scanHearing(sc db.Scanner) (Hearing, error) {
	var h Hearing
	err := sc.Scan(&h.ID, &h.CaseID, &h.CaseCode, &h.CaseNo, &h.UnitName, &h.HeldOn, &h.Appearance, &h.Attendee, &h.Note, &h.Version)
	return h, err
}

func (Store) hearings(ctx context.Context, q db.Querier, caseID int64) ([]Hearing, error) {
	return db.All(ctx, q, scanHearing, "SELECT "+hearingCols+" FROM "+hearingFrom+" WHERE h.case_id = ? ORDER BY h.held_on, h.id", caseID)
}

func (Store) hearing(ctx context.Context, q db.Querier, id int64) (Hearing, error) {
	h, err := scanHearing(q.QueryRow(ctx, "SELECT "+hearingCols+" FROM "+hearingFrom+" WHERE h.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.New(apperr.NotFound, "庭审记录不存在")
	}
	return h, err
}

func (Store) insertHearing(ctx context.Context, tx *db.Tx, caseID, unitID int64, h Hearing, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO litigation_hearings (case_id, unit_id, held_on, appearance, attendee, note, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, caseID, unitID, h.HeldOn, h.Appearance, h.Attendee, h.Note, at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, HearingTally.Added(ctx, tx, id)
}

func (Store) saveHearing(ctx context.Context, tx *db.Tx, h Hearing, loaded int64) (bool, error) {
	var n int64
	err := HearingTally.Write(ctx, tx, h.ID, func() error {
		res, err := tx.Exec(ctx, `UPDATE litigation_hearings SET held_on = ?, appearance = ?, attendee = ?, note = ?, version = version + 1
WHERE id = ? AND version = ?`, h.HeldOn, h.Appearance, h.Attendee, h.Note, h.ID, loaded)
		if err != nil {
			return db.Classify(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n == 1, err
}

// ---- lists ----

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

// where builds the filter condition (without scope); today decides the
// defence-late rule and the accountable periods.
func (Store) where(f Filter, today string) (string, []any) {
	var conds []string
	var args []any
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `(c.code LIKE ? ESCAPE '\' OR c.case_no LIKE ? ESCAPE '\' OR c.plaintiff_name LIKE ? ESCAPE '\' OR c.court LIKE ? ESCAPE '\' OR c.act LIKE ? ESCAPE '\')`)
		l := db.Like(q)
		args = append(args, l, l, l, l, l)
	}
	if f.Status != "" {
		conds = append(conds, "c.status = ?")
		args = append(args, f.Status)
	}
	if f.UnitID > 0 {
		conds = append(conds, inSubtree("c.unit_id"))
		args = append(args, f.UnitID)
	}
	if f.Year > 0 {
		conds = append(conds, "c.received_year = ?")
		args = append(args, f.Year)
	}
	if c := strings.TrimSpace(f.Court); c != "" {
		conds = append(conds, `c.court LIKE ? ESCAPE '\'`)
		args = append(args, db.Like(c))
	}
	if f.Outcome != "" {
		conds = append(conds, "c.outcome = ?")
		args = append(args, f.Outcome)
	}
	switch f.Risk {
	case "":
	case "any":
		conds = append(conds, "("+storedRiskCond+" OR "+lateCond+")")
		args = append(args, today)
	case RiskLate:
		conds = append(conds, lateCond)
		args = append(args, today)
	case RiskRecon:
		conds = append(conds, "c.risk_recon <> ''")
	case RiskCert:
		conds = append(conds, "c.risk_cert <> ''")
	case RiskRuleHit:
		conds = append(conds, "c.risk_hit <> ''")
	}
	between(&conds, &args, "c.received_on", f.ReceivedFrom, f.ReceivedTo)
	if f.JudgedFrom != "" || f.JudgedTo != "" || f.Lost {
		conds = append(conds, judgedCond)
		between(&conds, &args, "c.judged_on", f.JudgedFrom, f.JudgedTo)
	}
	if f.Lost {
		conds = append(conds, lostCond)
	}
	if f.DefenceFrom != "" || f.DefenceTo != "" {
		c, a := db.Accountable(defenceDoneCond, defenceOpenCond, "c.defence_done_on", "c.defence_due", f.DefenceFrom, f.DefenceTo, today)
		conds = append(conds, c)
		args = append(args, a...)
	}
	if f.DefenceOnTime {
		conds = append(conds, defenceOnTime)
	}
	if f.SuggestionFrom != "" || f.SuggestionTo != "" {
		c, a := db.Accountable(suggDoneCond, suggOpenCond, "c.suggestion_reply_on", "c.suggestion_due", f.SuggestionFrom, f.SuggestionTo, today)
		conds = append(conds, c)
		args = append(args, a...)
	}
	if f.SuggestionOnTime {
		conds = append(conds, suggOnTimeCond)
	}
	if f.ReviewOpen {
		conds = append(conds, reviewOpenCond)
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
	return db.ListSQL{Cols: caseCols, From: strings.TrimPrefix(caseFrom, " FROM "), CountFrom: "litigation_cases c",
		Where: scope + " AND " + w, Args: append(append([]any(nil), scopeArgs...), args...), Order: []db.Key{{Expr: "c.id", Desc: true}}}
}

// hearingSQL is the hearing list behind the head-in-court rate.
func (Store) hearingSQL(f HearingFilter, scope string, scopeArgs []any) db.ListSQL {
	conds := []string{scope, heldCond}
	args := append([]any(nil), scopeArgs...)
	between(&conds, &args, "h.held_on", f.From, f.To)
	if f.UnitID > 0 {
		conds = append(conds, inSubtree("h.unit_id"))
		args = append(args, f.UnitID)
	}
	if f.HeadCounted {
		conds = append(conds, headCountedCond)
	}
	if f.CaseID > 0 {
		conds = append(conds, "h.case_id = ?")
		args = append(args, f.CaseID)
	}
	return db.ListSQL{Cols: hearingCols, From: hearingFrom, CountFrom: "litigation_hearings h", Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "h.id", Desc: true}}}
}
