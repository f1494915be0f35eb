package enforcement

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
)

// ---- 涉企处罚报备 ----

const reportCols = `r.id, r.case_id, COALESCE(c.code, ''), COALESCE(c.title, ''), COALESCE(c.party_name, ''), r.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
r.amount_fen, r.summary, r.status, r.submitted_on, r.reviewed_on, r.review_note, r.version`
const reportFrom = `enforcement_penalty_reports r LEFT JOIN enforcement_cases c ON c.id = r.case_id LEFT JOIN org_unit_refs u ON u.id = r.unit_id`

func scanReport(sc db.Scanner) (*PenaltyReport, error) {
	var r PenaltyReport
	err := sc.Scan(&r.ID, &r.CaseID, &r.CaseCode, &r.CaseTitle, &r.PartyName, &r.UnitID, &r.UnitName, &r.unitPath,
		&r.AmountFen, &r.Summary, &r.Status, &r.SubmittedOn, &r.ReviewedOn, &r.ReviewNote, &r.Version)
	return &r, err
}

func (Store) report(ctx context.Context, q db.Querier, id int64) (*PenaltyReport, error) {
	r, err := scanReport(q.QueryRow(ctx, "SELECT "+reportCols+" FROM "+reportFrom+" WHERE r.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return r, nil
}

func (Store) reportByCase(ctx context.Context, q db.Querier, caseID int64) (*PenaltyReport, error) {
	r, err := scanReport(q.QueryRow(ctx, "SELECT "+reportCols+" FROM "+reportFrom+" WHERE r.case_id = ?", caseID))
	if err != nil {
		return nil, db.Classify(err)
	}
	return r, nil
}

func (Store) insertReport(ctx context.Context, q db.Querier, c *Case, summary string, by int64, on string, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_penalty_reports (case_id, unit_id, amount_fen, summary, status, submitted_by, submitted_on, created_at, updated_at)
VALUES (?, ?, ?, ?, 'submitted', ?, ?, ?, ?) RETURNING id`, c.ID, c.UnitID, c.AmountFen, summary, by, on, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

// updateReport writes a report's state; by is the submitter on a
// submission, the reviewer otherwise.
func (Store) updateReport(ctx context.Context, q db.Querier, r *PenaltyReport, by, version int64, at time.Time) (bool, error) {
	who := "reviewed_by"
	if r.Status == "submitted" {
		who = "submitted_by"
	}
	return affected(q.Exec(ctx, `UPDATE enforcement_penalty_reports SET status = ?, amount_fen = ?, summary = ?, submitted_on = ?, reviewed_on = ?, review_note = ?, `+
		who+` = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		r.Status, r.AmountFen, r.Summary, r.SubmittedOn, r.ReviewedOn, r.ReviewNote, by, at.UTC(), r.ID, version))
}

// bumpCase moves a case's version (a change kept beside the case row).
func (Store) bumpCase(ctx context.Context, q db.Querier, id, version int64, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, "UPDATE enforcement_cases SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", at.UTC(), id, version))
}

// ---- 不罚 / 免罚 / 轻罚 清单 ----

const leniencyCols = `l.id, l.list_no, l.list_version, l.body_id, COALESCE(b.name, ''), l.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
l.title, l.granting_doc, l.effective_from, l.effective_to, l.version`
const leniencyFrom = `enforcement_leniency_lists l LEFT JOIN enforcement_bodies b ON b.id = l.body_id LEFT JOIN org_unit_refs u ON u.id = l.unit_id`

func scanLeniency(sc db.Scanner) (*LeniencyList, error) {
	var l LeniencyList
	err := sc.Scan(&l.ID, &l.ListNo, &l.ListVersion, &l.BodyID, &l.BodyName, &l.UnitID, &l.UnitName, &l.unitPath,
		&l.Title, &l.GrantingDoc, &l.EffectiveFrom, &l.EffectiveTo, &l.Version)
	l.Items = []LeniencyItem{}
	return &l, err
}

