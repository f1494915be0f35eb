package normdoc

import (
	"context"
	"database/sql"
	"strings"

	"fazhi/internal/platform/db"
	"fazhi/internal/platform/search"
)

// searchKind names normative documents in the shared search index.
const searchKind = "normdoc"

// Store is the persistence the Service needs. Methods take the Querier to
// run on (the DB, or the transaction of the write being made). No rules
// here: no permission checks, no validation.
type Store interface {
	UnitInfo(ctx context.Context, q db.Querier, unitID int64) (path, name string, err error)

	GetIssuer(ctx context.Context, q db.Querier, id int64) (*Issuer, error)
	IssuerByName(ctx context.Context, q db.Querier, name string) (*Issuer, error)
	ListIssuers(ctx context.Context, q db.Querier, scope string, scopeArgs []any, activeOnly bool) ([]Issuer, error)
	InsertIssuer(ctx context.Context, q db.Querier, is *Issuer) (int64, error)
	UpdateIssuer(ctx context.Context, q db.Querier, is *Issuer) (bool, error)
	LockIssuer(ctx context.Context, q db.Querier, id int64) error
	MaxSeq(ctx context.Context, q db.Querier, issuerID int64, year int) (int, error)

	GetDocument(ctx context.Context, q db.Querier, id int64) (*Document, error)
	DocNoExists(ctx context.Context, q db.Querier, docNo string) (bool, error)
	InsertDocument(ctx context.Context, q db.Querier, d *Document) (int64, error)
	UpdateDocument(ctx context.Context, q db.Querier, d *Document) (bool, error)
	ListDocuments(ctx context.Context, q db.Querier, w Where, req db.ListReq) (db.Paged[Document], error)
	EachDocument(ctx context.Context, q db.Querier, w Where, fn func(Document) error) error
	IndexDocument(ctx context.Context, q db.Querier, d *Document) error

	FilingEvents(ctx context.Context, q db.Querier, documentID int64) ([]FilingEvent, error)
	InsertFilingEvent(ctx context.Context, q db.Querier, documentID int64, e *FilingEvent) error

	ExpireDue(ctx context.Context, q db.Querier, today string) ([]int64, error)

	InsertCleanup(ctx context.Context, q db.Querier, c *Cleanup) (int64, error)
	UpdateCleanup(ctx context.Context, q db.Querier, c *Cleanup) (bool, error)
	GetCleanup(ctx context.Context, q db.Querier, id int64) (*Cleanup, error)
	ListCleanups(ctx context.Context, q db.Querier, scope string, scopeArgs []any, publishedOnly bool, page db.Page) ([]Cleanup, int, error)
	InsertCleanupItem(ctx context.Context, q db.Querier, cleanupID, documentID int64) (bool, error)
	UpdateCleanupItem(ctx context.Context, q db.Querier, it *CleanupItem, cleanupID int64) (bool, error)
	CleanupItems(ctx context.Context, q db.Querier, cleanupID int64) ([]CleanupItem, error)
}

// Where is a document list query: conditions joined by AND with their
// arguments, plus an optional full-text query.
type Where struct {
	Conds []string
	Args  []any
	Text  search.Query
}

// Add appends one condition.
func (w *Where) Add(cond string, args ...any) {
	w.Conds = append(w.Conds, cond)
	w.Args = append(w.Args, args...)
}

// SQLStore implements Store with plain SQL on both dialects.
type SQLStore struct{}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullInt(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func (SQLStore) UnitInfo(ctx context.Context, q db.Querier, unitID int64) (string, string, error) {
	var path, name string
	err := q.QueryRow(ctx, "SELECT path, name FROM org_unit_refs WHERE id = ?", unitID).Scan(&path, &name)
	return path, name, db.Classify(err)
}

const issuerCols = `i.id, i.unit_id, COALESCE(ou.name, ''), i.name, i.prefix, i.basis, i.active, i.listed_on, i.version
	FROM normdoc_issuers i LEFT JOIN org_unit_refs ou ON ou.id = i.unit_id`

func scanIssuer(sc db.Scanner) (Issuer, error) {
	var is Issuer
	err := sc.Scan(&is.ID, &is.UnitID, &is.UnitName, &is.Name, &is.Prefix, &is.Basis, &is.Active, &is.ListedOn, &is.Version)
	return is, err
}

// one turns a single-row scan into the pointer the Get methods return, with
// "no row" classified as NotFound.
func one[T any](v T, err error) (*T, error) {
	if err != nil {
		return nil, db.Classify(err)
	}
	return &v, nil
}

func (SQLStore) GetIssuer(ctx context.Context, q db.Querier, id int64) (*Issuer, error) {
	return one(scanIssuer(q.QueryRow(ctx, "SELECT "+issuerCols+" WHERE i.id = ?", id)))
}

func (SQLStore) IssuerByName(ctx context.Context, q db.Querier, name string) (*Issuer, error) {
	return one(scanIssuer(q.QueryRow(ctx, "SELECT "+issuerCols+" WHERE i.name = ?", name)))
}

func (SQLStore) ListIssuers(ctx context.Context, q db.Querier, scope string, scopeArgs []any, activeOnly bool) ([]Issuer, error) {
	where := scope
	if activeOnly {
		where += " AND i.active = 1"
	}
	return db.All(ctx, q, scanIssuer, "SELECT "+issuerCols+" WHERE "+where+" ORDER BY i.id", scopeArgs...)
}

func (SQLStore) InsertIssuer(ctx context.Context, q db.Querier, is *Issuer) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO normdoc_issuers (unit_id, name, prefix, basis, active, listed_on) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		is.UnitID, is.Name, is.Prefix, is.Basis, b2i(is.Active), is.ListedOn).Scan(&id)
	return id, db.Classify(err)
}

