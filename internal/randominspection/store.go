package randominspection

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
)

// Store holds the module's SQL: one method per query, no permission checks.
type Store struct{}

func affected(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (Store) unit(ctx context.Context, q db.Querier, id int64) (path, name string, err error) {
	err = q.QueryRow(ctx, "SELECT path, name FROM org_unit_refs WHERE id = ?", id).Scan(&path, &name)
	return path, name, db.Classify(err)
}

func (Store) unitByName(ctx context.Context, q db.Querier, name string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM org_unit_refs WHERE name = ? ORDER BY id LIMIT 1", name).Scan(&id)
	return id, db.Classify(err)
}

// ---- matters ----

const matterCols = `m.id, m.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), m.body_id, m.body_name, m.name, m.legal_basis, m.object_kind, m.method, m.version`
const matterFrom = ` FROM random_matters m LEFT JOIN org_unit_refs u ON u.id = m.unit_id`

func scanMatter(sc db.Scanner) (Matter, error) {
	var m Matter
	err := sc.Scan(&m.ID, &m.UnitID, &m.UnitName, &m.unitPath, &m.BodyID, &m.BodyName, &m.Name, &m.LegalBasis, &m.ObjectKind, &m.Method, &m.Version)
	m.MethodLabel = option.Label(Methods, m.Method)
	return m, err
}

func (Store) matters(ctx context.Context, q db.Querier, scope string, args []any) ([]Matter, error) {
	return db.All(ctx, q, scanMatter, "SELECT "+matterCols+matterFrom+" WHERE "+scope+" ORDER BY m.unit_id, m.body_id, m.id LIMIT 2000", args...)
}

func (Store) matter(ctx context.Context, q db.Querier, id int64) (*Matter, error) {
	m, err := scanMatter(q.QueryRow(ctx, "SELECT "+matterCols+matterFrom+" WHERE m.id = ?", id))
	return &m, db.Classify(err)
}

func (Store) insertMatter(ctx context.Context, q db.Querier, b BodyRef, in MatterInput, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO random_matters (unit_id, body_id, body_name, name, legal_basis, object_kind, method, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, b.UnitID, in.BodyID, b.Name, in.Name, in.LegalBasis, in.ObjectKind, in.Method, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateMatter(ctx context.Context, q db.Querier, id, version int64, b BodyRef, in MatterInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE random_matters SET unit_id = ?, body_id = ?, body_name = ?, name = ?, legal_basis = ?, object_kind = ?, method = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ?`, b.UnitID, in.BodyID, b.Name, in.Name, in.LegalBasis, in.ObjectKind, in.Method, at.UTC(), id, version))
}

// ---- plans ----

const planCols = `p.id, p.code, p.year, p.title, p.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), p.joint, p.ratio_high, p.ratio_medium, p.ratio_low,
p.per_check, p.status, p.snapshot_sha256, p.seed_sha256, p.seed, p.committed_at, p.drawn_at, p.version,
(SELECT COUNT(*) FROM random_entities e WHERE e.plan_id = p.id), (SELECT COUNT(*) FROM random_inspectors i WHERE i.plan_id = p.id),
(SELECT COUNT(*) FROM random_relations r WHERE r.plan_id = p.id), (SELECT COUNT(*) FROM random_checks c WHERE c.plan_id = p.id)`
const planFrom = `random_plans p LEFT JOIN org_unit_refs u ON u.id = p.unit_id`

func scanPlan(sc db.Scanner) (*Plan, error) {
	var p Plan
	var joint int
	var committed, drawn sql.NullTime
	err := sc.Scan(&p.ID, &p.Code, &p.Year, &p.Title, &p.UnitID, &p.UnitName, &p.unitPath, &joint, &p.Ratios.High, &p.Ratios.Medium, &p.Ratios.Low,
		&p.PerCheck, &p.Status, &p.SnapshotSHA256, &p.SeedSHA256, &p.seed, &committed, &drawn, &p.Version,
		&p.Entities, &p.Inspectors, &p.Relations, &p.Checks)
	p.Joint = joint == 1
	p.StatusLabel = option.Label(PlanStatuses, p.Status)
	if committed.Valid {
		p.CommittedAt = committed.Time.UTC().Format(time.RFC3339)
	}
	if drawn.Valid {
		p.DrawnAt = drawn.Time.UTC().Format(time.RFC3339)
	}
	if p.Status == StatusDrawn {
		p.Seed = p.seed // revealed with the result; secret before
	}
	p.BodyIDs, p.BodyNames, p.MatterIDs, p.MatterNames = []int64{}, []string{}, []int64{}, []string{}
	return &p, err
}

func (st Store) plan(ctx context.Context, q db.Querier, id int64) (*Plan, error) {
	p, err := scanPlan(q.QueryRow(ctx, "SELECT "+planCols+" FROM "+planFrom+" WHERE p.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	return p, st.planRefs(ctx, q, p)
}

type ref struct {
	id   int64
	name string
}

func scanRef(sc db.Scanner) (ref, error) {
	var r ref
	err := sc.Scan(&r.id, &r.name)
	return r, err
}

// planRefs fills a plan's bodies and matters.
func (Store) planRefs(ctx context.Context, q db.Querier, p *Plan) error {
	bodies, err := db.All(ctx, q, scanRef, `SELECT pb.body_id, pb.body_name FROM random_plan_bodies pb WHERE pb.plan_id = ? ORDER BY pb.body_id`, p.ID)
	if err != nil {
		return err
	}
	for _, b := range bodies {
		p.BodyIDs, p.BodyNames = append(p.BodyIDs, b.id), append(p.BodyNames, b.name)
	}
	matters, err := db.All(ctx, q, scanRef, `SELECT pm.matter_id, m.name FROM random_plan_matters pm JOIN random_matters m ON m.id = pm.matter_id
WHERE pm.plan_id = ? ORDER BY pm.matter_id`, p.ID)
	if err != nil {
		return err
	}
	for _, m := range matters {
		p.MatterIDs, p.MatterNames = append(p.MatterIDs, m.id), append(p.MatterNames, m.name)
	}
	return nil
}

// nextPlanCode is SJ-<year>-<n>, n one more than the year's last.
func (Store) nextPlanCode(ctx context.Context, q db.Querier, year int) (string, error) {
	var n int
	err := q.QueryRow(ctx, "SELECT COUNT(*) FROM random_plans WHERE year = ?", year).Scan(&n)
	for err == nil {
		code := fmt.Sprintf("SJ-%d-%03d", year, n+1)
		var taken int
		if err = q.QueryRow(ctx, "SELECT COUNT(*) FROM random_plans WHERE code = ?", code).Scan(&taken); err == nil && taken == 0 {
			return code, nil
		}
		n++
	}
	return "", err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (Store) insertPlan(ctx context.Context, q db.Querier, code string, in PlanInput, by int64, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO random_plans (code, year, title, unit_id, joint, ratio_high, ratio_medium, ratio_low, per_check, created_by, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, code, in.Year, in.Title, in.UnitID, b2i(in.Joint), in.Ratios.High, in.Ratios.Medium, in.Ratios.Low,
		in.PerCheck, by, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updatePlan(ctx context.Context, q db.Querier, id, version int64, in PlanInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE random_plans SET year = ?, title = ?, unit_id = ?, joint = ?, ratio_high = ?, ratio_medium = ?, ratio_low = ?, per_check = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = 'draft'`, in.Year, in.Title, in.UnitID, b2i(in.Joint), in.Ratios.High, in.Ratios.Medium,
		in.Ratios.Low, in.PerCheck, at.UTC(), id, version))
}

