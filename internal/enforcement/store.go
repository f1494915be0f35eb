package enforcement

import (
	"context"
	"fazhi/internal/platform/option"
	"strconv"
	"time"

	"fazhi/internal/platform/db"
)

// Store holds the module's SQL: one method per query, no permission checks.
type Store struct{}

func (Store) unit(ctx context.Context, q db.Querier, id int64) (path, name string, err error) {
	err = q.QueryRow(ctx, "SELECT path, name FROM org_unit_refs WHERE id = ?", id).Scan(&path, &name)
	return path, name, db.Classify(err)
}

func (Store) unitByName(ctx context.Context, q db.Querier, name string) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, "SELECT id FROM org_unit_refs WHERE name = ? ORDER BY id LIMIT 1", name).Scan(&id)
	return id, db.Classify(err)
}

// ---- bodies ----

const bodyCols = `b.id, b.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), b.name, b.kind, b.legal_basis, b.categories, b.version`
const bodyFrom = ` FROM enforcement_bodies b LEFT JOIN org_unit_refs u ON u.id = b.unit_id`

func scanBody(sc db.Scanner) (Body, error) {
	var b Body
	err := sc.Scan(&b.ID, &b.UnitID, &b.UnitName, &b.unitPath, &b.Name, &b.Kind, &b.LegalBasis, &b.Categories, &b.Version)
	b.KindLabel = option.Label(BodyKinds, b.Kind)
	return b, err
}

func (Store) bodies(ctx context.Context, q db.Querier, scope string, args []any) ([]Body, error) {
	return db.All(ctx, q, scanBody, "SELECT "+bodyCols+bodyFrom+" WHERE "+scope+" ORDER BY b.unit_id, b.id", args...)
}

func (Store) body(ctx context.Context, q db.Querier, id int64) (*Body, error) {
	b, err := scanBody(q.QueryRow(ctx, "SELECT "+bodyCols+bodyFrom+" WHERE b.id = ?", id))
	return &b, db.Classify(err)
}

func (Store) bodyByName(ctx context.Context, q db.Querier, name string) (*Body, error) {
	b, err := scanBody(q.QueryRow(ctx, "SELECT "+bodyCols+bodyFrom+" WHERE b.name = ?", name))
	return &b, db.Classify(err)
}