func (SQLStore) UpdateIssuer(ctx context.Context, q db.Querier, is *Issuer) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE normdoc_issuers SET unit_id = ?, name = ?, prefix = ?, basis = ?, active = ?, listed_on = ?,
		version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND version = ?`,
		is.UnitID, is.Name, is.Prefix, is.Basis, b2i(is.Active), is.ListedOn, is.ID, is.Version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// LockIssuer serializes numbering for one issuer: on PostgreSQL the row is
// locked until the transaction ends; SQLite write transactions are already
// serialized.
func (SQLStore) LockIssuer(ctx context.Context, q db.Querier, id int64) error {
	if q.Dialect() != db.Postgres {
		return nil
	}
	var got int64
	return db.Classify(q.QueryRow(ctx, "SELECT id FROM normdoc_issuers WHERE id = ? FOR UPDATE", id).Scan(&got))
}

func (SQLStore) MaxSeq(ctx context.Context, q db.Querier, issuerID int64, year int) (int, error) {
	var n sql.NullInt64
	err := q.QueryRow(ctx, "SELECT MAX(number_seq) FROM normdoc_documents WHERE issuer_id = ? AND number_year = ?", issuerID, year).Scan(&n)
	return int(n.Int64), err
}

const docCols = `d.id, d.issuer_id, COALESCE(i.name, ''), d.unit_id, COALESCE(ou.name, ''), d.title, d.summary, d.body, d.important, d.status, d.source,
	d.drafted_on, d.evaluation_on, d.evaluation_note, d.comment_from, d.comment_to, d.comment_count, d.comment_summary,
	COALESCE(d.review_id, 0), d.review_submitted_on, d.review_status, d.deliberation_meeting, d.deliberation_on, d.deliberation_note,
	COALESCE(d.doc_no, ''), COALESCE(d.number_year, 0), COALESCE(d.number_seq, 0), d.registered_on, d.published_on, d.effective_on,
	d.urgent, d.urgent_reason, d.valid_years, d.expires_on, d.filing_clock, d.filing_due, d.filing_to, d.filed_on, d.filed_on_time,
	d.filing_result, d.filing_result_on, d.filing_result_note, d.ended_on, d.end_reason, d.internal_note, d.version`

// docListCols are docCols without the body (lists never carry it).
var docListCols = strings.Replace(docCols, "d.body", "''", 1)

const docFrom = ` FROM normdoc_documents d LEFT JOIN normdoc_issuers i ON i.id = d.issuer_id LEFT JOIN org_unit_refs ou ON ou.id = d.unit_id `

func scanDocument(sc db.Scanner) (Document, error) {
	var d Document
	var onTime sql.NullInt64
	err := sc.Scan(&d.ID, &d.IssuerID, &d.IssuerName, &d.UnitID, &d.UnitName, &d.Title, &d.Summary, &d.Body, &d.Important, &d.Status, &d.Source,
		&d.DraftedOn, &d.EvaluationOn, &d.EvaluationNote, &d.CommentFrom, &d.CommentTo, &d.CommentCount, &d.CommentSummary,
		&d.ReviewID, &d.ReviewSubmittedOn, &d.ReviewStatus, &d.DeliberationMeeting, &d.DeliberationOn, &d.DeliberationNote,
		&d.DocNo, &d.NumberYear, &d.NumberSeq, &d.RegisteredOn, &d.PublishedOn, &d.EffectiveOn,
		&d.Urgent, &d.UrgentReason, &d.ValidYears, &d.ExpiresOn, &d.filingClock, &d.FilingDue, &d.FilingTo, &d.FiledOn, &onTime,
		&d.FilingResult, &d.FilingResultOn, &d.FilingResultNote, &d.EndedOn, &d.EndReason, &d.InternalNote, &d.Version)
	if err != nil {
		return d, err
	}
	if onTime.Valid {
		b := onTime.Int64 == 1
		d.FiledOnTime = &b
	}
	d.StatusLabel = d.Status.Label()
	d.FilingResultLabel = d.FilingResult.Label()
	return d, nil
}

func (SQLStore) GetDocument(ctx context.Context, q db.Querier, id int64) (*Document, error) {
	return one(scanDocument(q.QueryRow(ctx, "SELECT "+docCols+docFrom+"WHERE d.id = ?", id)))
}

func (SQLStore) DocNoExists(ctx context.Context, q db.Querier, docNo string) (bool, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM normdoc_documents WHERE doc_no = ?", docNo).Scan(&n)
	return n > 0, err
}

// docValues lists the mutable columns and their values, in one order for
// INSERT and UPDATE.
func docValues(d *Document) ([]string, []any) {
	var onTime any
	if d.FiledOnTime != nil {
		onTime = b2i(*d.FiledOnTime)
	}
	var year, seq any
	if d.NumberYear != 0 {
		year = d.NumberYear
	}
	if d.NumberSeq != 0 {
		seq = d.NumberSeq
	}
	cols := []string{"issuer_id", "unit_id", "title", "summary", "body", "important", "status", "source",
		"drafted_on", "evaluation_on", "evaluation_note", "comment_from", "comment_to", "comment_count", "comment_summary",
		"review_id", "review_submitted_on", "review_status", "deliberation_meeting", "deliberation_on", "deliberation_note",
		"doc_no", "number_year", "number_seq", "registered_on", "published_on", "effective_on",
		"urgent", "urgent_reason", "valid_years", "expires_on", "filing_clock", "filing_due", "filing_to", "filed_on", "filed_on_time",
		"filing_result", "filing_result_on", "filing_result_note", "ended_on", "end_reason", "internal_note"}
	vals := []any{d.IssuerID, d.UnitID, d.Title, d.Summary, d.Body, b2i(d.Important), string(d.Status), d.Source,
		d.DraftedOn, d.EvaluationOn, d.EvaluationNote, d.CommentFrom, d.CommentTo, d.CommentCount, d.CommentSummary,
		nullInt(d.ReviewID), d.ReviewSubmittedOn, d.ReviewStatus, d.DeliberationMeeting, d.DeliberationOn, d.DeliberationNote,
		nullStr(d.DocNo), year, seq, d.RegisteredOn, d.PublishedOn, d.EffectiveOn,
		b2i(d.Urgent), d.UrgentReason, d.ValidYears, d.ExpiresOn, d.filingClock, d.FilingDue, d.FilingTo, d.FiledOn, onTime,
		string(d.FilingResult), d.FilingResultOn, d.FilingResultNote, d.EndedOn, d.EndReason, d.InternalNote}
	return cols, vals
}

// InsertDocument adds d and counts it (FigureTally) in the same transaction.
func (SQLStore) InsertDocument(ctx context.Context, q db.Querier, d *Document) (int64, error) {
	cols, vals := docValues(d)
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(cols)+1), ", ")
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO normdoc_documents ("+strings.Join(cols, ", ")+", created_by) VALUES ("+marks+") RETURNING id",
		append(vals, nil)...).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, FigureTally.Added(ctx, q, id)
}

// UpdateDocument writes d if its version still matches, moving its counts
// with the row in the same transaction (FigureTally).
func (SQLStore) UpdateDocument(ctx context.Context, q db.Querier, d *Document) (bool, error) {
	cols, vals := docValues(d)
	sets := make([]string, len(cols))
	for i, c := range cols {
		sets[i] = c + " = ?"
	}
	var n int64
	err := FigureTally.Write(ctx, q, d.ID, func() error {
		res, err := q.Exec(ctx, "UPDATE normdoc_documents SET "+strings.Join(sets, ", ")+", version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND version = ?",
			append(vals, d.ID, d.Version)...)
		if err != nil {
			return db.Classify(err)
		}
		n, err = res.RowsAffected()
		return err
	})
	return n == 1, err
}

// docList is the document list query for w (list columns only: never the
// body), newest publication first, or best match first for a text query;
// the list, the export's cursor and the EXPLAIN test run it. Its scan reads
// the text score (the order's first key) after the document's columns.
func docList(d db.Dialect, w Where) (db.ListSQL, func(db.Scanner) (Document, error)) {
	l := db.ListSQL{Cols: docListCols + ", 0", From: strings.TrimPrefix(strings.TrimSpace(docFrom), "FROM "),
		CountFrom: "normdoc_documents d", Where: strings.Join(w.Conds, " AND "),
		Order: []db.Key{{Expr: "d.published_on", Desc: true}, {Expr: "d.id", Desc: true}}}
	if !w.Text.Empty() {
		join, jargs := search.Join(d, searchKind, w.Text, "d.id", "fts")
		l.Cols = docListCols + ", fts.score"
		l.From += join
		l.CountFrom += join
		l.Args = append(l.Args, jargs...)
		l.Order = append([]db.Key{{Expr: "fts.score", Desc: true}}, l.Order...)
	}
	l.Args = append(l.Args, w.Args...)
	return l, func(sc db.Scanner) (Document, error) {
		var score float64
		doc, err := scanDocument(withExtra{sc, []any{&score}})
		doc.score = score
		return doc, err
	}
}

// withExtra scans a row with extra columns after the ones scanDocument reads.
type withExtra struct {
	sc    db.Scanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error { return w.sc.Scan(append(dest, w.extra...)...) }

func docKeys(text bool) func(Document) []any {
	return func(d Document) []any {
		if text {
			return []any{d.score, d.PublishedOn, d.ID}
		}
		return []any{d.PublishedOn, d.ID}
	}
}

func (SQLStore) ListDocuments(ctx context.Context, q db.Querier, w Where, req db.ListReq) (db.Paged[Document], error) {
	l, scan := docList(q.Dialect(), w)
	return db.Fetch(ctx, q, l, req, scan, docKeys(!w.Text.Empty()))
}

// EachDocument calls fn with every document matching w, in list order,
// through one cursor.
func (SQLStore) EachDocument(ctx context.Context, q db.Querier, w Where, fn func(Document) error) error {
	l, scan := docList(q.Dialect(), w)
	return db.Stream(ctx, q, l, func(sc db.Scanner) error {
		d, err := scan(sc)
		if err != nil {
			return err
		}
		return fn(d)
	})
}

// FilingEvents returns a document's filing-review history in order.
func (SQLStore) FilingEvents(ctx context.Context, q db.Querier, documentID int64) ([]FilingEvent, error) {
	return db.All(ctx, q, func(sc db.Scanner) (FilingEvent, error) {
		var e FilingEvent
		err := sc.Scan(&e.Seq, &e.Kind, &e.Result, &e.Date, &e.CorrectedVersion, &e.Note, &e.RecordedBy, &e.RecordedAt)
		e.RecordedAt = e.RecordedAt.UTC()
		return e, err
	}, `SELECT seq, kind, result, event_on, corrected_version, note, recorded_by, recorded_at
 FROM normdoc_filing_events WHERE document_id = ? ORDER BY seq`, documentID)
}

// InsertFilingEvent appends e as the document's next history entry and
// sets e.Seq. Two writers racing for one number collide on the unique key.
func (SQLStore) InsertFilingEvent(ctx context.Context, q db.Querier, documentID int64, e *FilingEvent) error {
	var last sql.NullInt64
	if err := q.QueryRow(ctx, "SELECT MAX(seq) FROM normdoc_filing_events WHERE document_id = ?", documentID).Scan(&last); err != nil {
		return err
	}
	e.Seq = int(last.Int64) + 1
	_, err := q.Exec(ctx, `INSERT INTO normdoc_filing_events (document_id, seq, kind, result, event_on, corrected_version, note, recorded_by, recorded_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, documentID, e.Seq, e.Kind, string(e.Result), e.Date, e.CorrectedVersion, e.Note, e.RecordedBy, e.RecordedAt.UTC())
	return db.Classify(err)
}

