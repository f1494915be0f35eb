package mediation

import (
	"context"
	"database/sql"
	"errors"
	"fazhi/internal/platform/option"
	"strconv"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// Store holds all of the register's SQL (mediation_committees,
// mediation_mediators, mediation_cases, mediation_steps). No rules here:
// the Service checks permissions and validates. Unit names and paths come
// from org's published view org_unit_refs.
type Store struct{}

// ---- committees ----

const committeeCols = `m.id, m.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), m.name, m.kind, m.established_on, m.note, m.active,
(SELECT COUNT(*) FROM mediation_mediators x WHERE x.committee_id = m.id AND x.active = 1), m.updated_at, m.version`

const committeeFrom = ` FROM mediation_committees m LEFT JOIN org_unit_refs u ON u.id = m.unit_id`

func scanCommittee(sc db.Scanner) (Committee, error) {
	var c Committee
	var active int
	err := sc.Scan(&c.ID, &c.UnitID, &c.UnitName, &c.unitPath, &c.Name, &c.Kind, &c.EstablishedOn, &c.Note, &active, &c.Mediators, &c.UpdatedAt, &c.Version)
	c.Active = active != 0
	c.KindLabel = option.Label(CommitteeKinds, c.Kind)
	c.UpdatedAt = c.UpdatedAt.UTC()
	return c, err
}

func (Store) committee(ctx context.Context, q db.Querier, id int64) (*Committee, error) {
	c, err := scanCommittee(q.QueryRow(ctx, "SELECT "+committeeCols+committeeFrom+" WHERE m.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "调解委员会不存在")
	}
	return &c, err
}

// committees lists the committees within a scope clause over m.unit_id.
func (Store) committees(ctx context.Context, q db.Querier, scope string, args []any) ([]Committee, error) {
	return db.All(ctx, q, scanCommittee, "SELECT "+committeeCols+committeeFrom+" WHERE "+scope+" ORDER BY u.path, m.id", args...)
}

func (Store) insertCommittee(ctx context.Context, tx db.Querier, c *Committee, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO mediation_committees (unit_id, name, kind, established_on, note, active, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, c.UnitID, c.Name, c.Kind, c.EstablishedOn, c.Note, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateCommittee(ctx context.Context, tx db.Querier, c *Committee, version int, at time.Time) (bool, error) {
	active := 0
	if c.Active {
		active = 1
	}
	res, err := tx.Exec(ctx, `UPDATE mediation_committees SET name = ?, kind = ?, established_on = ?, note = ?, active = ?, updated_at = ?, version = version + 1
WHERE id = ? AND version = ?`, c.Name, c.Kind, c.EstablishedOn, c.Note, active, at.UTC(), c.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// unitPath reads a unit's name and path from org's view.
func (Store) unit(ctx context.Context, q db.Querier, id int64) (name, path string, err error) {
	err = q.QueryRow(ctx, "SELECT name, path FROM org_unit_refs WHERE id = ?", id).Scan(&name, &path)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", apperr.New(apperr.NotFound, "单位不存在")
	}
	return name, path, err
}

// ---- mediators ----

const mediatorCols = `id, committee_id, unit_id, name, duty, phone, full_time, active, version`

func scanMediator(sc db.Scanner) (Mediator, error) {
	var m Mediator
	var ft, active int
	err := sc.Scan(&m.ID, &m.CommitteeID, &m.UnitID, &m.Name, &m.Duty, &m.Phone, &ft, &active, &m.Version)
	m.FullTime, m.Active = ft != 0, active != 0
	return m, err
}

func (Store) mediators(ctx context.Context, q db.Querier, committeeID int64) ([]Mediator, error) {
	return db.All(ctx, q, scanMediator, "SELECT "+mediatorCols+" FROM mediation_mediators WHERE committee_id = ? ORDER BY active DESC, id", committeeID)
}

func (Store) mediator(ctx context.Context, q db.Querier, id int64) (*Mediator, error) {
	m, err := scanMediator(q.QueryRow(ctx, "SELECT "+mediatorCols+" FROM mediation_mediators WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "调解员不存在")
	}
	return &m, err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (Store) insertMediator(ctx context.Context, tx db.Querier, m *Mediator, at time.Time) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO mediation_mediators (committee_id, unit_id, name, duty, phone, full_time, active, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`, m.CommitteeID, m.UnitID, m.Name, m.Duty, m.Phone, b2i(m.FullTime), at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateMediator(ctx context.Context, tx db.Querier, m *Mediator, version int, at time.Time) (bool, error) {
	res, err := tx.Exec(ctx, `UPDATE mediation_mediators SET name = ?, duty = ?, phone = ?, full_time = ?, active = ?, updated_at = ?, version = version + 1
WHERE id = ? AND version = ?`, m.Name, m.Duty, m.Phone, b2i(m.FullTime), b2i(m.Active), at.UTC(), m.ID, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ---- cases ----

const caseCols = `c.id, COALESCE(c.code, ''), c.case_no, c.committee_id, COALESCE(m.name, ''), c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
COALESCE(c.mediator_id, 0), COALESCE(p.name, ''), c.dispute_type, c.source, c.source_ref, c.received_on, c.parties, c.party_phone,
c.party_id_number, c.party_address, c.summary, c.status, c.sessions, COALESCE(c.closed_on, ''), c.failed_reason, c.agreement_form,
c.agreement_terms, COALESCE(c.confirm_due, ''), COALESCE(c.confirm_applied_on, ''), c.confirm_court, c.confirm_result,
COALESCE(c.confirm_result_on, ''), c.followups, c.fulfilment, COALESCE(c.fulfilled_on, ''), COALESCE(c.litigation_on, ''),
c.created_at, c.updated_at, c.version`

const caseFrom = `mediation_cases c LEFT JOIN mediation_committees m ON m.id = c.committee_id LEFT JOIN org_unit_refs u ON u.id = c.unit_id
LEFT JOIN mediation_mediators p ON p.id = c.mediator_id`

func scanCase(sc db.Scanner) (Case, error) {
	var c Case
	err := sc.Scan(&c.ID, &c.Code, &c.CaseNo, &c.CommitteeID, &c.CommitteeName, &c.UnitID, &c.UnitName, &c.unitPath,
		&c.MediatorID, &c.MediatorName, &c.DisputeType, &c.Source, &c.SourceRef, &c.ReceivedOn, &c.Parties, &c.PartyPhone,
		&c.PartyIDNumber, &c.PartyAddress, &c.Summary, &c.Status, &c.Sessions, &c.ClosedOn, &c.FailedReason, &c.AgreementForm,
		&c.AgreementTerms, &c.ConfirmDue, &c.ConfirmAppliedOn, &c.ConfirmCourt, &c.ConfirmResult,
		&c.ConfirmResultOn, &c.Followups, &c.Fulfilment, &c.FulfilledOn, &c.LitigationOn,
		&c.CreatedAt, &c.UpdatedAt, &c.Version)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return c, err
}

func (Store) caseByID(ctx context.Context, q db.Querier, id int64) (*Case, error) {
	c, err := scanCase(q.QueryRow(ctx, "SELECT "+caseCols+" FROM "+caseFrom+" WHERE c.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "调解案件不存在")
	}
	return &c, err
}

// inSubtree is the condition "col is the unit ? or below it".
func inSubtree(col string) string {
	return col + " IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')"
}

// where builds the filter condition (scope apart). Each period filter uses
// exactly the condition of the figure that links to it (FigureTally).
func (Store) where(f Filter) (string, []any) {
	var conds []string
	var args []any
	add := func(c string, a ...any) {
		conds = append(conds, c)
		args = append(args, a...)
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		l := db.Like(q)
		add(`(c.code LIKE ? ESCAPE '\' OR c.case_no LIKE ? ESCAPE '\' OR c.parties LIKE ? ESCAPE '\' OR c.summary LIKE ? ESCAPE '\')`, l, l, l, l)
	}
	switch f.Status {
	case "":
	case StatusOpen:
		add("c.status IN ('accepted', 'mediating')")
	default:
		add("c.status = ?", f.Status)
	}
	if f.DisputeType != "" {
		add("c.dispute_type = ?", f.DisputeType)
	}
	if f.Source != "" {
		add("c.source = ?", f.Source)
	}
	if f.CommitteeID > 0 {
		add("c.committee_id = ?", f.CommitteeID)
	}
	if f.UnitID > 0 {
		add(inSubtree("c.unit_id"), f.UnitID)
	}
	between := func(col, from, to string) {
		if from != "" {
			add(col+" >= ?", from)
		}
		if to != "" {
			add(col+" <= ?", to)
		}
	}
	between("c.received_on", f.ReceivedFrom, f.ReceivedTo)
	if f.ClosedFrom != "" || f.ClosedTo != "" {
		add("c.status IN ('succeeded', 'failed') AND c.closed_on IS NOT NULL")
		between("c.closed_on", f.ClosedFrom, f.ClosedTo)
	}
	if f.FulfilledFrom != "" || f.FulfilledTo != "" {
		add("c.fulfilment = 'fulfilled' AND c.fulfilled_on IS NOT NULL")
		between("c.fulfilled_on", f.FulfilledFrom, f.FulfilledTo)
	}
	if f.ConfirmedFrom != "" || f.ConfirmedTo != "" {
		add("c.confirm_result = 'confirmed' AND c.confirm_result_on IS NOT NULL")
		between("c.confirm_result_on", f.ConfirmedFrom, f.ConfirmedTo)
	}
	if f.Litigation {
		add("c.litigation_on IS NOT NULL")
	}
	if len(conds) == 0 {
		return "1=1", nil
	}
	return strings.Join(conds, " AND "), args
}

// listSQL is the register query for f within a scope clause over
// c.unit_id: the list, the export's cursor and the EXPLAIN test run it.
func (st Store) listSQL(f Filter, scope string, scopeArgs []any) db.ListSQL {
	w, args := st.where(f)
	return db.ListSQL{Cols: caseCols, From: caseFrom, CountFrom: "mediation_cases c",
		Where: scope + " AND " + w, Args: append(append([]any(nil), scopeArgs...), args...), Order: []db.Key{{Expr: "c.id", Desc: true}}}
}

// caseInsertCols are the columns a new case is written with (Create and
// the import's batches).
var caseInsertCols = []string{"case_no", "committee_id", "unit_id", "mediator_id", "dispute_type", "source", "source_ref", "received_on",
	"parties", "party_phone", "party_id_number", "party_address", "summary", "status", "sessions", "closed_on", "failed_reason",
	"agreement_form", "agreement_terms", "confirm_due", "confirm_applied_on", "confirm_court", "confirm_result", "confirm_result_on",
	"followups", "fulfilment", "fulfilled_on", "litigation_on", "created_by", "created_at", "updated_at"}

// newCase is a case as first written (a register form or an imported row).
type newCase struct {
	CaseNo                                                    string
	CommitteeID, UnitID, MediatorID                           int64
	DisputeType, Source, SourceRef, ReceivedOn                string
	Parties, PartyPhone, PartyIDNumber, PartyAddress, Summary string
	Status                                                    string
	Sessions                                                  int
	ClosedOn, FailedReason, AgreementForm, AgreementTerms     string
	ConfirmDue, ConfirmAppliedOn, ConfirmCourt                string
	ConfirmResult, ConfirmResultOn                            string
	Followups                                                 int
	Fulfilment, FulfilledOn, LitigationOn                     string
	CreatedBy                                                 int64
	At                                                        time.Time
}

// nullable turns "" into NULL for the optional date columns.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (r *newCase) values() []any {
	var med any
	if r.MediatorID > 0 {
		med = r.MediatorID
	}
	return []any{r.CaseNo, r.CommitteeID, r.UnitID, med, r.DisputeType, r.Source, r.SourceRef, r.ReceivedOn,
		r.Parties, r.PartyPhone, r.PartyIDNumber, r.PartyAddress, r.Summary, r.Status, r.Sessions, nullable(r.ClosedOn), r.FailedReason,
		r.AgreementForm, r.AgreementTerms, nullable(r.ConfirmDue), nullable(r.ConfirmAppliedOn), r.ConfirmCourt, r.ConfirmResult,
		nullable(r.ConfirmResultOn), r.Followups, r.Fulfilment, nullable(r.FulfilledOn), nullable(r.LitigationOn), r.CreatedBy,
		r.At.UTC(), r.At.UTC()}
}

func placeholders(n int) string {
	return "(" + strings.TrimSuffix(strings.Repeat("?, ", n), ", ") + ")"
}

// insertCase writes one case, gives it its register number and counts it.
func (Store) insertCase(ctx context.Context, tx db.Querier, r *newCase) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, "INSERT INTO mediation_cases ("+strings.Join(caseInsertCols, ", ")+") VALUES "+placeholders(len(caseInsertCols))+" RETURNING id",
		r.values()...).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	if err := (Store{}).setCodes(ctx, tx); err != nil {
		return 0, err
	}
	return id, FigureTally.Added(ctx, tx, id)
}

// insertBatch writes rows with multi-row INSERTs (db.InsertMany: as many
// rows a statement as the parameter limit allows) under ids reserved first
// (db.ReserveIDs), so each carries its register number from the start (as
// setCodes numbers it), and returns the ids in order.
func (Store) insertBatch(ctx context.Context, tx *db.Tx, rows []*newCase) ([]int64, error) {
	ids, err := db.ReserveIDs(ctx, tx, "mediation_cases", len(rows))
	if err != nil {
		return nil, err
	}
	vals := make([][]any, len(rows))
	for i, r := range rows {
		vals[i] = append([]any{ids[i], caseCode(r.ReceivedOn, ids[i])}, r.values()...)
	}
	return ids, db.InsertMany(ctx, tx, "mediation_cases", append([]string{"id", "code"}, caseInsertCols...), vals)
}

// caseCode is a case's register number: TJ, the year received, the id.
func caseCode(receivedOn string, id int64) string {
	return "TJ" + receivedOn[:min(4, len(receivedOn))] + "-" + strconv.FormatInt(id, 10)
}

// setCodes gives every case written in this transaction (code still NULL)
// its register number: TJ, the year received, the id.
func (Store) setCodes(ctx context.Context, tx db.Querier) error {
	_, err := tx.Exec(ctx, "UPDATE mediation_cases SET code = 'TJ' || substr(received_on, 1, 4) || '-' || CAST(id AS TEXT) WHERE code IS NULL")
	return db.Classify(err)
}

// bump updates a case with the version check; sets are "col = ?" pairs.
// The figures' counters move with the row in tx (FigureTally).
func (Store) bump(ctx context.Context, tx db.Querier, id int64, version int, at time.Time, sets []string, args ...any) (bool, error) {
	q := "UPDATE mediation_cases SET " + strings.Join(append(sets, "version = version + 1", "updated_at = ?"), ", ") + " WHERE id = ? AND version = ?"
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

func (Store) addStep(ctx context.Context, q db.Querier, caseID int64, kind, day, note string, actorID int64, actorName string, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO mediation_steps (case_id, kind, day, note, actor_id, actor_name, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		caseID, kind, day, note, actorID, actorName, at.UTC())
	return db.Classify(err)
}

func (Store) steps(ctx context.Context, q db.Querier, caseID int64) ([]Step, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Step, error) {
		var s Step
		err := sc.Scan(&s.ID, &s.Kind, &s.Day, &s.Note, &s.ActorName, &s.At)
		s.At = s.At.UTC()
		s.Label = stepLabels[s.Kind]
		if s.Label == "" {
			s.Label = s.Kind
		}
		return s, err
	}, "SELECT id, kind, day, note, actor_name, at FROM mediation_steps WHERE case_id = ? ORDER BY day, id", caseID)
}
