package finding

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/db"
)

// UnitInfo is what the ledger needs to know about an org unit.
type UnitInfo struct {
	ID   int64
	Name string
	Path string
}

// Directory looks up org units and role holders (the org module's data).
type Directory interface {
	Unit(ctx context.Context, q db.Querier, id int64) (UnitInfo, error)
	// UnitByNameOrCode finds an active unit for imports.
	UnitByNameOrCode(ctx context.Context, q db.Querier, s string) (UnitInfo, error)
	// UsersInRole returns the active holders of role in the unit, or, when
	// it has none, in the nearest ancestor unit that has some, or else
	// anywhere in the district.
	UsersInRole(ctx context.Context, q db.Querier, role string, unitID int64) ([]int64, error)
	// RoleExists reports whether a role with that code exists; UserActive
	// whether the user exists and is active (close-out chain checks).
	RoleExists(ctx context.Context, code string) (bool, error)
	UserActive(ctx context.Context, id int64) (bool, error)
}

// Store holds all of the ledger's SQL (findings, finding_events,
// finding_chains). No business rules here: callers check permissions and
// validate; org data comes through Directory.
type Store struct{}

const findingCols = `f.id, f.code, f.title, f.description, f.source, f.source_ref, f.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
f.severity, f.found_on, f.rectify_due, f.due_explain, f.due_provisional, f.measures, COALESCE(f.rectified_on, ''), f.status,
f.closeout, COALESCE(f.closed_on, ''), f.escalated_at, COALESCE(f.recheck_due, ''), COALESCE(f.rechecked_on, ''),
COALESCE(f.recheck_result, ''), f.recheck_note, COALESCE(f.previous_id, 0), COALESCE(p.code, ''),
COALESCE((SELECT MIN(n.id) FROM findings n WHERE n.previous_id = f.id), 0),
f.created_by, f.created_at, f.updated_at, f.version`

const findingFrom = ` FROM findings f LEFT JOIN org_unit_refs u ON u.id = f.unit_id LEFT JOIN findings p ON p.id = f.previous_id`

func scanFinding(sc interface{ Scan(...any) error }) (*Finding, error) {
	var f Finding
	var prov int
	var closeout sql.NullString
	var esc sql.NullTime
	err := sc.Scan(&f.ID, &f.Code, &f.Title, &f.Description, &f.Source, &f.SourceRef, &f.UnitID, &f.UnitName, &f.unitPath,
		&f.Severity, &f.FoundOn, &f.RectifyDue, &f.DueExplain, &prov, &f.Measures, &f.RectifiedOn, &f.Status,
		&closeout, &f.ClosedOn, &esc, &f.RecheckDue, &f.RecheckedOn, &f.RecheckResult, &f.RecheckNote, &f.PreviousID, &f.PreviousCode,
		&f.RecurrenceID, &f.CreatedBy, &f.CreatedAt, &f.UpdatedAt, &f.Version)
	if err != nil {
		return nil, err
	}
	f.DueProvisional = prov != 0
	if closeout.Valid {
		f.closeout = []byte(closeout.String)
	}
	if esc.Valid {
		t := esc.Time.UTC()
		f.EscalatedAt = &t
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return &f, nil
}

func (Store) finding(ctx context.Context, q db.Querier, id int64) (*Finding, error) {
	f, err := scanFinding(q.QueryRow(ctx, "SELECT "+findingCols+findingFrom+" WHERE f.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.New(apperr.NotFound, "问题不存在")
	}
	return f, err
}

// inSubtree is the condition "col is the unit ? or below it".
func inSubtree(col string) string {
	return col + " IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')"
}

// where builds the filter condition (without scope); today decides
// "overdue".
func (Store) where(f Filter, today string) (string, []any) {
	var conds []string
	var args []any
	if q := strings.TrimSpace(f.Q); q != "" {
		conds = append(conds, `(f.title LIKE ? ESCAPE '\' OR f.code LIKE ? ESCAPE '\' OR f.source_ref LIKE ? ESCAPE '\')`)
		l := db.Like(q)
		args = append(args, l, l, l)
	}
	if f.Source != "" {
		conds = append(conds, "f.source = ?")
		args = append(args, f.Source)
	}
	switch f.Status {
	case "":
	case StatusUnclosed:
		conds = append(conds, "f.status <> ?")
		args = append(args, string(StatusClosed))
	default:
		conds = append(conds, "f.status = ?")
		args = append(args, f.Status)
	}
	if f.Severity != "" {
		conds = append(conds, "f.severity = ?")
		args = append(args, f.Severity)
	}
	if f.UnitID > 0 {
		conds = append(conds, inSubtree("f.unit_id"))
		args = append(args, f.UnitID)
	}
	if f.Overdue {
		conds = append(conds, "f.status <> 'closed' AND f.rectify_due < ?")
		args = append(args, today)
	}
	if f.Year > 0 {
		conds = append(conds, "f.found_on LIKE ?")
		args = append(args, strings.TrimSpace(itoa(f.Year))+"-%")
	}
	if f.AccountableFrom != "" || f.AccountableTo != "" {
		c, a := db.Accountable("f.status = 'closed'", "f.status <> 'closed'", "f.closed_on", "f.rectify_due", f.AccountableFrom, f.AccountableTo, today)
		conds = append(conds, c)
		args = append(args, a...)
	}
	if f.OnTime {
		conds = append(conds, "f.status = 'closed' AND f.rectified_on IS NOT NULL AND f.rectified_on <= f.rectify_due")
	}
	if len(conds) == 0 {
		return "1=1", nil
	}
	return strings.Join(conds, " AND "), args
}

func (Store) addEvent(ctx context.Context, q db.Querier, findingID, actorID int64, actorName, action, note string, at time.Time) error {
	_, err := q.Exec(ctx, "INSERT INTO finding_events (finding_id, at, actor_id, actor_name, action, note) VALUES (?, ?, ?, ?, ?, ?)",
		findingID, at.UTC(), actorID, actorName, action, note)
	return err
}

func (Store) events(ctx context.Context, q db.Querier, id int64) ([]Event, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Event, error) {
		var e Event
		err := sc.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.Note)
		e.At = e.At.UTC()
		e.Label = actionLabels[e.Action]
		if e.Label == "" {
			e.Label = e.Action
		}
		return e, err
	}, "SELECT id, at, actor_id, actor_name, action, note FROM finding_events WHERE finding_id = ? ORDER BY id", id)
}

