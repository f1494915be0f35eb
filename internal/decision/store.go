package decision

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// Store is the SQL the Service needs: one method per query, no rules. Every
// method takes the Querier to run on (the DB, or the caller's transaction).
// Org units are not read here but through units (the org service).
type Store struct{ units OrgUnits }

// ListFilter narrows the decision list.
type ListFilter struct {
	Q                string
	Stage            string
	Status           string
	UnitID           int64
	Year             int
	CatalogueItemID  int64
	Consultation     string
	CollectiveFrom   string
	CollectiveTo     string
	Corrected        bool
	CorrectedFrom    string // with Corrected: a correction dated in [CorrectedFrom, CorrectedTo]
	CorrectedTo      string
	UnitPath         string // subtree filter (figures' drill-down)
	ScopeSQL         string
	ScopeArgs        []any
	OnlyCollectively bool
}

func now(ctx context.Context) string {
	return clock.Now(ctx, timeNow).UTC().Format("2006-01-02T15:04:05Z")
}

// UnitRef returns a unit's name and materialized path, asking the org
// service (which reads on its own connection, so q is not used).
func (st Store) UnitRef(ctx context.Context, _ db.Querier, id int64) (name, path string, err error) {
	if st.units == nil {
		return "", "", errors.New("decision: Deps.Units is not wired")
	}
	return st.units.UnitNamePath(ctx, id)
}

// UnitNamed finds the one active unit with this name or code (the org
// service's lookup).
func (st Store) UnitNamed(ctx context.Context, nameOrCode string) (id int64, name, path string, err error) {
	if st.units == nil {
		return 0, "", "", errors.New("decision: Deps.Units is not wired")
	}
	return st.units.UnitByNameOrCode(ctx, nameOrCode)
}

// ---- categories ----

func (Store) ListCategories(ctx context.Context, q db.Querier, activeOnly bool) ([]Category, error) {
	query := "SELECT id, name, kinds, sort, active, version FROM decision_categories"
	if activeOnly {
		query += " WHERE active = 1"
	}
	return db.All(ctx, q, scanCategory, query+" ORDER BY sort, id")
}

func scanCategory(sc interface{ Scan(...any) error }) (Category, error) {
	var c Category
	var kinds string
	var active int
	if err := sc.Scan(&c.ID, &c.Name, &kinds, &c.Sort, &active, &c.Version); err != nil {
		return c, db.Classify(err)
	}
	c.Active = active == 1
	c.Kinds = []string{}
	_ = json.Unmarshal([]byte(kinds), &c.Kinds)
	return c, nil
}

func (Store) GetCategory(ctx context.Context, q db.Querier, id int64) (Category, error) {
	return scanCategory(q.QueryRow(ctx, "SELECT id, name, kinds, sort, active, version FROM decision_categories WHERE id = ?", id))
}

func (Store) CreateCategory(ctx context.Context, q db.Querier, c Category) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO decision_categories (name, kinds, sort, active) VALUES (?, ?, ?, ?) RETURNING id",
		c.Name, jsonText(c.Kinds), c.Sort, boolInt(c.Active)).Scan(&id)
	return id, db.Classify(err)
}

func (Store) UpdateCategory(ctx context.Context, q db.Querier, c Category) (bool, error) {
	res, err := q.Exec(ctx, "UPDATE decision_categories SET name = ?, kinds = ?, sort = ?, active = ?, version = version + 1 WHERE id = ? AND version = ?",
		c.Name, jsonText(c.Kinds), c.Sort, boolInt(c.Active), c.ID, c.Version)
	return versioned(res, err)
}

// ---- catalogues ----

const catalogueCols = `c.id, c.year, c.unit_id, COALESCE(u.name, ''), c.title, c.status, c.party_agreed_on, c.party_note, c.approved_by,
	c.approved_at, c.published_on, c.published_by, c.version, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM decision_catalogue_items i WHERE i.catalogue_id = c.id)`

