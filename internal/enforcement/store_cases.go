package enforcement

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

var tmpSeq atomic.Int64

const caseCols = `c.id, c.code, COALESCE(c.platform_no, ''), c.source, c.unit_id, COALESCE(u.name, ''), COALESCE(u.path, ''), c.body_id, COALESCE(b.name, ''),
c.kind, c.title, c.party_type, c.party_name, c.party_id_no, c.party_phone, c.party_address, c.procedure, c.amount_fen, c.legal_basis,
c.discretion_band, c.major, c.hearing_measure, c.extended, c.extension_note, c.filed_on, c.prior_notice_on, c.hearing_notice_on, c.hearing_on,
c.decided_on, c.served_on, c.closed_on, c.disclosed_on, c.version`

const caseFrom = `enforcement_cases c LEFT JOIN org_unit_refs u ON u.id = c.unit_id LEFT JOIN enforcement_bodies b ON b.id = c.body_id`

func scanCase(sc db.Scanner) (*Case, error) {
	var c Case
	var major, hearing, extended int
	err := sc.Scan(&c.ID, &c.Code, &c.PlatformNo, &c.Source, &c.UnitID, &c.UnitName, &c.unitPath, &c.BodyID, &c.BodyName,
		&c.Kind, &c.Title, &c.PartyType, &c.PartyName, &c.PartyIDNo, &c.PartyPhone, &c.PartyAddress, &c.Procedure, &c.AmountFen, &c.LegalBasis,
		&c.DiscretionBand, &major, &hearing, &extended, &c.ExtensionNote, &c.FiledOn, &c.PriorNoticeOn, &c.HearingNoticeOn, &c.HearingOn,
		&c.DecidedOn, &c.ServedOn, &c.ClosedOn, &c.DisclosedOn, &c.Version)
	c.Major, c.HearingMeasure, c.Extended = major != 0, hearing != 0, extended != 0
	c.Officers, c.OpenHits = []CaseOfficer{}, []Hit{}
	return &c, err
}

// caseRow reads a case with its officers (certificate validity on the
// filing day).
func (st Store) caseRow(ctx context.Context, q db.Querier, id int64) (*Case, error) {
	c, err := scanCase(q.QueryRow(ctx, "SELECT "+caseCols+" FROM "+caseFrom+" WHERE c.id = ?", id))
	if err != nil {
		return nil, db.Classify(err)
	}
	filed, _ := calendar.ParseDate(c.FiledOn)
	c.Officers, err = db.All(ctx, q, func(sc db.Scanner) (CaseOfficer, error) {
		var o CaseOfficer
		var issued, expires string
		err := sc.Scan(&o.ID, &o.Name, &o.CertNo, &issued, &expires)
		o.ValidOnFiling = certValidOn(issued, expires, filed)
		return o, err
	}, `SELECT o.id, o.name, o.cert_no, o.cert_issued_on, o.cert_expires_on FROM enforcement_case_officers co
JOIN enforcement_officers o ON o.id = co.officer_id WHERE co.case_id = ? ORDER BY o.id`, id)
	return c, err
}

