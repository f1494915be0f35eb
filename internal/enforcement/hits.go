package enforcement

import (
	"context"
	"fazhi/internal/metric"
	"fmt"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/db"
)

// evaluate runs every rule on case id in tx and reconciles the hits: a
// new hit raises one finding (at most one open per case and rule), a hit
// that no longer holds is closed and its finding resolved.
func (s *Service) evaluate(ctx context.Context, tx *db.Tx, id int64) error {
	c, err := s.st.caseRow(ctx, tx, id)
	if err != nil {
		return err
	}
	return s.evaluateCase(ctx, tx, c, false)
}

// evaluateCase is evaluate on a case already read (fresh: just inserted,
// so it has no hits yet).
func (s *Service) evaluateCase(ctx context.Context, tx *db.Tx, c *Case, fresh bool) error {
	id := c.ID
	var err error
	f := &facts{c: c, today: s.today(ctx)}
	if c.Major && c.DecidedOn != "" && s.reviews != nil {
		if f.reviewPassed, err = s.reviews.Passed(ctx, id); err != nil {
			return err
		}
	}
	if !fresh {
		if f.leniency, err = s.st.caseLeniency(ctx, tx, id); err != nil {
			return err
		}
	}
	var rep reportFacts
	if fresh { // a new case has no report yet
		rep.required = c.DecidedOn != "" && s.reportRequired(c.Kind, c.PartyType, c.AmountFen)
	} else if rep, err = s.reportFacts(ctx, tx, c); err != nil {
		return err
	}
	ev := &evaluator{cal: s.cal, rules: s.rules, opt: s.opt}
	results, err := ev.run(f)
	if err != nil {
		return err
	}
	discloseDue := ""
	if c.DecidedOn != "" {
		due, err := ev.due(discloseRule(c.Kind), date(c.DecidedOn))
		if err != nil {
			return err
		}
		discloseDue = due.String()
	}
	if err := s.st.setDerived(ctx, tx, id, discloseDue, f.reviewPassed, rep); err != nil {
		return err
	}
	var open []Hit
	if !fresh {
		if open, err = s.st.caseHits(ctx, tx, id); err != nil {
			return err
		}
	}
	today := f.today.String()
	hitNow := map[string]bool{}
	for _, r := range results {
		hitNow[r.rule.Name] = true
	}
	openBy := map[string]bool{}
	for _, h := range open {
		openBy[h.Rule] = true
		if hitNow[h.Rule] {
			continue
		}
		if s.ledger != nil {
			if err := s.ledger.Resolve(ctx, tx, h.FindingID, fmt.Sprintf("案件 %s 复核已不再触发规则「%s」", c.Code, ruleLabel(h.Rule))); err != nil {
				return err
			}
		}
		if err := s.st.closeHit(ctx, tx, h.ID, today); err != nil {
			return err
		}
	}
	for _, r := range results {
		if openBy[r.rule.Name] {
			continue
		}
		if s.ledger == nil {
			return apperr.New(apperr.Unavailable, "问题台账未启用，无法登记规则预警")
		}
		fid, err := s.ledger.Raise(ctx, tx, Problem{
			Title:       ruleFindingPrefix + r.rule.Label,
			Description: fmt.Sprintf("案件 %s「%s」（%s）：%s。依据：%s。规则 %s 第 %d 版。", c.Code, c.Title, c.UnitName, r.detail, r.rule.Basis, r.rule.Name, r.rule.Version),
			SourceRef:   c.Code, UnitID: c.UnitID, FoundOn: today,
		})
		if err != nil {
			return err
		}
		if err := s.st.insertHit(ctx, tx, id, r, c.UnitID, fid, today); err != nil {
			return err
		}
	}
	return nil
}

// EvaluateAll is the nightly run: every case is checked again (a deadline
// may have passed since the last save). Each case gets its own
// transaction, so one bad case does not stop the run. It returns how many
// cases were checked.
func (s *Service) EvaluateAll(ctx context.Context) (int, error) {
	if _, err := auth.Require(ctx, PermWrite); err != nil {
		return 0, err
	}
	n := 0
	var after int64
	var firstErr error
	for {
		ids, err := db.All(ctx, s.db, func(sc db.Scanner) (int64, error) {
			var id int64
			return id, sc.Scan(&id)
		}, "SELECT id FROM enforcement_cases WHERE id > ? ORDER BY id LIMIT 500", after)
		if err != nil {
			return n, err
		}
		if len(ids) == 0 {
			return n, firstErr
		}
		for _, id := range ids {
			if err := s.db.WithTx(ctx, func(tx *db.Tx) error { return s.evaluate(ctx, tx, id) }); err != nil && firstErr == nil {
				firstErr = fmt.Errorf("enforcement: case %d: %w", id, err)
			}
			n++
		}
		after = ids[len(ids)-1]
	}
}

