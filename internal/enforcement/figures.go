package enforcement

import (
	"context"
	"fmt"

	"fazhi/internal/metric"
	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/db"
)

// Figure codes (stable, for the metrics catalogue).
const (
	FigureCertified      = "enforcement.certified_officers"
	FigureCasesPrefix    = "enforcement.cases_" // + kind
	FigureDisclosureRate = "enforcement.disclosure_on_time_rate"
	FigureReviewRate     = "enforcement.major_review_rate"
	FigureHitsOpen       = "enforcement.rule_hits_open"
	FigureHitsClosed     = "enforcement.rule_hits_closed"
	FigureReportRate     = "enforcement.enterprise_report_rate"
	FigureLeniency       = "enforcement.leniency_applied"
	FigureInspections    = "enforcement.enterprise_inspections"
	FigureRepeatHits     = "enforcement.repeat_inspection_hits"
)

// CaseTally keeps the case register's counters, moved in the transaction
// of every case write (Store.insertCase → Added; updates and the derived
// columns through Write):
//
//   - filed_<kind>: each case on its filing day;
//   - disclose_due / disclosed_on_time: each decided case on its disclosure
//     deadline, the second only when disclosed by it;
//   - major_decided / major_reviewed: each decided major case on its
//     decision day, the second only with a passed 法制审核;
//   - report_required / reported_before: each decided penalty that needed
//     the 涉企处罚报备 on its decision day, the second only when the 司法局
//     had acknowledged it by then;
//   - leniency: each case applying a 不罚/免罚/轻罚 list item, on its
//     filing day.
var CaseTally = &metric.Tally{Name: "enforcement", IDColumn: "c.id", Points: `
SELECT 'filed_' || c.kind AS series, c.unit_id AS unit_id, c.filed_on AS day FROM enforcement_cases c WHERE {record}
UNION ALL SELECT 'disclose_due', c.unit_id, c.disclose_due FROM enforcement_cases c WHERE c.disclose_due <> '' AND {record}
UNION ALL SELECT 'disclosed_on_time', c.unit_id, c.disclose_due FROM enforcement_cases c
WHERE c.disclose_due <> '' AND c.disclosed_on <> '' AND c.disclosed_on <= c.disclose_due AND {record}
UNION ALL SELECT 'major_decided', c.unit_id, c.decided_on FROM enforcement_cases c WHERE c.major = 1 AND c.decided_on <> '' AND {record}
UNION ALL SELECT 'major_reviewed', c.unit_id, c.decided_on FROM enforcement_cases c
WHERE c.major = 1 AND c.decided_on <> '' AND c.review_passed = 1 AND {record}
UNION ALL SELECT 'report_required', c.unit_id, c.decided_on FROM enforcement_cases c WHERE c.report_required = 1 AND {record}
UNION ALL SELECT 'reported_before', c.unit_id, c.decided_on FROM enforcement_cases c WHERE c.report_required = 1 AND c.reported_before = 1 AND {record}
UNION ALL SELECT 'leniency', c.unit_id, c.filed_on FROM enforcement_cases c JOIN enforcement_case_leniency l ON l.case_id = c.id WHERE {record}`}

// OfficerTally counts valid certificates on their expiry day: the
// certified officers today are the sum from today on.
var OfficerTally = &metric.Tally{Name: "enforcement_officer", IDColumn: "o.id", Points: `
SELECT 'valid_until' AS series, o.unit_id AS unit_id, o.cert_expires_on AS day FROM enforcement_officers o WHERE o.cert_status = 'valid' AND {record}`}

// HitTally counts rule hits: open ones on their opening day, closed ones
// on their closing day, in all (open, closed: the figures) and per rule
// (open:<rule>, closed:<rule>: the rules page), so neither counts the hits
// table on a request.
var HitTally = &metric.Tally{Name: "enforcement_hit", IDColumn: "h.id", Points: `
SELECT 'open' AS series, h.unit_id AS unit_id, h.opened_on AS day FROM enforcement_rule_hits h WHERE h.status = 'open' AND {record}
UNION ALL SELECT 'closed', h.unit_id, h.closed_on FROM enforcement_rule_hits h WHERE h.status = 'closed' AND {record}
UNION ALL SELECT 'open:' || h.rule, h.unit_id, h.opened_on FROM enforcement_rule_hits h WHERE h.status = 'open' AND {record}
UNION ALL SELECT 'closed:' || h.rule, h.unit_id, h.closed_on FROM enforcement_rule_hits h WHERE h.status = 'closed' AND {record}`}

// InspectionTally counts inspections of enterprises on their day.
var InspectionTally = &metric.Tally{Name: "enforcement_inspection", IDColumn: "x.id", Points: `
SELECT 'inspected' AS series, x.unit_id AS unit_id, x.inspected_on AS day FROM enforcement_inspections x WHERE {record}`}