func (Store) caseByPlatformNo(ctx context.Context, q db.Querier, no string) (int64, int64, error) {
	var id, version int64
	err := q.QueryRow(ctx, "SELECT id, version FROM enforcement_cases WHERE platform_no = ?", no).Scan(&id, &version)
	return id, version, db.Classify(err)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func caseValues(c *checkedCase) []any {
	p := c.in
	return []any{nullable(p.PlatformNo), c.body.UnitID, c.body.ID, p.Kind, p.Title, p.PartyType, p.PartyName, p.PartyIDNo, p.PartyPhone, p.PartyAddress,
		p.Procedure, p.AmountFen, p.LegalBasis, p.DiscretionBand, b2i(p.Major), b2i(p.HearingMeasure), b2i(p.Extended), p.ExtensionNote,
		p.FiledOn, p.PriorNoticeOn, p.HearingNoticeOn, p.HearingOn, p.DecidedOn, p.ServedOn, p.ClosedOn, p.DisclosedOn}
}

const caseWriteCols = `platform_no, unit_id, body_id, kind, title, party_type, party_name, party_id_no, party_phone, party_address,
procedure, amount_fen, legal_basis, discretion_band, major, hearing_measure, extended, extension_note,
filed_on, prior_notice_on, hearing_notice_on, hearing_on, decided_on, served_on, closed_on, disclosed_on`

func (Store) insertCase(ctx context.Context, q db.Querier, c *checkedCase, source string, by int64, at time.Time) (int64, error) {
	var id int64
	// A unique temporary code until the id gives the real one.
	tmp := fmt.Sprintf("tmp-%d-%d", time.Now().UnixNano(), tmpSeq.Add(1))
	args := append([]any{tmp}, caseValues(c)...)
	args = append(args, source, by, at.UTC(), at.UTC())
	err := q.QueryRow(ctx, "INSERT INTO enforcement_cases (code, "+caseWriteCols+", source, created_by, created_at, updated_at) VALUES (?"+
		strings.Repeat(", ?", 30)+") RETURNING id", args...).Scan(&id)
	if err != nil {
		return 0, db.Classify(err)
	}
	return id, CaseTally.Added(ctx, q, id)
}

func (Store) setCode(ctx context.Context, q db.Querier, id int64, code string) error {
	_, err := q.Exec(ctx, "UPDATE enforcement_cases SET code = ? WHERE id = ?", code, id)
	return db.Classify(err)
}

func (Store) updateCase(ctx context.Context, q db.Querier, id, version int64, c *checkedCase, at time.Time) (bool, error) {
	sets := strings.Split(strings.ReplaceAll(caseWriteCols, "\n", " "), ",")
	for i := range sets {
		sets[i] = strings.TrimSpace(sets[i]) + " = ?"
	}
	args := append(caseValues(c), at.UTC(), id, version)
	var ok bool
	err := CaseTally.Write(ctx, q, id, func() error {
		var err error
		ok, err = affected(q.Exec(ctx, "UPDATE enforcement_cases SET "+strings.Join(sets, ", ")+", version = version + 1, updated_at = ? WHERE id = ? AND version = ?", args...))
		return err
	})
	return ok, err
}

func (st Store) setCaseOfficers(ctx context.Context, q db.Querier, id int64, officers []*Officer) error {
	if _, err := q.Exec(ctx, "DELETE FROM enforcement_case_officers WHERE case_id = ?", id); err != nil {
		return db.Classify(err)
	}
	return st.addCaseOfficers(ctx, q, id, officers)
}

func (Store) addCaseOfficers(ctx context.Context, q db.Querier, id int64, officers []*Officer) error {
	for _, o := range officers {
		if _, err := q.Exec(ctx, "INSERT INTO enforcement_case_officers (case_id, officer_id) VALUES (?, ?)", id, o.ID); err != nil {
			return db.Classify(err)
		}
	}
	return nil
}

// ---- rule hits ----

const hitCols = `h.id, h.case_id, COALESCE(c.code, ''), COALESCE(c.title, ''), COALESCE(u.name, ''), h.rule, h.rule_version, h.detail, h.status, h.finding_id, h.opened_on, h.closed_on`
const hitFrom = `enforcement_rule_hits h LEFT JOIN enforcement_cases c ON c.id = h.case_id LEFT JOIN org_unit_refs u ON u.id = h.unit_id`

func scanHit(sc db.Scanner) (Hit, error) {
	var h Hit
	err := sc.Scan(&h.ID, &h.CaseID, &h.CaseCode, &h.CaseTitle, &h.UnitName, &h.Rule, &h.RuleVersion, &h.Detail, &h.Status, &h.FindingID, &h.OpenedOn, &h.ClosedOn)
	return h, err
}

func (Store) caseHits(ctx context.Context, q db.Querier, caseID int64) ([]Hit, error) {
	return db.All(ctx, q, scanHit, "SELECT "+hitCols+" FROM "+hitFrom+" WHERE h.case_id = ? AND h.status = 'open' ORDER BY h.id", caseID)
}

func (Store) insertHit(ctx context.Context, q db.Querier, caseID int64, r hitResult, unitID, findingID int64, on string) error {
	var id int64
	err := q.QueryRow(ctx, `INSERT INTO enforcement_rule_hits (case_id, rule, rule_version, unit_id, detail, status, finding_id, opened_on)
VALUES (?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id`, caseID, r.rule.Name, r.rule.Version, unitID, r.detail, findingID, on).Scan(&id)
	if err != nil {
		return db.Classify(err)
	}
	return HitTally.Added(ctx, q, id)
}

func (Store) closeHit(ctx context.Context, q db.Querier, id int64, on string) error {
	return HitTally.Write(ctx, q, id, func() error {
		_, err := q.Exec(ctx, "UPDATE enforcement_rule_hits SET status = 'closed', closed_on = ? WHERE id = ?", on, id)
		return db.Classify(err)
	})
}

// existingPlatformNos returns which of nos are already in the register.
func (Store) existingPlatformNos(ctx context.Context, q db.Querier, nos []string) (map[string]bool, error) {
	out := map[string]bool{}
	for from := 0; from < len(nos); from += 500 {
		part := nos[from:min(from+500, len(nos))]
		args := make([]any, len(part))
		for i, n := range part {
			args[i] = n
		}
		found, err := db.All(ctx, q, func(sc db.Scanner) (string, error) {
			var s string
			return s, sc.Scan(&s)
		}, "SELECT platform_no FROM enforcement_cases WHERE platform_no IN (?"+strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		for _, n := range found {
			out[n] = true
		}
	}
	return out, nil
}