// RuleView is one rule on the rules page with its hit counts in the
// actor's scope.
type RuleView struct {
	Name    string `json:"name"`
	Version int    `json:"version"`
	Label   string `json:"label"`
	Basis   string `json:"basis"`
	Target  string `json:"target" enum:"case,inspection" doc:"检查对象：case 执法案件；inspection 涉企行政检查"`
	Open    int    `json:"open" doc:"未纠正的命中数"`
	Closed  int    `json:"closed" doc:"已纠正的命中数"`
}

// ListRules returns every rule with its hit counts in scope.
func (s *Service) ListRules(ctx context.Context) ([]RuleView, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	sums := make([]metric.Sum, 0, 2*len(Rules))
	for _, r := range Rules {
		sums = append(sums, metric.Sum{Series: "open:" + r.Name}, metric.Sum{Series: "closed:" + r.Name})
	}
	n, err := HitTally.Sums(ctx, s.db, scope, args, sums...)
	if err != nil {
		return nil, err
	}
	out := make([]RuleView, 0, len(Rules)+len(InspectionRules))
	for i, r := range Rules {
		out = append(out, RuleView{Name: r.Name, Version: r.Version, Label: r.Label, Basis: r.Basis, Target: "case", Open: n[2*i], Closed: n[2*i+1]})
	}
	sums = sums[:0]
	for _, r := range InspectionRules {
		sums = append(sums, metric.Sum{Series: "open:" + r.Name}, metric.Sum{Series: "closed:" + r.Name})
	}
	if n, err = InspectionHitTally.Sums(ctx, s.db, scope, args, sums...); err != nil {
		return nil, err
	}
	for i, r := range InspectionRules {
		out = append(out, RuleView{Name: r.Name, Version: r.Version, Label: r.Label, Basis: r.Basis, Target: "inspection", Open: n[2*i], Closed: n[2*i+1]})
	}
	return out, nil
}

// HitFilter narrows the hits behind a rule.
type HitFilter struct {
	Rule   string `query:"rule" doc:"规则名称"`
	Status string `query:"status" enum:"open,closed," doc:"open 未纠正；closed 已纠正"`
}

// ListHits pages the cases behind a rule in scope.
func (s *Service) ListHits(ctx context.Context, f HitFilter, req db.ListReq) (db.Paged[Hit], error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return db.Paged[Hit]{Items: []Hit{}}, err
	}
	scope, args := auth.ScopeClause(a, PermRead, "h.unit_id")
	conds := []string{scope}
	cols, from, count, scan := hitCols, hitFrom, "enforcement_rule_hits h", func(sc db.Scanner) (Hit, error) {
		h, err := scanHit(sc)
		h.RuleLabel = ruleLabel(h.Rule)
		return h, err
	}
	if _, ok := inspectionRule(strings.TrimSpace(f.Rule)); ok {
		cols, from, count, scan = inspectionHitCols, inspectionHitFrom, "enforcement_inspection_hits h", scanInspectionHit
		conds = append(conds, "h.rule = ?")
		args = append(args, strings.TrimSpace(f.Rule))
	} else if r := strings.TrimSpace(f.Rule); r != "" {
		if _, ok := ruleByName(r); !ok {
			return db.Paged[Hit]{Items: []Hit{}}, apperr.Field("rule", "没有名为“%s”的规则", r)
		}
		conds = append(conds, "h.rule = ?")
		args = append(args, r)
	}
	if f.Status != "" {
		conds = append(conds, "h.status = ?")
		args = append(args, f.Status)
	}
	l := db.ListSQL{Cols: cols, From: from, CountFrom: count, Where: strings.Join(conds, " AND "), Args: args,
		Order: []db.Key{{Expr: "h.id", Desc: true}}}
	return db.Fetch(ctx, s.db, l, req, scan, func(h Hit) []any { return []any{h.ID} })
}
