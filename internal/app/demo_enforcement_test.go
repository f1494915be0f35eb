package app

import (
	"time"

	"fazhi/internal/enforcement"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
)

// enforcement walks the demo case register: the steps of every case in
// legal order and none after the day the demo was loaded, the case recorded
// on or after the day of its last step, the disclosure deadline stored with
// it the one the calendar rule gives, a fresh run of the rules changing no
// hit (what the demo shows is what the rules say), and a few per cent — not
// none, not most — of the cases breaking a rule.
func (c *demoCheck) enforcement() {
	type row struct {
		id                                                                                  int64
		code, kind, filed, prior, hnotice, hearing, decided, served, closed, disclosed, due string
		created                                                                             time.Time
	}
	rows, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (row, error) {
		var r row
		err := sc.Scan(&r.id, &r.code, &r.kind, &r.filed, &r.prior, &r.hnotice, &r.hearing, &r.decided, &r.served, &r.closed, &r.disclosed, &r.due, &r.created)
		return r, err
	}, `SELECT id, code, kind, filed_on, prior_notice_on, hearing_notice_on, hearing_on, decided_on, served_on, closed_on, disclosed_on, disclose_due, created_at
FROM enforcement_cases ORDER BY id`)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, r := range rows {
		c.count("enforcement")
		rec := "执法案件 " + r.code
		c.order(rec, "立案", r.filed, "事先告知", r.prior, "决定", r.decided, "送达", r.served, "结案", r.closed)
		c.order(rec, "立案", r.filed, "听证告知", r.hnotice, "听证", r.hearing, "决定", r.decided, "公示", r.disclosed)
		last := r.filed
		for _, d := range []string{r.prior, r.hnotice, r.hearing, r.decided, r.served, r.closed, r.disclosed} {
			last = max(last, d)
		}
		if got := day(r.created); got < last {
			c.bad(rec, "登记于 %s，早于最后环节 %s", got, last)
		}
		if r.decided != "" {
			rule := enforcement.CalDiscloseOther
			if r.kind == "penalty" || r.kind == "licence" {
				rule = enforcement.CalDisclose
			}
			if want := c.due(rule, r.decided); r.due != want {
				c.bad(rec, "公示期限 %s，按规则应为 %s", r.due, want)
			}
		}
	}
	before := openHits(c)
	// The nightly run again on the demo's day.
	ctx, sim := clock.Simulate(c.ctx)
	sim.At(enforcement.DemoToday, 3)
	if _, err := c.a.Enforcement().EvaluateAll(ctx); err != nil {
		c.t.Fatal(err)
	}
	if after := openHits(c); after != before {
		c.bad("执法案件规则", "重新检查后未纠正的命中 %d → %d", before, after)
	}
	var flagged int
	if err := c.a.DB.QueryRow(c.ctx, "SELECT COUNT(DISTINCT case_id) FROM enforcement_rule_hits WHERE status = 'open'").Scan(&flagged); err != nil {
		c.t.Fatal(err)
	}
	if n := len(rows); n < 1000 || flagged*100 < n || flagged*100 > 10*n {
		c.bad("执法案件", "%d 件案件中 %d 件命中规则（应为百分之几）", n, flagged)
	}
	c.enforcementInclusive()
}

// enforcementInclusive walks 包容审慎监管: every case entered through the
// form whose decision needed the 涉企处罚报备 has a report the 司法局
// acknowledged for at least the amount on or before the decision day (the
// gate); every case's registration is in the audit log; inspections were
// recorded on or after their day and their rule hits are a few per cent.
func (c *demoCheck) enforcementInclusive() {
	type rep struct {
		code, decided, status, reviewed string
		amount, reported                int64
	}
	reps, err := db.All(c.ctx, c.a.DB, func(sc db.Scanner) (rep, error) {
		var r rep
		return r, sc.Scan(&r.code, &r.decided, &r.amount, &r.status, &r.reviewed, &r.reported)
	}, `SELECT c.code, c.decided_on, c.amount_fen, COALESCE(r.status, ''), COALESCE(r.reviewed_on, ''), COALESCE(r.amount_fen, 0)
FROM enforcement_cases c LEFT JOIN enforcement_penalty_reports r ON r.case_id = c.id WHERE c.report_required = 1 AND c.source = 'form'`)
	if err != nil {
		c.t.Fatal(err)
	}
	for _, r := range reps {
		if r.status != "acknowledged" || r.reviewed > r.decided || r.reported < r.amount {
			c.bad("执法案件 "+r.code, "决定 %s 须涉企处罚报备，报备状态“%s”，确认于 %s", r.decided, r.status, r.reviewed)
		}
	}
	if len(reps) == 0 {
		c.bad("涉企处罚报备", "演示数据中没有须报备的处罚")
	}
	var cases, audited, inspections, late, hits int
	for q, dst := range map[string]*int{
		"SELECT COUNT(*) FROM enforcement_cases": &cases,
		"SELECT COUNT(DISTINCT object_id) FROM audit_events WHERE object_type = 'enforcement_case' AND action = 'enforcement.case.create'": &audited,
		"SELECT COUNT(*) FROM enforcement_inspections":                                                              &inspections,
		"SELECT COUNT(*) FROM enforcement_inspections WHERE inspected_on > substr(CAST(created_at AS TEXT), 1, 10)": &late,
		"SELECT COUNT(DISTINCT inspection_id) FROM enforcement_inspection_hits WHERE status = 'open'":               &hits,
	} {
		if err := c.a.DB.QueryRow(c.ctx, q).Scan(dst); err != nil {
			c.t.Fatal(err)
		}
	}
	if audited != cases {
		c.bad("执法案件", "%d 件案件中 %d 件有登记的审计记录", cases, audited)
	}
	if inspections < 100 || late > 0 || hits == 0 || hits*100 > 15*inspections {
		c.bad("涉企行政检查", "%d 次检查，%d 次登记早于检查日期，%d 次命中规则（应为百分之几）", inspections, late, hits)
	}
}

func openHits(c *demoCheck) int {
	var n int
	if err := c.a.DB.QueryRow(c.ctx, "SELECT COUNT(*) FROM enforcement_rule_hits WHERE status = 'open'").Scan(&n); err != nil {
		c.t.Fatal(err)
	}
	return n
}