// IndexDocument (re)writes the document's entry in the shared search index.
func (SQLStore) IndexDocument(ctx context.Context, q db.Querier, d *Document) error {
	return search.Index(ctx, q, searchKind, d.ID, d.Title, d.DocNo, d.IssuerName, d.Summary, d.Body)
}

// ExpireDue marks published documents whose validity ended before today as
// expired and returns their ids.
func (SQLStore) ExpireDue(ctx context.Context, q db.Querier, today string) ([]int64, error) {
	rows, err := q.Query(ctx, "SELECT id FROM normdoc_documents WHERE status = ? AND expires_on <> '' AND expires_on < ? ORDER BY id", string(StatusPublished), today)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if _, err := q.Exec(ctx, `UPDATE normdoc_documents SET status = ?, ended_on = expires_on, end_reason = ?, version = version + 1,
			updated_at = CURRENT_TIMESTAMP WHERE id = ?`, string(StatusExpired), "有效期届满自动失效", id); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

const cleanupCols = `c.id, c.unit_id, COALESCE(ou.name, ''), c.title, c.basis, c.status, c.started_on, c.finished_on, c.published_on, c.version,
	(SELECT COUNT(*) FROM normdoc_cleanup_items it WHERE it.cleanup_id = c.id),
	(SELECT COUNT(*) FROM normdoc_cleanup_items it WHERE it.cleanup_id = c.id AND it.outcome <> '')
	FROM normdoc_cleanups c LEFT JOIN org_unit_refs ou ON ou.id = c.unit_id`

func scanCleanup(sc db.Scanner) (Cleanup, error) {
	var c Cleanup
	err := sc.Scan(&c.ID, &c.UnitID, &c.UnitName, &c.Title, &c.Basis, &c.Status, &c.StartedOn, &c.FinishedOn, &c.PublishedOn, &c.Version,
		&c.ItemCount, &c.Decided)
	c.StatusLabel = c.Status.Label()
	return c, err
}

func (SQLStore) InsertCleanup(ctx context.Context, q db.Querier, c *Cleanup) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO normdoc_cleanups (unit_id, title, basis, status, started_on) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		c.UnitID, c.Title, c.Basis, string(c.Status), c.StartedOn).Scan(&id)
	return id, db.Classify(err)
}