func (Store) setPlanRefs(ctx context.Context, q db.Querier, id int64, bodies []BodyRef, matters []int64) error {
	if _, err := q.Exec(ctx, "DELETE FROM random_plan_bodies WHERE plan_id = ?", id); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, "DELETE FROM random_plan_matters WHERE plan_id = ?", id); err != nil {
		return err
	}
	for _, b := range bodies {
		if _, err := q.Exec(ctx, "INSERT INTO random_plan_bodies (plan_id, body_id, body_name) VALUES (?, ?, ?)", id, b.ID, b.Name); err != nil {
			return db.Classify(err)
		}
	}
	for _, m := range matters {
		if _, err := q.Exec(ctx, "INSERT INTO random_plan_matters (plan_id, matter_id) VALUES (?, ?)", id, m); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

// touchPlan bumps a draft plan's version when its pools change, so that a
// commit loaded before the change fails its versioned write and a change
// racing a commit finds the plan no longer a draft (false).
func (Store) touchPlan(ctx context.Context, q db.Querier, id int64, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, "UPDATE random_plans SET version = version + 1, updated_at = ? WHERE id = ? AND status = 'draft'", at.UTC(), id))
}

func (Store) commitPlan(ctx context.Context, q db.Querier, id, version int64, c committedPlan) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE random_plans SET status = 'committed', snapshot = ?, snapshot_sha256 = ?, commitment = ?, seed_sha256 = ?, seed = ?, committed_at = ?,
version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND status = 'draft'`,
		string(c.snapshot), c.snapshotSHA, string(c.commitment), c.seedSHA, c.seed, c.at, c.at, id, version))
}

func (Store) drawInputs(ctx context.Context, q db.Querier, id int64) (snapshot []byte, seed string, err error) {
	var s string
	err = q.QueryRow(ctx, "SELECT snapshot, seed FROM random_plans WHERE id = ?", id).Scan(&s, &seed)
	return []byte(s), seed, db.Classify(err)
}

func (Store) drawPlan(ctx context.Context, q db.Querier, id, version int64, reveal, result []byte, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE random_plans SET status = 'drawn', reveal = ?, result = ?, drawn_at = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ? AND status = 'committed'`, string(reveal), string(result), at.UTC(), at.UTC(), id, version))
}