func (Store) leniencyList(ctx context.Context, q db.Querier, id int64) (*LeniencyList, error) {
	l, err := scanLeniency(q.QueryRow(ctx, "SELECT "+leniencyCols+" FROM "+leniencyFrom+" WHERE l.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return l, nil
}

func (Store) insertLeniencyList(ctx context.Context, q db.Querier, in LeniencyInput, unitID, listNo int64, listVersion int, by int64, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_leniency_lists (list_no, list_version, body_id, unit_id, title, granting_doc, effective_from, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, listNo, listVersion, in.BodyID, unitID, in.Title, in.GrantingDoc, in.EffectiveFrom, by, at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	if listNo == 0 {
		_, err = q.Exec(ctx, "UPDATE enforcement_leniency_lists SET list_no = id WHERE id = ?", id)
	}
	return id, db.Classify(err)
}

func (Store) updateLeniencyList(ctx context.Context, q db.Querier, id, version int64, in LeniencyInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE enforcement_leniency_lists SET title = ?, granting_doc = ?, effective_from = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ?`, in.Title, in.GrantingDoc, in.EffectiveFrom, at.UTC(), id, version))
}

func (Store) endLeniencyList(ctx context.Context, q db.Querier, id, version int64, to string, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, "UPDATE enforcement_leniency_lists SET effective_to = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?", to, at.UTC(), id, version))
}

// insertLeniencyItems writes a version's items with multi-row INSERTs (an
// imported list has up to maxLeniencyItems).
func (Store) insertLeniencyItems(ctx context.Context, q db.Querier, listID int64, items []LeniencyItemInput) error {
	rows := make([][]any, len(items))
	for i, it := range items {
		rows[i] = []any{listID, i + 1, it.Violation, it.LegalBasis, strings.Join(it.Conditions, ","), it.Kind, it.LightMaxFen}
	}
	return db.Classify(db.InsertMany(ctx, q, "enforcement_leniency_items",
		[]string{"list_id", "seq", "violation", "legal_basis", "conditions", "kind", "light_max_fen"}, rows))
}

// replaceLeniencyItems rewrites a version's items (only a version not yet
// in force, which no case can apply).
func (st Store) replaceLeniencyItems(ctx context.Context, q db.Querier, listID int64, items []LeniencyItemInput) error {
	if _, err := q.Exec(ctx, "DELETE FROM enforcement_leniency_items WHERE list_id = ?", listID); err != nil {
		return db.Classify(err)
	}
	return st.insertLeniencyItems(ctx, q, listID, items)
}

const leniencyItemCols = `i.id, i.seq, i.violation, i.legal_basis, i.conditions, i.kind, i.light_max_fen`

func scanLeniencyItem(sc db.Scanner, extra ...any) (LeniencyItem, error) {
	var it LeniencyItem
	var conds string
	err := sc.Scan(append([]any{&it.ID, &it.Seq, &it.Violation, &it.LegalBasis, &conds, &it.Kind, &it.LightMaxFen}, extra...)...)
	decorateItem(&it, conds)
	return it, err
}

func decorateItem(it *LeniencyItem, conds string) {
	it.Conditions = []string{}
	labels := []string{}
	for _, c := range strings.Split(conds, ",") {
		if c != "" {
			it.Conditions = append(it.Conditions, c)
			labels = append(labels, option.Label(LeniencyConditions, c))
		}
	}
	it.ConditionsLabel = strings.Join(labels, "、")
	it.KindLabel = option.Label(LeniencyKinds, it.Kind)
}

func (Store) leniencyItems(ctx context.Context, q db.Querier, listID int64) ([]LeniencyItem, error) {
	return db.All(ctx, q, func(sc db.Scanner) (LeniencyItem, error) { return scanLeniencyItem(sc) },
		"SELECT "+leniencyItemCols+" FROM enforcement_leniency_items i WHERE i.list_id = ? ORDER BY i.seq", listID)
}

const caseLeniencyCols = leniencyItemCols + `, l.id, l.title, l.list_version, l.effective_from, l.effective_to, l.body_id`
const caseLeniencyFrom = ` FROM enforcement_leniency_items i JOIN enforcement_leniency_lists l ON l.id = i.list_id`

func scanCaseLeniency(sc db.Scanner, extra ...any) (*CaseLeniency, error) {
	var x CaseLeniency
	var err error
	x.Item, err = scanLeniencyItem(sc, append([]any{&x.ListID, &x.ListTitle, &x.ListVersion, &x.EffectiveFrom, &x.EffectiveTo, &x.BodyID}, extra...)...)
	x.ItemID = x.Item.ID
	return &x, err
}

// leniencyOfItem reads an item with its list version (no case facts).
func (Store) leniencyOfItem(ctx context.Context, q db.Querier, itemID int64) (*CaseLeniency, error) {
	x, err := scanCaseLeniency(q.QueryRow(ctx, "SELECT "+caseLeniencyCols+caseLeniencyFrom+" WHERE i.id = ?", itemID))
	if err != nil {
		return nil, db.Classify(err)
	}
	return x, nil
}

// caseLeniency reads the item a case applies (nil when none).
func (Store) caseLeniency(ctx context.Context, q db.Querier, caseID int64) (*CaseLeniency, error) {
	var first, minor, corrected int
	x, err := scanCaseLeniency(q.QueryRow(ctx, "SELECT "+caseLeniencyCols+", cl.first_violation, cl.minor, cl.corrected"+caseLeniencyFrom+
		" JOIN enforcement_case_leniency cl ON cl.item_id = i.id WHERE cl.case_id = ?", caseID), &first, &minor, &corrected)
	if err != nil {
		if err = db.Classify(err); apperr.Is(err, apperr.NotFound) {
			return nil, nil
		}
		return nil, err
	}
	x.FirstViolation, x.Minor, x.Corrected = first != 0, minor != 0, corrected != 0
	return x, nil
}

func (Store) setCaseLeniency(ctx context.Context, q db.Querier, caseID int64, in CaseLeniencyInput) error {
	if _, err := q.Exec(ctx, "DELETE FROM enforcement_case_leniency WHERE case_id = ?", caseID); err != nil {
		return db.Classify(err)
	}
	if in.ItemID == 0 {
		return nil
	}
	_, err := q.Exec(ctx, "INSERT INTO enforcement_case_leniency (case_id, item_id, first_violation, minor, corrected) VALUES (?, ?, ?, ?, ?)",
		caseID, in.ItemID, b2i(in.FirstViolation), b2i(in.Minor), b2i(in.Corrected))
	return db.Classify(err)
}

// ---- 涉企行政检查 ----

const planCols = `p.id, p.body_id, COALESCE(b.name, ''), p.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), p.year, p.title, p.items,
p.max_per_enterprise, p.status, p.published_on, p.version`
const planFrom = `enforcement_inspection_plans p LEFT JOIN enforcement_bodies b ON b.id = p.body_id LEFT JOIN org_unit_refs u ON u.id = p.unit_id`

func scanPlan(sc db.Scanner) (*InspectionPlan, error) {
	var p InspectionPlan
	var items string
	err := sc.Scan(&p.ID, &p.BodyID, &p.BodyName, &p.UnitID, &p.UnitName, &p.unitPath, &p.Year, &p.Title, &items, &p.MaxPerEnterprise, &p.Status, &p.PublishedOn, &p.Version)
	p.Items = []string{}
	for _, it := range strings.Split(items, "\n") {
		if it != "" {
			p.Items = append(p.Items, it)
		}
	}
	p.StatusLabel = option.Label(PlanStatuses, p.Status)
	return &p, err
}

func (Store) plan(ctx context.Context, q db.Querier, id int64) (*InspectionPlan, error) {
	p, err := scanPlan(q.QueryRow(ctx, "SELECT "+planCols+" FROM "+planFrom+" WHERE p.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return p, nil
}

func (Store) insertPlan(ctx context.Context, q db.Querier, in PlanInput, unitID int64, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_inspection_plans (body_id, unit_id, year, title, items, max_per_enterprise, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?) RETURNING id`, in.BodyID, unitID, in.Year, in.Title, strings.Join(in.Items, "\n"), in.MaxPerEnterprise, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updatePlan(ctx context.Context, q db.Querier, p *InspectionPlan, version int64, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE enforcement_inspection_plans SET year = ?, title = ?, items = ?, max_per_enterprise = ?, status = ?, published_on = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, p.Year, p.Title, strings.Join(p.Items, "\n"), p.MaxPerEnterprise, p.Status, p.PublishedOn,
		at.UTC(), p.ID, version))
}

// planLimit is the per-enterprise limit of a body's published plan for the
// year (the lowest if several; 0 when there is none).
func (Store) planLimit(ctx context.Context, q db.Querier, bodyID int64, year int) (int, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COALESCE(MIN(max_per_enterprise), 0) FROM enforcement_inspection_plans WHERE body_id = ? AND year = ? AND status = 'published'", bodyID, year).Scan(&n)
	return n, db.Classify(err)
}

const inspectionCols = `x.id, x.plan_id, COALESCE(p.title, ''), x.body_id, COALESCE(b.name, ''), x.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
x.enterprise, x.credit_code, x.inspected_on, x.item, x.result, x.version`
const inspectionFrom = `enforcement_inspections x LEFT JOIN enforcement_inspection_plans p ON p.id = x.plan_id LEFT JOIN enforcement_bodies b ON b.id = x.body_id
LEFT JOIN org_unit_refs u ON u.id = x.unit_id`

func scanInspection(sc db.Scanner) (*Inspection, error) {
	var x Inspection
	var plan *int64
	err := sc.Scan(&x.ID, &plan, &x.PlanTitle, &x.BodyID, &x.BodyName, &x.UnitID, &x.UnitName, &x.unitPath, &x.Enterprise, &x.CreditCode, &x.InspectedOn,
		&x.Item, &x.Result, &x.Version)
	if plan != nil {
		x.PlanID = *plan
	}
	x.Code = inspectionCode(x.ID, x.InspectedOn)
	x.Officers, x.OpenHits = []CaseOfficer{}, []Hit{}
	return &x, err
}

func (Store) inspection(ctx context.Context, q db.Querier, id int64) (*Inspection, error) {
	x, err := scanInspection(q.QueryRow(ctx, "SELECT "+inspectionCols+" FROM "+inspectionFrom+" WHERE x.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	day, _ := calendar.ParseDate(x.InspectedOn)
	x.Officers, err = db.All(ctx, q, func(sc db.Scanner) (CaseOfficer, error) {
		var o CaseOfficer
		var issued, expires string
		err := sc.Scan(&o.ID, &o.Name, &o.CertNo, &issued, &expires)
		o.ValidOnFiling = certValidOn(issued, expires, day)
		return o, err
	}, `SELECT o.id, o.name, o.cert_no, o.cert_issued_on, o.cert_expires_on FROM enforcement_inspection_officers io
JOIN enforcement_officers o ON o.id = io.officer_id WHERE io.inspection_id = ? ORDER BY o.id`, id)
	return x, err
}

func planArg(c *checkedInspection) any {
	if c.plan == nil {
		return nil
	}
	return c.plan.ID
}

func (Store) insertInspection(ctx context.Context, q db.Querier, c *checkedInspection, by int64, at time.Time) (int64, error) {
	var id int64
	p := c.in
	err := q.QueryRow(ctx, `INSERT INTO enforcement_inspections (plan_id, body_id, unit_id, enterprise, credit_code, inspected_on, item, result, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, planArg(c), c.body.ID, c.body.UnitID, p.Enterprise, p.CreditCode, p.InspectedOn, p.Item, p.Result,
		by, at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, InspectionTally.Added(ctx, q, id)
}

func (Store) updateInspection(ctx context.Context, q db.Querier, id, version int64, c *checkedInspection, at time.Time) (bool, error) {
	var ok bool
	p := c.in
	err := InspectionTally.Write(ctx, q, id, func() error {
		var err error
		ok, err = affected(q.Exec(ctx, `UPDATE enforcement_inspections SET plan_id = ?, body_id = ?, unit_id = ?, enterprise = ?, credit_code = ?, inspected_on = ?,
item = ?, result = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`, planArg(c), c.body.ID, c.body.UnitID, p.Enterprise, p.CreditCode,
			p.InspectedOn, p.Item, p.Result, at.UTC(), id, version))
		return err
	})
	return ok, err
}

func (Store) setInspectionOfficers(ctx context.Context, q db.Querier, id int64, officers []*Officer) error {
	if _, err := q.Exec(ctx, "DELETE FROM enforcement_inspection_officers WHERE inspection_id = ?", id); err != nil {
		return db.Classify(err)
	}
	for _, o := range officers {
		if _, err := q.Exec(ctx, "INSERT INTO enforcement_inspection_officers (inspection_id, officer_id) VALUES (?, ?)", id, o.ID); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

// inspectionFacts is what the inspection rules read of one inspection.
type inspectionFacts struct {
	id, bodyID, planID, unitID             int64
	code, unitName, enterprise, creditCode string
	inspectedOn                            string
}

// enterpriseYear reads an enterprise's inspections of one year in order
// (the credit-code index).
func (Store) enterpriseYear(ctx context.Context, q db.Querier, code string, year int) ([]inspectionFacts, error) {
	return db.All(ctx, q, func(sc db.Scanner) (inspectionFacts, error) {
		var x inspectionFacts
		var plan *int64
		err := sc.Scan(&x.id, &x.bodyID, &plan, &x.unitID, &x.unitName, &x.enterprise, &x.creditCode, &x.inspectedOn)
		if plan != nil {
			x.planID = *plan
		}
		x.code = inspectionCode(x.id, x.inspectedOn)
		return x, err
	}, `SELECT x.id, x.body_id, x.plan_id, x.unit_id, COALESCE(u.name, ''), x.enterprise, x.credit_code, x.inspected_on FROM enforcement_inspections x
LEFT JOIN org_unit_refs u ON u.id = x.unit_id WHERE x.credit_code = ? AND x.inspected_on >= ? AND x.inspected_on <= ? ORDER BY x.inspected_on, x.id`,
		code, fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year))
}

type enterpriseYearKey struct {
	code string
	year int
}

// enterpriseYears lists every (credit code, year) with inspections (the
// nightly run).
func (Store) enterpriseYears(ctx context.Context, q db.Querier) ([]enterpriseYearKey, error) {
	return db.All(ctx, q, func(sc db.Scanner) (enterpriseYearKey, error) {
		var k enterpriseYearKey
		var y string
		err := sc.Scan(&k.code, &y)
		k.year = date(y + "-01-01").Year
		return k, err
	}, "SELECT DISTINCT credit_code, substr(inspected_on, 1, 4) FROM enforcement_inspections ORDER BY 1, 2")
}

const inspectionHitCols = `h.id, h.inspection_id, '', COALESCE(x.enterprise, ''), COALESCE(u.name, ''), h.rule, h.rule_version, h.detail, h.status, h.finding_id, h.opened_on, h.closed_on, COALESCE(x.inspected_on, '')`
const inspectionHitFrom = `enforcement_inspection_hits h LEFT JOIN enforcement_inspections x ON x.id = h.inspection_id LEFT JOIN org_unit_refs u ON u.id = h.unit_id`

func scanInspectionHit(sc db.Scanner) (Hit, error) {
	var h Hit
	var day string
	err := sc.Scan(&h.ID, &h.CaseID, &h.CaseCode, &h.CaseTitle, &h.UnitName, &h.Rule, &h.RuleVersion, &h.Detail, &h.Status, &h.FindingID, &h.OpenedOn, &h.ClosedOn, &day)
	h.CaseCode = inspectionCode(h.CaseID, day)
	if r, ok := inspectionRule(h.Rule); ok {
		h.RuleLabel = r.Label
	}
	return h, err
}

func (Store) inspectionHits(ctx context.Context, q db.Querier, id int64) ([]Hit, error) {
	return db.All(ctx, q, scanInspectionHit, "SELECT "+inspectionHitCols+" FROM "+inspectionHitFrom+" WHERE h.inspection_id = ? AND h.status = 'open' ORDER BY h.id", id)
}

func (Store) insertInspectionHit(ctx context.Context, q db.Querier, inspectionID int64, r Rule, unitID int64, detail string, findingID int64, on string) error {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_inspection_hits (inspection_id, rule, rule_version, unit_id, detail, status, finding_id, opened_on)
VALUES (?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id`, inspectionID, r.Name, r.Version, unitID, detail, findingID, on).Scan(&id)
	if err != nil {
		return db.Classify(err)
	}
	return InspectionHitTally.Added(ctx, q, id)
}

func (Store) closeInspectionHit(ctx context.Context, q db.Querier, id int64, on string) error {
	return InspectionHitTally.Write(ctx, q, id, func() error {
		_, err := q.Exec(ctx, "UPDATE enforcement_inspection_hits SET status = 'closed', closed_on = ? WHERE id = ?", on, id)
		return db.Classify(err)
	})
}
