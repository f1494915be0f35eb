package enforcement

import (
	"context"
	"strings"
	"time"

	"fazhi/internal/platform/db"
)

func (Store) trainees(ctx context.Context, q db.Querier, unitID int64, userIDs []int64) ([]Trainee, error) {
	var conds []string
	var args []any
	if unitID > 0 {
		conds = append(conds, "o.unit_id IN (SELECT su.id FROM org_unit_refs su, org_unit_refs pu WHERE pu.id = ? AND su.path LIKE pu.path || '%')")
		args = append(args, unitID)
	}
	if len(userIDs) > 0 {
		conds = append(conds, "o.user_id IN ("+strings.TrimSuffix(strings.Repeat("?,", len(userIDs)), ",")+")")
		for _, id := range userIDs {
			args = append(args, id)
		}
	}
	if len(conds) == 0 {
		return []Trainee{}, nil
	}
	return db.All(ctx, q, func(sc db.Scanner) (Trainee, error) {
		var t Trainee
		err := sc.Scan(&t.UserID, &t.Name, &t.UnitID)
		return t, err
	}, "SELECT o.user_id, o.name, o.unit_id FROM enforcement_officers o WHERE o.user_id IS NOT NULL AND o.cert_status <> 'revoked' AND ("+
		strings.Join(conds, " OR ")+") ORDER BY o.unit_id, o.id", args...)
}

func (Store) setOfficerUser(ctx context.Context, tx *db.Tx, id, version int64, userID *int64, at time.Time) (bool, error) {
	var ok bool
	err := OfficerTally.Write(ctx, tx, id, func() error {
		var err error
		ok, err = affected(tx.Exec(ctx, "UPDATE enforcement_officers SET user_id = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			userID, at.UTC(), id, version))
		return err
	})
	return ok, err
}

// trainingByUnit groups the roster (officers whose certificate is not
// revoked) by unit: bounded by the roster's size, read with the training
// hours of year.
func (Store) trainingByUnit(ctx context.Context, q db.Querier, scope string, args []any, year, hours int) ([]UnitTraining, error) {
	return db.All(ctx, q, func(sc db.Scanner) (UnitTraining, error) {
		var u UnitTraining
		err := sc.Scan(&u.UnitID, &u.UnitName, &u.Officers, &u.Linked, &u.HoursMet)
		return u, err
	}, `SELECT o.unit_id, COALESCE(MAX(u.name), ''), COUNT(*), SUM(CASE WHEN o.user_id IS NOT NULL THEN 1 ELSE 0 END),
SUM(CASE WHEN COALESCE(t.hours, 0) >= ? THEN 1 ELSE 0 END)
FROM enforcement_officers o LEFT JOIN enforcement_training t ON t.officer_id = o.id AND t.year = ? LEFT JOIN org_unit_refs u ON u.id = o.unit_id
WHERE o.cert_status <> 'revoked' AND `+scope+` GROUP BY o.unit_id ORDER BY o.unit_id`, append([]any{hours, year}, args...)...)
}

// trainingHoursMet counts the roster (certificates not revoked) in scope,
// under root (0: anywhere), and those of it with at least hours of
// training in year: bounded by the roster (tens to a few thousand
// officers), as the training overview reads it.
func (Store) trainingHoursMet(ctx context.Context, q db.Querier, scope string, args []any, root int64, year, hours int) (roster, met int, err error) {
	cond := "o.cert_status <> 'revoked' AND " + scope
	if root > 0 {
		cond += " AND o.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')"
		args = append(append([]any{}, args...), root)
	}
	err = q.QueryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN COALESCE(t.hours, 0) >= ? THEN 1 ELSE 0 END), 0)
FROM enforcement_officers o LEFT JOIN enforcement_training t ON t.officer_id = o.id AND t.year = ?
WHERE `+cond, append([]any{hours, year}, args...)...).Scan(&roster, &met)
	return roster, met, db.Classify(err)
}