// PublishedFiles are a plan's four public files.
type PublishedFiles struct {
	Snapshot, Commitment, Reveal, Result string
}

func (Store) publishedFiles(ctx context.Context, q db.Querier, id int64) (PublishedFiles, string, error) {
	var f PublishedFiles
	var status string
	err := q.QueryRow(ctx, "SELECT snapshot, commitment, reveal, result, status FROM random_plans WHERE id = ?", id).Scan(&f.Snapshot, &f.Commitment, &f.Reveal, &f.Result, &status)
	return f, status, db.Classify(err)
}

// ---- pools ----

const entityCols = `e.id, e.plan_id, e.name, e.credit_code, e.kind, e.risk, e.unit_id, e.unit_name`

func scanEntity(sc db.Scanner) (Entity, error) {
	var e Entity
	err := sc.Scan(&e.ID, &e.PlanID, &e.Name, &e.CreditCode, &e.Kind, &e.Risk, &e.UnitID, &e.UnitName)
	e.KindLabel, e.RiskLabel = option.Label(EntityKinds, e.Kind), option.Label(Risks, e.Risk)
	return e, err
}

func (Store) entities(ctx context.Context, q db.Querier, planID int64) ([]Entity, error) {
	return db.All(ctx, q, scanEntity, "SELECT "+entityCols+" FROM random_entities e WHERE e.plan_id = ? ORDER BY e.plan_id, e.id", planID)
}

func (Store) creditCodes(ctx context.Context, q db.Querier, planID int64) (map[string]bool, error) {
	codes, err := db.All(ctx, q, func(sc db.Scanner) (string, error) {
		var c string
		return c, sc.Scan(&c)
	}, "SELECT credit_code FROM random_entities WHERE plan_id = ? AND credit_code <> ''", planID)
	out := map[string]bool{}
	for _, c := range codes {
		out[c] = true
	}
	return out, err
}

func (Store) insertEntity(ctx context.Context, q db.Querier, planID int64, e Entity) error {
	_, err := q.Exec(ctx, `INSERT INTO random_entities (plan_id, name, credit_code, kind, risk, unit_id, unit_name) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		planID, e.Name, e.CreditCode, e.Kind, e.Risk, e.UnitID, e.UnitName)
	return db.Classify(err)
}

func (Store) deleteEntities(ctx context.Context, q db.Querier, planID int64) (int64, error) {
	if _, err := q.Exec(ctx, "DELETE FROM random_relations WHERE plan_id = ?", planID); err != nil {
		return 0, err
	}
	res, err := q.Exec(ctx, "DELETE FROM random_entities WHERE plan_id = ?", planID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (Store) inspectors(ctx context.Context, q db.Querier, planID int64) ([]Inspector, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Inspector, error) {
		var i Inspector
		err := sc.Scan(&i.OfficerID, &i.Name, &i.UnitID, &i.UnitName)
		return i, err
	}, "SELECT officer_id, name, unit_id, unit_name FROM random_inspectors WHERE plan_id = ? ORDER BY plan_id, officer_id", planID)
}

// insertInspectors adds the officers not yet in the pool; it returns how many.
func (Store) insertInspectors(ctx context.Context, q db.Querier, planID int64, os []OfficerRef) (int, error) {
	n := 0
	for _, o := range os {
		res, err := q.Exec(ctx, `INSERT INTO random_inspectors (plan_id, officer_id, name, unit_id, unit_name) SELECT ?, ?, ?, ?, ?
WHERE NOT EXISTS (SELECT 1 FROM random_inspectors WHERE plan_id = ? AND officer_id = ?)`, planID, o.ID, o.Name, o.UnitID, o.UnitName, planID, o.ID)
		if err != nil {
			return n, db.Classify(err)
		}
		k, _ := res.RowsAffected()
		n += int(k)
	}
	return n, nil
}

func (Store) deleteInspector(ctx context.Context, q db.Querier, planID, officerID int64) (bool, error) {
	if _, err := q.Exec(ctx, "DELETE FROM random_relations WHERE plan_id = ? AND officer_id = ?", planID, officerID); err != nil {
		return false, err
	}
	return affected(q.Exec(ctx, "DELETE FROM random_inspectors WHERE plan_id = ? AND officer_id = ?", planID, officerID))
}

func (Store) relations(ctx context.Context, q db.Querier, planID int64) ([]Relation, error) {
	return db.All(ctx, q, func(sc db.Scanner) (Relation, error) {
		var r Relation
		err := sc.Scan(&r.OfficerID, &r.OfficerName, &r.EntityID, &r.EntityName, &r.Note)
		return r, err
	}, `SELECT r.officer_id, COALESCE(i.name, ''), r.entity_id, COALESCE(e.name, ''), r.note FROM random_relations r
LEFT JOIN random_inspectors i ON i.plan_id = r.plan_id AND i.officer_id = r.officer_id LEFT JOIN random_entities e ON e.id = r.entity_id
WHERE r.plan_id = ? ORDER BY r.officer_id, r.entity_id`, planID)
}

func (Store) inPool(ctx context.Context, q db.Querier, planID, officerID, entityID int64) (bool, error) {
	var n int
	err := q.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM random_inspectors WHERE plan_id = ? AND officer_id = ?) * (SELECT COUNT(*) FROM random_entities WHERE plan_id = ? AND id = ?)`,
		planID, officerID, planID, entityID).Scan(&n)
	return n == 1, err
}