func scanCatalogue(sc interface{ Scan(...any) error }) (Catalogue, error) {
	var c Catalogue
	err := sc.Scan(&c.ID, &c.Year, &c.UnitID, &c.UnitName, &c.Title, &c.Status, &c.PartyAgreedOn, &c.PartyNote, &c.ApprovedBy,
		&c.ApprovedAt, &c.PublishedOn, &c.PublishedBy, &c.Version, &c.CreatedAt, &c.UpdatedAt, &c.ItemCount)
	c.StatusLabel = c.Status.Label()
	return c, db.Classify(err)
}

func (Store) ListCatalogues(ctx context.Context, q db.Querier, year int, status, scopeSQL string, scopeArgs []any, page db.Page) ([]Catalogue, int, error) {
	where := []string{scopeSQL}
	args := append([]any(nil), scopeArgs...)
	if year > 0 {
		where = append(where, "c.year = ?")
		args = append(args, year)
	}
	if status != "" {
		where = append(where, "c.status = ?")
		args = append(args, status)
	}
	w := " WHERE " + strings.Join(where, " AND ")
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM decision_catalogues c"+w, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := page.Limit()
	out, err := db.All(ctx, q, scanCatalogue, "SELECT "+catalogueCols+" FROM decision_catalogues c LEFT JOIN org_unit_refs u ON u.id = c.unit_id"+w+
		" ORDER BY c.year DESC, c.id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

func (Store) GetCatalogue(ctx context.Context, q db.Querier, id int64) (Catalogue, error) {
	return scanCatalogue(q.QueryRow(ctx, "SELECT "+catalogueCols+" FROM decision_catalogues c LEFT JOIN org_unit_refs u ON u.id = c.unit_id WHERE c.id = ?", id))
}

func (Store) CreateCatalogue(ctx context.Context, q db.Querier, c Catalogue) (int64, error) {
	var id int64
	ts := now(ctx)
	err := q.QueryRow(ctx, "INSERT INTO decision_catalogues (year, unit_id, title, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		c.Year, c.UnitID, c.Title, string(CatalogueDraft), ts, ts).Scan(&id)
	if err != nil && apperr.Is(db.Classify(err), apperr.Conflict) {
		return 0, apperr.Wrap(err, apperr.Conflict, "该单位 %d 年度的决策事项目录已存在", c.Year)
	}
	return id, db.Classify(err)
}

func (Store) UpdateCatalogue(ctx context.Context, q db.Querier, c Catalogue) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE decision_catalogues SET title = ?, status = ?, party_agreed_on = ?, party_note = ?, approved_by = ?,
		approved_at = ?, published_on = ?, published_by = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		c.Title, string(c.Status), c.PartyAgreedOn, c.PartyNote, c.ApprovedBy, c.ApprovedAt, c.PublishedOn, c.PublishedBy, now(ctx), c.ID, c.Version)
	return versioned(res, err)
}

const itemCols = `i.id, i.catalogue_id, i.category_id, COALESCE(k.name, ''), i.kind, i.title, i.unit_id, COALESCE(u.name, ''), i.basis, i.planned, i.sort, i.version`

func scanItem(sc interface{ Scan(...any) error }) (CatalogueItem, error) {
	var it CatalogueItem
	err := sc.Scan(&it.ID, &it.CatalogueID, &it.CategoryID, &it.CategoryName, &it.Kind, &it.Title, &it.UnitID, &it.UnitName, &it.Basis, &it.Planned, &it.Sort, &it.Version)
	it.DecisionIDs = []int64{}
	return it, db.Classify(err)
}

const itemFrom = " FROM decision_catalogue_items i LEFT JOIN decision_categories k ON k.id = i.category_id LEFT JOIN org_unit_refs u ON u.id = i.unit_id"

func (Store) ListItems(ctx context.Context, q db.Querier, catalogueID int64) ([]CatalogueItem, error) {
	rows, err := q.Query(ctx, "SELECT "+itemCols+itemFrom+" WHERE i.catalogue_id = ? ORDER BY k.sort, i.sort, i.id", catalogueID)
	if err != nil {
		return nil, err
	}
	out := []CatalogueItem{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	links, err := q.Query(ctx, `SELECT d.catalogue_item_id, d.id FROM decisions d JOIN decision_catalogue_items i ON i.id = d.catalogue_item_id
		WHERE i.catalogue_id = ? ORDER BY d.id`, catalogueID)
	if err != nil {
		return nil, err
	}
	defer links.Close()
	byItem := map[int64][]int64{}
	for links.Next() {
		var itemID, decID int64
		if err := links.Scan(&itemID, &decID); err != nil {
			return nil, err
		}
		byItem[itemID] = append(byItem[itemID], decID)
	}
	for i := range out {
		if ids := byItem[out[i].ID]; ids != nil {
			out[i].DecisionIDs = ids
		}
	}
	return out, links.Err()
}

func (Store) GetItem(ctx context.Context, q db.Querier, id int64) (CatalogueItem, error) {
	return scanItem(q.QueryRow(ctx, "SELECT "+itemCols+itemFrom+" WHERE i.id = ?", id))
}

func (Store) CreateItem(ctx context.Context, q db.Querier, it CatalogueItem) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO decision_catalogue_items (catalogue_id, category_id, kind, title, unit_id, basis, planned, sort)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, it.CatalogueID, it.CategoryID, it.Kind, it.Title, it.UnitID, it.Basis, it.Planned, it.Sort).Scan(&id)
	return id, db.Classify(err)
}