func (Store) insertBody(ctx context.Context, q db.Querier, in BodyInput, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_bodies (unit_id, name, kind, legal_basis, categories, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.UnitID, in.Name, in.Kind, in.LegalBasis, in.Categories, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateBody(ctx context.Context, q db.Querier, id, version int64, in BodyInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE enforcement_bodies SET unit_id = ?, name = ?, kind = ?, legal_basis = ?, categories = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ?`, in.UnitID, in.Name, in.Kind, in.LegalBasis, in.Categories, at.UTC(), id, version))
}

// ---- grants ----

const grantCols = `g.id, g.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), g.mode, g.item, g.granting_doc, g.granted_on, g.version`
const grantFrom = ` FROM enforcement_grants g LEFT JOIN org_unit_refs u ON u.id = g.unit_id`

func scanGrant(sc db.Scanner) (Grant, error) {
	var g Grant
	err := sc.Scan(&g.ID, &g.UnitID, &g.UnitName, &g.unitPath, &g.Mode, &g.Item, &g.GrantingDoc, &g.GrantedOn, &g.Version)
	g.ModeLabel = option.Label(GrantModes, g.Mode)
	return g, err
}

func (Store) grants(ctx context.Context, q db.Querier, scope string, args []any) ([]Grant, error) {
	return db.All(ctx, q, scanGrant, "SELECT "+grantCols+grantFrom+" WHERE "+scope+" ORDER BY g.unit_id, g.id", args...)
}

func (Store) grant(ctx context.Context, q db.Querier, id int64) (*Grant, error) {
	g, err := scanGrant(q.QueryRow(ctx, "SELECT "+grantCols+grantFrom+" WHERE g.id = ?", id))
	return &g, db.Classify(err)
}

func (Store) insertGrant(ctx context.Context, q db.Querier, in GrantInput, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_grants (unit_id, mode, item, granting_doc, granted_on, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.UnitID, in.Mode, in.Item, in.GrantingDoc, in.GrantedOn, at.UTC(), at.UTC()).Scan(&id)
	return id, db.Classify(err)
}

func (Store) updateGrant(ctx context.Context, q db.Querier, id, version int64, in GrantInput, at time.Time) (bool, error) {
	return affected(q.Exec(ctx, `UPDATE enforcement_grants SET unit_id = ?, mode = ?, item = ?, granting_doc = ?, granted_on = ?, version = version + 1, updated_at = ?
WHERE id = ? AND version = ?`, in.UnitID, in.Mode, in.Item, in.GrantingDoc, in.GrantedOn, at.UTC(), id, version))
}

// ---- officers ----

// trainingHoursOf is officer o's training hours of year (0 without a row).
func trainingHoursOf(year int) string {
	return `COALESCE((SELECT t.hours FROM enforcement_training t WHERE t.officer_id = o.id AND t.year = ` + strconv.Itoa(year) + `), 0)`
}

// officerCols reads the training hours of year with each officer.
func officerCols(year int) string {
	return `o.id, o.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), o.name, o.phone, o.cert_no, o.cert_kind, o.cert_authority,
o.cert_issued_on, o.cert_expires_on, o.cert_status, ` + trainingHoursOf(year) + `, ` + strconv.Itoa(year) + `, o.user_id,
COALESCE((SELECT us.username FROM org_user_refs us WHERE us.id = o.user_id), ''), o.version`
}

const officerFrom = `enforcement_officers o LEFT JOIN org_unit_refs u ON u.id = o.unit_id`

func scanOfficer(sc db.Scanner) (*Officer, error) {
	var o Officer
	err := sc.Scan(&o.ID, &o.UnitID, &o.UnitName, &o.unitPath, &o.Name, &o.Phone, &o.CertNo, &o.CertKind, &o.CertAuthority,
		&o.CertIssuedOn, &o.CertExpiresOn, &o.CertStatus, &o.TrainingHours, &o.TrainingYear, &o.UserID, &o.Username, &o.Version)
	return &o, err
}

func (Store) officer(ctx context.Context, q db.Querier, id int64, year int) (*Officer, error) {
	o, err := scanOfficer(q.QueryRow(ctx, "SELECT "+officerCols(year)+" FROM "+officerFrom+" WHERE o.id = ?", id))
	return o, db.Classify(err)
}

func (Store) officerByCert(ctx context.Context, q db.Querier, certNo string, year int) (*Officer, error) {
	o, err := scanOfficer(q.QueryRow(ctx, "SELECT "+officerCols(year)+" FROM "+officerFrom+" WHERE o.cert_no = ?", certNo))
	return o, db.Classify(err)
}

func (Store) insertOfficer(ctx context.Context, q db.Querier, in OfficerInput, at time.Time) (int64, error) {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_officers (unit_id, name, phone, cert_no, cert_kind, cert_authority, cert_issued_on, cert_expires_on, cert_status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, in.UnitID, in.Name, in.Phone, in.CertNo, in.CertKind, in.CertAuthority,
		in.CertIssuedOn, in.CertExpiresOn, in.CertStatus, at.UTC(), at.UTC()).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, OfficerTally.Added(ctx, q, id)
}

func (Store) updateOfficer(ctx context.Context, q db.Querier, id, version int64, in OfficerInput, at time.Time) (bool, error) {
	var ok bool
	err := OfficerTally.Write(ctx, q, id, func() error {
		var err error
		ok, err = affected(q.Exec(ctx, `UPDATE enforcement_officers SET unit_id = ?, name = ?, phone = ?, cert_no = ?, cert_kind = ?, cert_authority = ?,
cert_issued_on = ?, cert_expires_on = ?, cert_status = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			in.UnitID, in.Name, in.Phone, in.CertNo, in.CertKind, in.CertAuthority, in.CertIssuedOn, in.CertExpiresOn, in.CertStatus, at.UTC(), id, version))
		return err
	})
	return ok, err
}

func (Store) setTraining(ctx context.Context, q db.Querier, id int64, year, hours int) error {
	if _, err := q.Exec(ctx, "DELETE FROM enforcement_training WHERE officer_id = ? AND year = ?", id, year); err != nil {
		return db.Classify(err)
	}
	_, err := q.Exec(ctx, "INSERT INTO enforcement_training (officer_id, year, hours) VALUES (?, ?, ?)", id, year, hours)
	return db.Classify(err)
}

func affected(res interface{ RowsAffected() (int64, error) }, err error) (bool, error) {
	if err != nil {
		return false, db.Classify(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
