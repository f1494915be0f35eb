package disclosure

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

// Store holds the register's SQL (disclosure_requests, disclosure_events,
// disclosure_public_intake). No business rules here.
type Store struct{}

const reqCols = `r.id, r.code, r.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), r.channel, r.applicant_type, r.applicant_name,
r.id_number, r.phone, r.address, r.content, r.purpose, r.submitted_on, r.signed_on, r.confirmed_on, r.received_on, r.receipt_rule,
r.status, r.clock, r.reply_due, r.due_explain, r.due_provisional, r.correction_due, COALESCE(r.correction_on, ''), r.correction_items,
r.correction_until, COALESCE(r.corrected_on, ''), r.consult_party, COALESCE(r.consult_on, ''), r.consult_due,
COALESCE(r.consult_closed_on, ''), r.consult_result, COALESCE(r.extended_on, ''), r.extension_days, r.extension_by, r.extension_reason,
COALESCE(r.secrecy_on, ''), r.secrecy_by, r.secrecy_result, r.secrecy_note, r.fee_method, r.fee_quantity, r.fee_fen,
COALESCE(r.fee_noticed_on, ''), COALESCE(r.fee_paid_on, ''), r.reply_type, r.reply_reason, r.stat_group, r.stat_row, r.reply_no,
r.reply_text, COALESCE(r.done_on, ''), r.on_time, r.created_by, r.created_at, r.updated_at, r.version`

const reqFrom = ` FROM disclosure_requests r LEFT JOIN org_unit_refs u ON u.id = r.unit_id`