func (Store) UpdateItem(ctx context.Context, q db.Querier, it CatalogueItem) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE decision_catalogue_items SET category_id = ?, kind = ?, title = ?, unit_id = ?, basis = ?, planned = ?, sort = ?,
		version = version + 1 WHERE id = ? AND version = ?`, it.CategoryID, it.Kind, it.Title, it.UnitID, it.Basis, it.Planned, it.Sort, it.ID, it.Version)
	return versioned(res, err)
}

func (Store) DeleteItem(ctx context.Context, q db.Querier, id int64, version int) (bool, error) {
	res, err := q.Exec(ctx, "DELETE FROM decision_catalogue_items WHERE id = ? AND version = ?", id, version)
	return versioned(res, err)
}

// ---- decisions ----

const decisionCols = `d.id, d.code, d.title, COALESCE(d.catalogue_item_id, 0), COALESCE(i.title, ''), d.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
	d.decision_body, d.body_unit_id, d.stage, d.status, d.started_on, d.consultation, d.comment_start, d.comment_end, d.public_summary, d.public_feedback,
	d.legal_review_id, d.legal_review_status, d.collective_on, d.collective_review, d.published_on, d.public_text, d.archived_on,
	d.created_by, (SELECT COUNT(*) FROM decision_corrections c WHERE c.decision_id = d.id), d.version, d.created_at, d.updated_at`

// decisionListCols are decisionCols without the published text (a document
// body: lists and exports never carry it; the detail does).
var decisionListCols = strings.Replace(decisionCols, "d.public_text", "''", 1)

const decisionFrom = " FROM decisions d LEFT JOIN org_unit_refs u ON u.id = d.unit_id LEFT JOIN decision_catalogue_items i ON i.id = d.catalogue_item_id"

func scanDecision(sc interface{ Scan(...any) error }) (Decision, error) {
	var d Decision
	err := sc.Scan(&d.ID, &d.Code, &d.Title, &d.CatalogueItemID, &d.CatalogueItem, &d.UnitID, &d.UnitName, &d.UnitPath,
		&d.DecisionBody, &d.BodyUnitID, &d.Stage, &d.Status, &d.StartedOn, &d.Consultation, &d.CommentStart, &d.CommentEnd, &d.PublicSummary, &d.PublicFeedback,
		&d.LegalReviewID, &d.LegalReviewStatus, &d.CollectiveOn, &d.CollectiveReview, &d.PublishedOn, &d.PublicText, &d.ArchivedOn,
		&d.CreatedBy, &d.Corrections, &d.Version, &d.CreatedAt, &d.UpdatedAt)
	d.StageLabel = d.Stage.Label()
	d.StatusLabel = d.Status.Label()
	d.LegalReviewLabel = ReviewLabel(d.LegalReviewStatus)
	return d, db.Classify(err)
}

func (Store) GetDecision(ctx context.Context, q db.Querier, id int64) (Decision, error) {
	return scanDecision(q.QueryRow(ctx, "SELECT "+decisionCols+decisionFrom+" WHERE d.id = ?", id))
}

// CountDecisionsInYear counts decisions started in year (for codes).
func (Store) CountDecisionsInYear(ctx context.Context, q db.Querier, year string) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM decisions WHERE code LIKE ?", "JC-"+year+"-%").Scan(&n)
	return n, err
}

func (Store) CreateDecision(ctx context.Context, q db.Querier, d Decision) (int64, error) {
	var item any
	if d.CatalogueItemID != 0 {
		item = d.CatalogueItemID
	}
	ts := now(ctx)
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO decisions (code, title, catalogue_item_id, unit_id, decision_body, body_unit_id, stage, status, started_on, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.Code, d.Title, item, d.UnitID, d.DecisionBody, d.BodyUnitID, string(d.Stage), string(d.Status), d.StartedOn, d.CreatedBy, ts, ts).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, FigureTally.Added(ctx, q, id)
}

// UpdateDecision writes the summary columns when version still matches
// and reports whether it did; the figures' counters move with the row
// (FigureTally).
func (Store) UpdateDecision(ctx context.Context, q db.Querier, d Decision) (bool, error) {
	var ok bool
	err := FigureTally.Write(ctx, q, d.ID, func() error {
		var err error
		ok, err = updateDecision(ctx, q, d)
		return err
	})
	return ok, err
}

func updateDecision(ctx context.Context, q db.Querier, d Decision) (bool, error) {
	res, err := q.Exec(ctx, `UPDATE decisions SET title = ?, decision_body = ?, stage = ?, status = ?, consultation = ?, comment_start = ?, comment_end = ?,
		public_summary = ?, public_feedback = ?, legal_review_id = ?, legal_review_status = ?, collective_on = ?, collective_review = ?,
		published_on = ?, public_text = ?, archived_on = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		d.Title, d.DecisionBody, string(d.Stage), string(d.Status), string(d.Consultation), d.CommentStart, d.CommentEnd,
		d.PublicSummary, d.PublicFeedback, d.LegalReviewID, d.LegalReviewStatus, d.CollectiveOn, d.CollectiveReview,
		d.PublishedOn, d.PublicText, d.ArchivedOn, now(ctx), d.ID, d.Version)
	return versioned(res, err)
}