func (SQLStore) UpdateCleanup(ctx context.Context, q db.Querier, c *Cleanup) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE normdoc_cleanups SET title = ?, basis = ?, status = ?, finished_on = ?, published_on = ?,
		version = version + 1, updated_at = CURRENT_TIMESTAMP WHERE id = ? AND version = ?`,
		c.Title, c.Basis, string(c.Status), c.FinishedOn, c.PublishedOn, c.ID, c.Version)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (SQLStore) GetCleanup(ctx context.Context, q db.Querier, id int64) (*Cleanup, error) {
	return one(scanCleanup(q.QueryRow(ctx, "SELECT "+cleanupCols+" WHERE c.id = ?", id)))
}

func (SQLStore) ListCleanups(ctx context.Context, q db.Querier, scope string, scopeArgs []any, publishedOnly bool, page db.Page) ([]Cleanup, int, error) {
	where := " WHERE " + scope
	args := append([]any(nil), scopeArgs...)
	if publishedOnly {
		where += " AND c.status = ?"
		args = append(args, string(CleanupPublished))
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM normdoc_cleanups c"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := page.Limit()
	out, err := db.All(ctx, q, scanCleanup, "SELECT "+cleanupCols+where+" ORDER BY c.started_on DESC, c.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

func (SQLStore) InsertCleanupItem(ctx context.Context, q db.Querier, cleanupID, documentID int64) (bool, error) {
	res, err := q.Exec(ctx, `INSERT INTO normdoc_cleanup_items (cleanup_id, document_id) VALUES (?, ?) ON CONFLICT (cleanup_id, document_id) DO NOTHING`,
		cleanupID, documentID)
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (SQLStore) UpdateCleanupItem(ctx context.Context, q db.Querier, it *CleanupItem, cleanupID int64) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE normdoc_cleanup_items SET outcome = ?, reason = ?, decided_on = ? WHERE id = ? AND cleanup_id = ?",
		string(it.Outcome), it.Reason, it.DecidedOn, it.ID, cleanupID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (SQLStore) CleanupItems(ctx context.Context, q db.Querier, cleanupID int64) ([]CleanupItem, error) {
	return db.All(ctx, q, func(sc db.Scanner) (CleanupItem, error) {
		var it CleanupItem
		err := sc.Scan(&it.ID, &it.DocumentID, &it.Title, &it.DocNo, &it.IssuerName, &it.Outcome, &it.Reason, &it.DecidedOn)
		it.OutcomeLabel = it.Outcome.Label()
		return it, err
	}, `SELECT it.id, it.document_id, d.title, COALESCE(d.doc_no, ''), COALESCE(i.name, ''), it.outcome, it.reason, it.decided_on
		FROM normdoc_cleanup_items it JOIN normdoc_documents d ON d.id = it.document_id LEFT JOIN normdoc_issuers i ON i.id = d.issuer_id
		WHERE it.cleanup_id = ? ORDER BY d.published_on, it.id`, cleanupID)
}