func scanRequest(sc db.Scanner) (*Request, error) {
	var r Request
	var prov, onTime int
	var clock string
	err := sc.Scan(&r.ID, &r.Code, &r.UnitID, &r.UnitName, &r.unitPath, &r.Channel, &r.ApplicantType, &r.ApplicantName,
		&r.IDNumber, &r.Phone, &r.Address, &r.Content, &r.Purpose, &r.SubmittedOn, &r.SignedOn, &r.ConfirmedOn, &r.ReceivedOn, &r.ReceiptRule,
		&r.Status, &clock, &r.ReplyDue, &r.DueExplain, &prov, &r.CorrectionDue, &r.CorrectionOn, &r.CorrectionItems,
		&r.CorrectionUntil, &r.CorrectedOn, &r.ConsultParty, &r.ConsultOn, &r.ConsultDue,
		&r.ConsultClosedOn, &r.ConsultResult, &r.ExtendedOn, &r.ExtensionDays, &r.ExtensionBy, &r.ExtensionReason,
		&r.SecrecyOn, &r.SecrecyBy, &r.SecrecyResult, &r.SecrecyNote, &r.FeeMethod, &r.FeeQuantity, &r.FeeFen,
		&r.FeeNoticedOn, &r.FeePaidOn, &r.ReplyType, &r.ReplyReason, &r.StatGroup, &r.StatRow, &r.ReplyNo,
		&r.ReplyText, &r.DoneOn, &onTime, &r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	if err != nil {
		return nil, err
	}
	r.DueProvisional, r.OnTime = prov != 0, onTime != 0
	r.clock = []byte(clock)
	r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
	return &r, nil
}

func (Store) request(ctx context.Context, q db.Querier, id int64) (*Request, error) {
	r, err := scanRequest(q.QueryRow(ctx, "SELECT "+reqCols+reqFrom+" WHERE r.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "依申请公开申请不存在")
	}
	return r, err
}

// inSubtree is the condition "col is the unit ? or below it".
func inSubtree(col string) string {
	return col + " IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')"
}

const openCond = "r.status NOT IN ('replied', 'closed')"

// where builds the filter condition (without scope); today decides overdue.
func (Store) where(f Filter, today string) (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) { conds = append(conds, c); args = append(args, a...) }
	if q := strings.TrimSpace(f.Q); q != "" {
		l := db.Like(q)
		add(`(r.code LIKE ? ESCAPE '\' OR r.applicant_name LIKE ? ESCAPE '\' OR r.content LIKE ? ESCAPE '\')`, l, l, l)
	}
	switch f.Status {
	case "":
	case StatusOpen:
		add(openCond)
	default:
		add("r.status = ?", f.Status)
	}
	if f.Channel != "" {
		add("r.channel = ?", f.Channel)
	}
	if f.ApplicantType != "" {
		add("r.applicant_type = ?", f.ApplicantType)
	}
	if f.ReplyType != "" {
		add("r.reply_type = ?", f.ReplyType)
	}
	if f.StatGroup != "" {
		add("r.stat_group = ?", f.StatGroup)
	}
	if f.UnitID > 0 {
		add(inSubtree("r.unit_id"), f.UnitID)
	}
	if f.Overdue {
		add("r.status = 'processing' AND r.reply_due < ?", today)
	}
	if f.Year > 0 {
		add("r.received_on >= ? AND r.received_on <= ?", strconv.Itoa(f.Year)+"-01-01", strconv.Itoa(f.Year)+"-12-31")
	}
	if f.AccountableFrom != "" || f.AccountableTo != "" {
		c, a := db.Accountable("r.status = 'replied'", "r.status = 'processing'", "r.done_on", "r.reply_due", f.AccountableFrom, f.AccountableTo, today)
		add(c, a...)
	}
	if f.OnTime {
		add("r.status = 'replied' AND r.on_time = 1")
	}
	if f.ReceivedFrom != "" || f.ReceivedTo != "" {
		add("r.received_on >= ? AND r.received_on <= ?", orMin(f.ReceivedFrom), orMax(f.ReceivedTo))
	}
	if f.CorrectionFrom != "" || f.CorrectionTo != "" {
		add("r.correction_on >= ? AND r.correction_on <= ?", orMin(f.CorrectionFrom), orMax(f.CorrectionTo))
	}
	if f.ExtendedFrom != "" || f.ExtendedTo != "" {
		add("r.extended_on >= ? AND r.extended_on <= ?", orMin(f.ExtendedFrom), orMax(f.ExtendedTo))
	}
	if len(conds) == 0 {
		return "1=1", nil
	}
	return strings.Join(conds, " AND "), args
}

func orMin(s string) string {
	if s == "" {
		return "0000-01-01"
	}
	return s
}

func orMax(s string) string {
	if s == "" {
		return "9999-12-31"
	}
	return s
}

// listSQL is the register query for f within a scope clause: the list, the
// export's cursor and the EXPLAIN test run it.
func (st Store) listSQL(f Filter, today, scope string, scopeArgs []any) db.ListSQL {
	w, args := st.where(f, today)
	return db.ListSQL{Cols: reqCols, From: strings.TrimPrefix(reqFrom, " FROM "), CountFrom: "disclosure_requests r",
		Where: scope + " AND " + w, Args: append(append([]any(nil), scopeArgs...), args...), Order: []db.Key{{Expr: "r.id", Desc: true}}}
}

// insertRow is a new request as written.
type insertRow struct {
	UnitID                                                 int64
	Channel, ApplicantType, ApplicantName                  string
	IDNumber, Phone, Address, Content, Purpose             string
	SubmittedOn, SignedOn, ConfirmedOn, ReceivedOn, Rule   string
	Clock, ReplyDue, DueExplain, CorrectionDue, StatusCode string
	Provisional                                            bool
	CreatedBy                                              int64
	At                                                     time.Time
}

// insert writes a request under a temporary code and returns its id; the
// figures' counters move with it.
func (Store) insert(ctx context.Context, tx db.Querier, r insertRow, tmpCode string) (int64, error) {
	prov := 0
	if r.Provisional {
		prov = 1
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO disclosure_requests (code, unit_id, channel, applicant_type, applicant_name, id_number, phone, address,
content, purpose, submitted_on, signed_on, confirmed_on, received_on, receipt_rule, status, clock, reply_due, due_explain, due_provisional,
correction_due, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tmpCode, r.UnitID, r.Channel, r.ApplicantType, r.ApplicantName, r.IDNumber, r.Phone, r.Address, r.Content, r.Purpose,
		r.SubmittedOn, r.SignedOn, r.ConfirmedOn, r.ReceivedOn, r.Rule, r.StatusCode, r.Clock, r.ReplyDue, r.DueExplain, prov,
		r.CorrectionDue, r.CreatedBy, r.At.UTC(), r.At.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, FigureTally.Added(ctx, tx, id)
}

func (Store) setCode(ctx context.Context, tx db.Querier, id int64, code string) error {
	_, err := tx.Exec(ctx, "UPDATE disclosure_requests SET code = ? WHERE id = ?", code, id)
	return db.Classify(err)
}

// bump updates the row with the version check; sets are "col = ?" pairs.
// It reports whether the row was at that version. The figures' counters
// move with the row in tx.
func (Store) bump(ctx context.Context, tx db.Querier, id int64, version int, at time.Time, sets []string, args ...any) (bool, error) {
	q := "UPDATE disclosure_requests SET " + strings.Join(append(sets, "version = version + 1", "updated_at = ?"), ", ") + " WHERE id = ? AND version = ?"
	var n int64
	err := FigureTally.Write(ctx, tx, id, func() error {
		res, err := tx.Exec(ctx, q, append(args, at.UTC(), id, version)...)
		if err != nil {
			return db.Classify(err)
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n == 1, err
}

func (Store) addEvent(ctx context.Context, q db.Querier, id, actorID int64, actorName, action, note string, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO disclosure_events (request_id, at, actor_id, actor_name, action, note) VALUES (?, ?, ?, ?, ?, ?)",
		id, at.UTC(), actorID, actorName, action, note)
	return err
}

func (Store) events(ctx context.Context, q db.Querier, id int64) ([]Event, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Event, error) {
		var e Event
		err := sc.Scan(&e.ID, &e.At, &e.ActorName, &e.Action, &e.Note)
		e.At = e.At.UTC()
		e.Label = actionLabels[e.Action]
		if e.Label == "" {
			e.Label = e.Action
		}
		return e, err
	}, "SELECT id, at, actor_name, action, note FROM disclosure_events WHERE request_id = ? ORDER BY id", id)
}

// publicSince counts the online submissions from one address hash since a
// moment (RFC 3339 text, UTC).
func (Store) publicSince(ctx context.Context, q db.Querier, addrHash, since string) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM disclosure_public_intake WHERE addr_hash = ? AND at >= ?", addrHash, since).Scan(&n)
	return n, err
}

func (Store) addPublic(ctx context.Context, q db.Querier, addrHash, at string, id int64, secretHash string) error {
	_, err := q.Exec(ctx, "INSERT INTO disclosure_public_intake (addr_hash, at, request_id, secret_hash) VALUES (?, ?, ?, ?)", addrHash, at, id, secretHash)
	return err
}

// publicByCode finds an online submission by its request's code (the
// unique code index): the request's id and the stored secret hash.
func (Store) publicByCode(ctx context.Context, q db.Querier, code string) (int64, string, error) {
	var id int64
	var hash string
	err := q.QueryRow(ctx, `SELECT r.id, p.secret_hash FROM disclosure_requests r JOIN disclosure_public_intake p ON p.request_id = r.id
WHERE r.code = ?`, code).Scan(&id, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return id, hash, err
}

// statRow is one request as the annual table counts it.
type statRowData struct {
	ApplicantType, ReceivedOn, DoneOn, Status, StatRow string
}

// statRows reads the requests the annual table of year counts (received
// by its end and not finished before its start) within a scope clause.
func (Store) statRows(ctx context.Context, q db.Querier, year int, scope string, scopeArgs []any) ([]statRowData, error) {
	from, to := strconv.Itoa(year)+"-01-01", strconv.Itoa(year)+"-12-31"
	args := append([]any{to, from}, scopeArgs...)
	return db.All(ctx, q, func(sc db.Scanner) (statRowData, error) {
		var r statRowData
		err := sc.Scan(&r.ApplicantType, &r.ReceivedOn, &r.DoneOn, &r.Status, &r.StatRow)
		return r, err
	}, `SELECT r.applicant_type, r.received_on, COALESCE(r.done_on, ''), r.status, r.stat_row FROM disclosure_requests r
WHERE r.received_on <= ? AND (r.done_on IS NULL OR r.done_on >= ?) AND `+scope, args...)
}