// DecisionList is the decision list query for f (newest first): the list,
// the export's cursor and the EXPLAIN test run it.
func (Store) DecisionList(f ListFilter) db.ListSQL {
	where := []string{f.ScopeSQL}
	args := append([]any(nil), f.ScopeArgs...)
	if f.Q != "" {
		where = append(where, `(d.title LIKE ? ESCAPE '\' OR d.code LIKE ? ESCAPE '\')`)
		args = append(args, db.Like(f.Q), db.Like(f.Q))
	}
	if f.Stage != "" {
		where = append(where, "d.stage = ?")
		args = append(args, f.Stage)
	}
	if f.Status != "" {
		where = append(where, "d.status = ?")
		args = append(args, f.Status)
	}
	if f.UnitID != 0 {
		where = append(where, "d.unit_id = ?")
		args = append(args, f.UnitID)
	}
	if f.UnitPath != "" {
		where = append(where, "u.path LIKE ?")
		args = append(args, f.UnitPath+"%")
	}
	if f.Year != 0 {
		where = append(where, "d.code LIKE ?")
		args = append(args, "JC-"+itoa(f.Year)+"-%")
	}
	if f.CatalogueItemID != 0 {
		where = append(where, "d.catalogue_item_id = ?")
		args = append(args, f.CatalogueItemID)
	}
	if f.Consultation != "" {
		where = append(where, "d.consultation = ?")
		args = append(args, f.Consultation)
	}
	if f.OnlyCollectively {
		where = append(where, "d.collective_on <> ''")
	}
	if f.CollectiveFrom != "" {
		where = append(where, "d.collective_on >= ?")
		args = append(args, f.CollectiveFrom)
	}
	if f.CollectiveTo != "" {
		where = append(where, "d.collective_on <> '' AND d.collective_on <= ?")
		args = append(args, f.CollectiveTo)
	}
	if f.Corrected {
		cw := "c.decision_id = d.id"
		if f.CorrectedFrom != "" {
			cw += " AND c.corrected_on >= ?"
			args = append(args, f.CorrectedFrom)
		}
		if f.CorrectedTo != "" {
			cw += " AND c.corrected_on <= ?"
			args = append(args, f.CorrectedTo)
		}
		where = append(where, "EXISTS (SELECT 1 FROM decision_corrections c WHERE "+cw+")")
	}
	return db.ListSQL{Cols: decisionListCols, From: strings.TrimPrefix(decisionFrom, " FROM "), Where: strings.Join(where, " AND "), Args: args,
		Order: []db.Key{{Expr: "d.id", Desc: true}}}
}