func (Store) insertRelation(ctx context.Context, q db.Querier, planID int64, in RelationInput) error {
	_, err := q.Exec(ctx, "INSERT INTO random_relations (plan_id, officer_id, entity_id, note) VALUES (?, ?, ?, ?)", planID, in.OfficerID, in.EntityID, in.Note)
	return db.Classify(err)
}

// ---- checks ----

const checkCols = `c.id, c.plan_id, p.code, p.title, c.seq, c.entity_id, e.name, e.credit_code, e.kind, e.risk, c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''),
c.inspectors, c.status, c.checked_on, c.result, c.problems, c.finding_id, c.publish_due, c.published_on, c.version`
const checkFrom = `random_checks c JOIN random_plans p ON p.id = c.plan_id JOIN random_entities e ON e.id = c.entity_id LEFT JOIN org_unit_refs u ON u.id = c.unit_id`

func scanCheck(sc db.Scanner) (*Check, error) {
	var c Check
	err := sc.Scan(&c.ID, &c.PlanID, &c.PlanCode, &c.PlanTitle, &c.Seq, &c.EntityID, &c.EntityName, &c.CreditCode, &c.entityKind, &c.Risk, &c.UnitID, &c.UnitName, &c.unitPath,
		&c.Inspectors, &c.Status, &c.CheckedOn, &c.Result, &c.Problems, &c.FindingID, &c.PublishDue, &c.PublishedOn, &c.Version)
	c.RiskLabel, c.StatusLabel, c.ResultLabel = option.Label(Risks, c.Risk), option.Label(CheckStatuses, c.Status), option.Label(Results, c.Result)
	return &c, err
}

func (Store) check(ctx context.Context, q db.Querier, id int64) (*Check, error) {
	c, err := scanCheck(q.QueryRow(ctx, "SELECT "+checkCols+" FROM "+checkFrom+" WHERE c.id = ?", id))
	return c, db.Classify(err)
}

func (Store) insertCheck(ctx context.Context, tx *db.Tx, p *Plan, seq int, entityID int64, who []Inspector, at time.Time) error {
	names := make([]string, len(who))
	for i, w := range who {
		names[i] = w.Name
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO random_checks (plan_id, seq, entity_id, unit_id, inspectors, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.ID, seq, entityID, p.UnitID, strings.Join(names, "、"), at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return db.Classify(err)
	}
	for _, w := range who {
		if _, err := tx.Exec(ctx, "INSERT INTO random_check_inspectors (check_id, officer_id) VALUES (?, ?)", id, w.OfficerID); err != nil {
			return db.Classify(err)
		}
	}
	return FigureTally.Added(ctx, tx, id)
}

// drawnOn is the Beijing day a plan was drawn.
func (Store) drawnOn(ctx context.Context, q db.Querier, planID int64) (string, error) {
	var t sql.NullTime
	if err := q.QueryRow(ctx, "SELECT drawn_at FROM random_plans WHERE id = ?", planID).Scan(&t); err != nil {
		return "", db.Classify(err)
	}
	if !t.Valid {
		return "", nil
	}
	return t.Time.In(calendar.Shanghai).Format("2006-01-02"), nil
}

// bumpCheck is every versioned write of a check (the figures' counters
// move in the same transaction).
func (Store) bumpCheck(ctx context.Context, tx *db.Tx, id, version int64, at time.Time, sets []string, args ...any) (bool, error) {
	q := "UPDATE random_checks SET " + strings.Join(append(sets, "version = version + 1", "updated_at = ?"), ", ") + " WHERE id = ? AND version = ?"
	var ok bool
	err := FigureTally.Write(ctx, tx, id, func() error {
		var err error
		ok, err = affected(tx.Exec(ctx, q, append(args, at.UTC(), id, version)...))
		return err
	})
	return ok, err
}