// InspectionHitTally counts the inspection rules' hits as HitTally does
// the case rules'.
var InspectionHitTally = &metric.Tally{Name: "enforcement_inspection_hit", IDColumn: "h.id", Points: `
SELECT 'open' AS series, h.unit_id AS unit_id, h.opened_on AS day FROM enforcement_inspection_hits h WHERE h.status = 'open' AND {record}
UNION ALL SELECT 'closed', h.unit_id, h.closed_on FROM enforcement_inspection_hits h WHERE h.status = 'closed' AND {record}
UNION ALL SELECT 'open:' || h.rule, h.unit_id, h.opened_on FROM enforcement_inspection_hits h WHERE h.status = 'open' AND {record}
UNION ALL SELECT 'closed:' || h.rule, h.unit_id, h.closed_on FROM enforcement_inspection_hits h WHERE h.status = 'closed' AND {record}`}

// Tallies are the module's counters (kept at wiring, rebuilt after bulk
// loads).
var Tallies = []*metric.Tally{CaseTally, OfficerTally, HitTally, InspectionTally, InspectionHitTally}

// Figures computes the module's figures within the actor's scope from the
// counters: certified officers and open rule hits as they stand now; cases
// by kind filed in the period; disclosure on time over the decisions whose
// disclosure deadline fell in the period and has passed; legal review of
// major decisions made in the period; rule hits closed in the period. An
// empty From is 1 January of this year, an empty To is today.
func (s *Service) Figures(ctx context.Context, q metric.Query) ([]metric.Figure, error) {
	a, err := auth.Require(ctx, PermRead)
	if err != nil {
		return nil, err
	}
	today := s.today(ctx)
	from, to := q.From, q.To
	var v apperr.Fields
	if from != "" {
		calendar.CheckDate(&v, "from", "期间起始日期", from, false, calendar.Span{})
	}
	if to != "" {
		calendar.CheckDate(&v, "to", "期间截止日期", to, false, calendar.Span{})
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if from == "" {
		from = calendar.NewDate(today.Year, 1, 1).String()
	}
	if to == "" {
		to = today.String()
	}
	if to < from {
		return nil, apperr.Field("to", "期间截止日期不能早于起始日期")
	}
	cond, args := auth.ScopeClause(a, PermRead, "c.unit_id")
	unit := ""
	if q.UnitID > 0 {
		cond += " AND c.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')"
		args = append(args, q.UnitID)
		unit = fmt.Sprintf("&unit_id=%d", q.UnitID)
	}
	dueTo := min(to, today.AddDays(-1).String())
	sums := []metric.Sum{
		{Series: "disclose_due", From: from, To: dueTo}, {Series: "disclosed_on_time", From: from, To: dueTo},
		{Series: "major_decided", From: from, To: to}, {Series: "major_reviewed", From: from, To: to},
	}
	for _, k := range CaseKinds {
		sums = append(sums, metric.Sum{Series: "filed_" + k.Value, From: from, To: to})
	}
	n, err := CaseTally.Sums(ctx, s.db, cond, args, sums...)
	if err != nil {
		return nil, err
	}
	off, err := OfficerTally.Sums(ctx, s.db, cond, args, metric.Sum{Series: "valid_until", From: today.String()})
	if err != nil {
		return nil, err
	}
	hits, err := HitTally.Sums(ctx, s.db, cond, args, metric.Sum{Series: "open"}, metric.Sum{Series: "closed", From: from, To: to})
	if err != nil {
		return nil, err
	}
	inc, err := CaseTally.Sums(ctx, s.db, cond, args, metric.Sum{Series: "report_required", From: from, To: to},
		metric.Sum{Series: "reported_before", From: from, To: to}, metric.Sum{Series: "leniency", From: from, To: to})
	if err != nil {
		return nil, err
	}
	xcond, xargs := auth.ScopeClause(a, PermRead, "c.unit_id")
	if q.UnitID > 0 {
		xcond += " AND c.unit_id IN (SELECT s.id FROM org_unit_refs s WHERE s.path LIKE (SELECT p.path FROM org_unit_refs p WHERE p.id = ?) || '%')"
		xargs = append(xargs, q.UnitID)
	}
	insp, err := InspectionTally.Sums(ctx, s.db, xcond, xargs, metric.Sum{Series: "inspected", From: from, To: to})
	if err != nil {
		return nil, err
	}
	rep, err := InspectionHitTally.Sums(ctx, s.db, xcond, xargs, metric.Sum{Series: "open:enforcement.inspection_repeat"}, metric.Sum{Series: "open:enforcement.inspection_repeat_all"})
	if err != nil {
		return nil, err
	}
	period := fmt.Sprintf("（期间：%s 至 %s，不填时为本年1月1日至今天）", from, to)
	out := []metric.Figure{
		{Code: FigureCertified, Name: "持证执法人员", Value: float64(off[0]), Numerator: off[0], Unit: "人", Link: "/enforcement/officers?valid=true" + unit,
			Definition: "权限范围内执法证状态为有效且未过有效期的执法人员人数（当前数，不分期间）"},
	}
	for i, k := range CaseKinds {
		c := n[4+i]
		out = append(out, metric.Figure{Code: FigureCasesPrefix + k.Value, Name: k.Label + "案件", Value: float64(c), Numerator: c, Unit: "件",
			Link:       fmt.Sprintf("/enforcement/cases?kind=%s&filed_from=%s&filed_to=%s%s", k.Value, from, to, unit),
			Definition: "期间内立案（登记）的" + k.Label + "案件数" + period})
	}
	out = append(out,
		metric.Figure{Code: FigureDisclosureRate, Name: "执法决定按期公示率",
			Link:          fmt.Sprintf("/enforcement/cases?disclose_due_from=%s&disclose_due_to=%s%s", from, dueTo, unit),
			NumeratorLink: fmt.Sprintf("/enforcement/cases?disclose_due_from=%s&disclose_due_to=%s&disclosed_on_time=true%s", from, dueTo, unit),
			Definition:    "分子：按期公示的执法决定数（许可、处罚决定之日起 7 个工作日内，其他决定 20 个工作日内）；分母：公示期限在期间内且已届满的执法决定数" + period}.Rate(n[1], n[0]),
		metric.Figure{Code: FigureReviewRate, Name: "重大执法决定法制审核率",
			Link:          fmt.Sprintf("/enforcement/cases?major=true&decided_from=%s&decided_to=%s%s", from, to, unit),
			NumeratorLink: fmt.Sprintf("/enforcement/cases?major=true&reviewed=true&decided_from=%s&decided_to=%s%s", from, to, unit),
			Definition:    "分子：经法制审核通过后作出的重大执法决定数；分母：期间内作出的重大执法决定数" + period}.Rate(n[3], n[2]),
		metric.Figure{Code: FigureHitsOpen, Name: "规则预警未纠正", Value: float64(hits[0]), Numerator: hits[0], Unit: "个", Link: "/enforcement/rules?status=open",
			Definition: "权限范围内自动检查规则命中、案件尚未纠正的预警数（当前数，不分期间）"},
		metric.Figure{Code: FigureHitsClosed, Name: "规则预警已纠正", Value: float64(hits[1]), Numerator: hits[1], Unit: "个", Link: "/enforcement/rules?status=closed",
			Definition: "期间内案件纠正后自动销号的规则预警数" + period},
		metric.Figure{Code: FigureReportRate, Name: "涉企处罚决定前报备率",
			Link:          fmt.Sprintf("/enforcement/cases?report_required=true&decided_from=%s&decided_to=%s%s", from, to, unit),
			NumeratorLink: fmt.Sprintf("/enforcement/cases?report_required=true&reported_before=true&decided_from=%s&decided_to=%s%s", from, to, unit),
			Definition: fmt.Sprintf("分子：决定前已经司法局确认报备的涉企处罚决定数；分母：期间内作出的对法人或其他组织罚款超过 %s 元的处罚决定数", yuan(s.opt.ReportFen)) +
				period}.Rate(inc[1], inc[0]),
		metric.Figure{Code: FigureLeniency, Name: "适用不罚轻罚清单案件", Value: float64(inc[2]), Numerator: inc[2], Unit: "件",
			Link:       fmt.Sprintf("/enforcement/cases?leniency=true&filed_from=%s&filed_to=%s%s", from, to, unit),
			Definition: "期间内立案、适用不予处罚、免予处罚或从轻处罚清单事项的案件数" + period},
		metric.Figure{Code: FigureInspections, Name: "涉企行政检查", Value: float64(insp[0]), Numerator: insp[0], Unit: "次",
			Link:       fmt.Sprintf("/enforcement/inspections?from=%s&to=%s%s", from, to, unit),
			Definition: "期间内登记的涉企行政检查次数" + period},
		metric.Figure{Code: FigureRepeatHits, Name: "重复检查预警未纠正", Value: float64(rep[0] + rep[1]), Numerator: rep[0] + rep[1], Unit: "个",
			Link:       "/enforcement/rules?target=inspection",
			Definition: "同一企业年度被检查次数超过检查计划上限或全区合计上限、尚未纠正的预警数（当前数，不分期间）"},
	)
	return out, nil
}

// setDerived writes the columns the figures count by, when they changed,
// with the counters moving in tx.
func (st Store) setDerived(ctx context.Context, tx *db.Tx, id int64, discloseDue string, reviewPassed bool, rep reportFacts) error {
	return CaseTally.Write(ctx, tx, id, func() error {
		_, err := tx.Exec(ctx, `UPDATE enforcement_cases SET disclose_due = ?, review_passed = ?, report_required = ?, reported_before = ?
WHERE id = ? AND (disclose_due <> ? OR review_passed <> ? OR report_required <> ? OR reported_before <> ?)`,
			discloseDue, b2i(reviewPassed), b2i(rep.required), b2i(rep.before), id, discloseDue, b2i(reviewPassed), b2i(rep.required), b2i(rep.before))
		return db.Classify(err)
	})
}