func decisionKeys(d Decision) []any { return []any{d.ID} }

// ListDecisions returns one page of the decision list for f.
func (st Store) ListDecisions(ctx context.Context, q db.Querier, f ListFilter, req db.ListReq) (db.Paged[Decision], error) {
	return db.Fetch(ctx, q, st.DecisionList(f), req, scanDecision, decisionKeys)
}

// ---- steps ----

func (Store) ListSteps(ctx context.Context, q db.Querier, decisionID int64) (map[Step]StepRecord, error) {
	rows, err := q.Query(ctx, "SELECT step, state, data, file_ids, done_on, recorded_by, recorded_by_id, recorded_at FROM decision_steps WHERE decision_id = ?", decisionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[Step]StepRecord{}
	for rows.Next() {
		var r StepRecord
		var data, files string
		if err := rows.Scan(&r.Step, &r.State, &data, &files, &r.DoneOn, &r.RecordedBy, &r.RecordedByID, &r.RecordedAt); err != nil {
			return nil, err
		}
		r.Data = json.RawMessage(data)
		r.FileIDs = parseIDs(files)
		out[r.Step] = r
	}
	return out, rows.Err()
}

// PutStep inserts or replaces one step's record.
func (Store) PutStep(ctx context.Context, q db.Querier, decisionID int64, r StepRecord) error {
	data := string(r.Data)
	if data == "" {
		data = "{}"
	}
	_, err := q.Exec(ctx, `INSERT INTO decision_steps (decision_id, step, state, data, file_ids, done_on, recorded_by, recorded_by_id, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (decision_id, step) DO UPDATE SET state = excluded.state, data = excluded.data, file_ids = excluded.file_ids,
		done_on = excluded.done_on, recorded_by = excluded.recorded_by, recorded_by_id = excluded.recorded_by_id, recorded_at = excluded.recorded_at`,
		decisionID, string(r.Step), string(r.State), data, jsonText(r.FileIDs), r.DoneOn, r.RecordedBy, r.RecordedByID, r.RecordedAt)
	return db.Classify(err)
}

// ---- comments ----

func (Store) InsertComment(ctx context.Context, q db.Querier, c Comment, ipHash string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO decision_comments (decision_id, author, contact, content, ip_hash, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
		c.DecisionID, c.Author, c.Contact, c.Content, ipHash, c.CreatedAt).Scan(&id)
	return id, db.Classify(err)
}

func (Store) CountComments(ctx context.Context, q db.Querier, decisionID int64) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM decision_comments WHERE decision_id = ?", decisionID).Scan(&n)
	return n, err
}