// insertRow is a new finding as written.
type insertRow struct {
	Title, Description, Source, SourceRef     string
	UnitID                                    int64
	Severity, FoundOn, RectifyDue, DueExplain string
	Provisional                               bool
	PreviousID                                int64
	CreatedBy                                 int64
	At                                        time.Time // created_at and updated_at
}

// insert writes a finding under a temporary code and returns its id.
func (Store) insert(ctx context.Context, tx db.Querier, r insertRow, tmpCode string) (int64, error) {
	var prev any
	if r.PreviousID > 0 {
		prev = r.PreviousID
	}
	prov := 0
	if r.Provisional {
		prov = 1
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO findings (code, title, description, source, source_ref, unit_id, severity, found_on, rectify_due, due_explain, due_provisional, previous_id, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tmpCode, r.Title, r.Description, r.Source, r.SourceRef, r.UnitID, r.Severity, r.FoundOn, r.RectifyDue,
		r.DueExplain, prov, prev, r.CreatedBy, r.At.UTC(), r.At.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, FigureTally.Added(ctx, tx, id)
}

func (Store) setCode(ctx context.Context, tx db.Querier, id int64, code string) error {
	_, err := tx.Exec(ctx, "UPDATE findings SET code = ? WHERE id = ?", code, id)
	return db.Classify(err)
}

// listSQL is the ledger query for f within a scope clause: the list, the
// export's cursor and the EXPLAIN test run it.
func (st Store) listSQL(f Filter, today, scope string, scopeArgs []any) db.ListSQL {
	w, args := st.where(f, today)
	return db.ListSQL{Cols: findingCols, From: strings.TrimPrefix(findingFrom, " FROM "), CountFrom: "findings f",
		Where: scope + " AND " + w, Args: append(append([]any(nil), scopeArgs...), args...), Order: []db.Key{{Expr: "f.id", Desc: true}}}
}

// bump updates the row with the version check; sets are "col = ?" pairs.
// It reports whether the row was at that version. The figures' counters
// move with the row in tx (FigureTally).
func (Store) bump(ctx context.Context, tx db.Querier, id int64, version int, at time.Time, sets []string, args ...any) (bool, error) {
	q := "UPDATE findings SET " + strings.Join(append(sets, "version = version + 1", "updated_at = ?"), ", ") + " WHERE id = ? AND version = ?"
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

// stamp writes columns only the system sets (the escalation stamp) without
// the version check and without moving the version: they are in no form, so
// a clerk's open form on the finding must not go stale because of them (a
// rectification submitted right after the escalation job ran was refused as
// a conflict). The figures' counters move with the row as in bump.
func (Store) stamp(ctx context.Context, tx db.Querier, id int64, at time.Time, sets []string, args ...any) error {
	q := "UPDATE findings SET " + strings.Join(append(sets, "updated_at = ?"), ", ") + " WHERE id = ?"
	return FigureTally.Write(ctx, tx, id, func() error {
		_, err := tx.Exec(ctx, q, append(args, at.UTC(), id)...)
		return db.Classify(err)
	})
}

// ---- chains ----

func (Store) chainByID(ctx context.Context, q db.Querier, id int64) (*Chain, error) {
	return scanChain(q.QueryRow(ctx, "SELECT "+chainCols+" FROM finding_chains WHERE id = ?", id))
}

func (Store) chainByCode(ctx context.Context, q db.Querier, code string) (*Chain, error) {
	return scanChain(q.QueryRow(ctx, "SELECT "+chainCols+" FROM finding_chains WHERE code = ?", code))
}

func (Store) chains(ctx context.Context, q db.Querier) ([]Chain, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Chain, error) {
		c, err := scanChain(sc)
		if err != nil {
			return Chain{}, err
		}
		return *c, nil
	}, "SELECT "+chainCols+" FROM finding_chains ORDER BY id")
}

// updateChain writes a chain at version; false when it was not at that
// version.
func (Store) updateChain(ctx context.Context, tx db.Querier, id int64, version int, name, definition string, by int64, at time.Time) (bool, error) {
	res, err := tx.Exec(ctx, "UPDATE finding_chains SET name = ?, definition = ?, updated_by = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
		name, definition, by, at.UTC(), id, version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