// CommentCounts counts the public comments on each decision in ids in one
// query; decisions without comments are absent from the map.
func (Store) CommentCounts(ctx context.Context, q db.Querier, ids []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.Query(ctx, "SELECT decision_id, COUNT(*) FROM decision_comments WHERE decision_id IN (?"+strings.Repeat(", ?", len(ids)-1)+") GROUP BY decision_id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// CountCommentsFrom counts comments from one address since a timestamp.
func (Store) CountCommentsFrom(ctx context.Context, q db.Querier, ipHash, since string) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM decision_comments WHERE ip_hash = ? AND created_at >= ?", ipHash, since).Scan(&n)
	return n, err
}

func (Store) ListComments(ctx context.Context, q db.Querier, decisionID int64, page db.Page, all bool) ([]Comment, int, error) {
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM decision_comments WHERE decision_id = ?", decisionID).Scan(&total); err != nil {
		return nil, 0, err
	}
	query := "SELECT id, decision_id, author, contact, content, adopted, reply, created_at FROM decision_comments WHERE decision_id = ? ORDER BY id"
	args := []any{decisionID}
	if !all {
		limit, offset := page.Limit()
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, offset)
	}
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []Comment{}
	for rows.Next() {
		var c Comment
		if err := rows.Scan(&c.ID, &c.DecisionID, &c.Author, &c.Contact, &c.Content, &c.Adopted, &c.Reply, &c.CreatedAt); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

func (Store) AnswerComment(ctx context.Context, q db.Querier, decisionID, id int64, adopted, reply string) error {
	res, err := q.Exec(ctx, "UPDATE decision_comments SET adopted = ?, reply = ? WHERE id = ? AND decision_id = ?", adopted, reply, id, decisionID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return apperr.New(apperr.NotFound, "意见不存在")
	}
	return nil
}

// ---- experts ----

const expertCols = `e.id, e.kind, e.credit_code, COALESCE(e.org_id, 0), COALESCE(o.name, ''), e.name, e.title, e.field, e.employer, COALESCE(e.unit_id, 0), e.phone, e.active, e.version`

const expertFrom = " FROM decision_experts e LEFT JOIN decision_experts o ON o.id = e.org_id"

func scanExpert(sc interface{ Scan(...any) error }) (Expert, error) {
	var e Expert
	var active int
	err := sc.Scan(&e.ID, &e.Kind, &e.CreditCode, &e.OrgID, &e.OrgName, &e.Name, &e.Title, &e.Field, &e.Employer, &e.UnitID, &e.Phone, &active, &e.Version)
	e.Active = active == 1
	return e, db.Classify(err)
}

func (Store) ListExperts(ctx context.Context, q db.Querier, query, kind string, page db.Page) ([]Expert, int, error) {
	where, args := "", []any{}
	if query != "" {
		where = ` WHERE (e.name LIKE ? ESCAPE '\' OR e.field LIKE ? ESCAPE '\' OR e.employer LIKE ? ESCAPE '\' OR e.credit_code LIKE ? ESCAPE '\')`
		args = append(args, db.Like(query), db.Like(query), db.Like(query), db.Like(query))
	}
	if kind != "" {
		if where == "" {
			where = " WHERE e.kind = ?"
		} else {
			where += " AND e.kind = ?"
		}
		args = append(args, kind)
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*) FROM decision_experts e"+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := page.Limit()
	out, err := db.All(ctx, q, scanExpert, "SELECT "+expertCols+expertFrom+where+" ORDER BY e.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	return out, total, err
}

func (Store) GetExpert(ctx context.Context, q db.Querier, id int64) (Expert, error) {
	return scanExpert(q.QueryRow(ctx, "SELECT "+expertCols+expertFrom+" WHERE e.id = ?", id))
}

func (Store) CreateExpert(ctx context.Context, q db.Querier, e Expert) (int64, error) {
	var id int64
	var unit any
	if e.UnitID != 0 {
		unit = e.UnitID
	}
	err := q.QueryRow(ctx, "INSERT INTO decision_experts (kind, credit_code, org_id, name, title, field, employer, unit_id, phone, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
		e.Kind, e.CreditCode, nullID(e.OrgID), e.Name, e.Title, e.Field, e.Employer, unit, e.Phone, boolInt(e.Active)).Scan(&id)
	return id, db.Classify(err)
}

func (Store) UpdateExpert(ctx context.Context, q db.Querier, e Expert) (bool, error) {
	var unit any
	if e.UnitID != 0 {
		unit = e.UnitID
	}
	res, err := q.Exec(ctx, "UPDATE decision_experts SET kind = ?, credit_code = ?, org_id = ?, name = ?, title = ?, field = ?, employer = ?, unit_id = ?, phone = ?, active = ?, version = version + 1 WHERE id = ? AND version = ?",
		e.Kind, e.CreditCode, nullID(e.OrgID), e.Name, e.Title, e.Field, e.Employer, unit, e.Phone, boolInt(e.Active), e.ID, e.Version)
	return versioned(res, err)
}

// nullID stores 0 as NULL (an optional reference).
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (Store) InsertOpinion(ctx context.Context, q db.Querier, o ExpertOpinion) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO decision_expert_opinions (decision_id, expert_id, conflict_declared, conflict_note, opinion, signed_on, file_ids, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		o.DecisionID, o.ExpertID, boolInt(o.ConflictDeclared), o.ConflictNote, o.Opinion, o.SignedOn, jsonText(o.FileIDs), o.RecordedBy, o.RecordedAt).Scan(&id)
	if err != nil && apperr.Is(db.Classify(err), apperr.Conflict) {
		return 0, apperr.Wrap(err, apperr.Conflict, "该专家对本决策的论证意见已经登记")
	}
	return id, db.Classify(err)
}

func (Store) ListOpinions(ctx context.Context, q db.Querier, decisionID int64) ([]ExpertOpinion, error) {
	rows, err := q.Query(ctx, `SELECT o.id, o.decision_id, o.expert_id, e.name, e.title, e.employer, o.conflict_declared, o.conflict_note, o.opinion, o.signed_on,
		o.file_ids, o.recorded_by, o.recorded_at FROM decision_expert_opinions o JOIN decision_experts e ON e.id = o.expert_id WHERE o.decision_id = ? ORDER BY o.id`, decisionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExpertOpinion{}
	for rows.Next() {
		var o ExpertOpinion
		var conflict int
		var files string
		if err := rows.Scan(&o.ID, &o.DecisionID, &o.ExpertID, &o.ExpertName, &o.ExpertTitle, &o.Employer, &conflict, &o.ConflictNote, &o.Opinion, &o.SignedOn,
			&files, &o.RecordedBy, &o.RecordedAt); err != nil {
			return nil, err
		}
		o.ConflictDeclared = conflict == 1
		o.FileIDs = parseIDs(files)
		out = append(out, o)
	}
	return out, rows.Err()
}

// ---- progress, corrections ----

func (Store) InsertProgress(ctx context.Context, q db.Querier, p ProgressReport) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO decision_progress (decision_id, reported_on, content, percent, file_ids, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		p.DecisionID, p.ReportedOn, p.Content, p.Percent, jsonText(p.FileIDs), p.RecordedBy, p.RecordedAt).Scan(&id)
	return id, db.Classify(err)
}

func (Store) ListProgress(ctx context.Context, q db.Querier, decisionID int64) ([]ProgressReport, error) {
	rows, err := q.Query(ctx, "SELECT id, decision_id, reported_on, content, percent, file_ids, recorded_by, recorded_at FROM decision_progress WHERE decision_id = ? ORDER BY reported_on, id", decisionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ProgressReport{}
	for rows.Next() {
		var p ProgressReport
		var files string
		if err := rows.Scan(&p.ID, &p.DecisionID, &p.ReportedOn, &p.Content, &p.Percent, &files, &p.RecordedBy, &p.RecordedAt); err != nil {
			return nil, err
		}
		p.FileIDs = parseIDs(files)
		out = append(out, p)
	}
	return out, rows.Err()
}

func (Store) InsertCorrection(ctx context.Context, q db.Querier, c Correction) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "INSERT INTO decision_corrections (decision_id, authority, corrected_on, kind, description, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		c.DecisionID, c.Authority, c.CorrectedOn, c.Kind, c.Description, c.RecordedBy, c.RecordedAt).Scan(&id)
	return id, db.Classify(err)
}

func (Store) ListCorrections(ctx context.Context, q db.Querier, decisionID int64) ([]Correction, error) {
	rows, err := q.Query(ctx, "SELECT id, decision_id, authority, corrected_on, kind, description, recorded_by, recorded_at FROM decision_corrections WHERE decision_id = ? ORDER BY corrected_on, id", decisionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Correction{}
	for rows.Next() {
		var c Correction
		if err := rows.Scan(&c.ID, &c.DecisionID, &c.Authority, &c.CorrectedOn, &c.Kind, &c.Description, &c.RecordedBy, &c.RecordedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ---- figures ----

// CorrectedCount counts the decisions with a correction dated in
// [from, to] (empty: open) within the scope and unit subtree. It reads the
// corrections of the period through their date index, not the decisions:
// a decision corrected twice in the period counts once, so this is not a
// sum of per-day counters.
func (Store) CorrectedCount(ctx context.Context, q db.Querier, scopeSQL string, scopeArgs []any, unitPath, from, to string) (int, error) {
	where := []string{scopeSQL}
	args := append([]any(nil), scopeArgs...)
	if unitPath != "" {
		where = append(where, "u.path LIKE ?")
		args = append(args, unitPath+"%")
	}
	if from != "" {
		where = append(where, "c.corrected_on >= ?")
		args = append(args, from)
	}
	if to != "" {
		where = append(where, "c.corrected_on <= ?")
		args = append(args, to)
	}
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(DISTINCT c.decision_id) FROM decision_corrections c JOIN decisions d ON d.id = c.decision_id LEFT JOIN org_unit_refs u ON u.id = d.unit_id WHERE "+
		strings.Join(where, " AND "), args...).Scan(&n)
	return n, err
}

// ---- public ----

// ListPublic lists decisions the portal may show: consultations opened or
// closed, and published decisions.
func (Store) ListPublic(ctx context.Context, q db.Querier, kind string, page db.Page) ([]Decision, int, error) {
	where := " WHERE d.consultation IN ('open', 'closed')"
	if kind == "published" {
		where = " WHERE d.published_on <> ''"
	} else if kind == "open" {
		where = " WHERE d.consultation = 'open'"
	}
	var total int
	if err := q.QueryRow(ctx, "SELECT COUNT(*)"+decisionFrom+where).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := page.Limit()
	out, err := db.All(ctx, q, scanDecision, "SELECT "+decisionCols+decisionFrom+where+" ORDER BY d.comment_start DESC, d.id DESC LIMIT ? OFFSET ?", limit, offset)
	return out, total, err
}

// ---- helpers ----

// versioned reports whether a versioned write (… WHERE id = ? AND version
// = ?) found its row at that version (update.Update's Write).
func versioned(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil || string(b) == "null" {
		return "[]"
	}
	return string(b)
}

func parseIDs(s string) []int64 {
	out := []int64{}
	_ = json.Unmarshal([]byte(s), &out)
	if out == nil {
		out = []int64{}
	}
	return out
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
