package enforcement

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"fazhi/internal/platform/apperr"
	"fazhi/internal/platform/audit"
	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	"fazhi/internal/platform/db"
	"fazhi/internal/platform/option"
)

// demoBodies are the demo district's enforcement bodies (units by name
// from the org demo), with their categories and what they decide.
var demoBodies = []struct {
	unit, name, kind, basis, categories string
	titles                              []string
}{
	{"区市场监管局", "清河区市场监督管理局", "statutory", "《清河区市场监督管理局职能配置、内设机构和人员编制规定》", "市场监管、食品安全、产品质量、价格",
		[]string{"销售过期食品", "未按规定明码标价", "销售不合格产品", "无照经营", "虚假宣传"}},
	{"区城市管理局", "清河区城市管理综合行政执法局", "statutory", "《关于清河区城市管理领域相对集中行政处罚权的批复》", "市容环境、园林绿化、市政设施",
		[]string{"占道经营", "擅自设置户外广告", "乱倒建筑垃圾", "损毁城市绿地"}},
	{"区生态环境局", "清河区生态环境局", "statutory", "《中华人民共和国环境保护法》", "大气、水、固体废物污染防治",
		[]string{"超标排放污水", "未批先建", "危险废物贮存不规范"}},
	{"区交通运输局", "清河区交通运输局", "statutory", "《中华人民共和国道路运输条例》", "道路运输、出租汽车",
		[]string{"非法营运", "货车超限运输", "出租汽车拒载"}},
	{"区卫生健康局", "清河区卫生健康局", "statutory", "《中华人民共和国基本医疗卫生与健康促进法》", "医疗机构、公共场所卫生",
		[]string{"非医师行医", "公共场所卫生许可证过期", "医疗废物处置不规范"}},
	{"区应急管理局", "清河区应急管理局", "statutory", "《中华人民共和国安全生产法》", "安全生产、危险化学品",
		[]string{"未按规定开展安全培训", "安全设施未经验收", "危险化学品储存不规范"}},
}

var demoSurnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高")
var demoGiven = []string{"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "霞", "平", "刚", "桂英", "建华"}

// SeedDemo loads the demo register: six bodies, two towns' entrusted and
// empowered items, 60 officers (two with lapsed certificates, one expiring
// within 90 days) and 2,000 cases of 2026, each recorded on the day its
// last step happened (clock.Simulate) through the service's own checks and
// rules; a few per cent break a rule (late disclosure, an on-the-spot fine
// above the limit, one officer, no hearing notice, a lapsed officer on a
// platform case, an undecided penalty past 90 days), which the rules raise
// in the findings ledger.
func (s *Service) SeedDemo(ctx context.Context) error {
	ctx, sim := clock.Simulate(ctx)
	ctx = auth.With(ctx, auth.SystemActor("演示数据"))
	realToday := DemoToday
	at := func(d string) { sim.At(calendar.MustDate(d), 9) }
	at("2026-01-05")
	rng := rand.New(rand.NewPCG(2026, 21))
	type bodyRef struct {
		b        *Body
		titles   []string
		officers []*Officer
	}
	var bodies []bodyRef
	for _, d := range demoBodies {
		unit, err := s.st.unitByName(ctx, s.db, d.unit)
		if apperr.Is(err, apperr.NotFound) {
			continue // a trimmed org demo
		}
		if err != nil {
			return err
		}
		b, err := s.CreateBody(ctx, BodyInput{UnitID: unit, Name: d.name, Kind: d.kind, LegalBasis: d.basis, Categories: d.categories})
		if err != nil {
			return fmt.Errorf("demo body %s: %w", d.name, err)
		}
		bodies = append(bodies, bodyRef{b: b, titles: d.titles})
	}
	if len(bodies) == 0 {
		return nil
	}
	for i, town := range []string{"石桥镇", "白沙镇"} {
		unit, err := s.st.unitByName(ctx, s.db, town)
		if err != nil {
			continue
		}
		for j, item := range []string{"对占道经营的行政处罚", "对违法建设的责令停止建设", "对燃放烟花爆竹的行政处罚"} {
			mode := []string{"entrusted", "empowered"}[(i+j)%2]
			if _, err := s.CreateGrant(ctx, GrantInput{UnitID: unit, Mode: mode, Item: item, GrantingDoc: fmt.Sprintf("清河政发〔2025〕%d号", 10+i), GrantedOn: "2025-12-20"}); err != nil {
				return err
			}
		}
	}
	// 60 officers, ten per body; the last two of the first body lapsed on
	// 2026-06-30, one of the second expires within 90 days.
	n := 0
	for bi := range bodies {
		for k := range 60 / len(bodies) {
			n++
			issued := fmt.Sprintf("20%02d-%02d-15", 21+rng.IntN(4), 1+rng.IntN(12))
			expires := fmt.Sprintf("20%02d-12-31", 27+rng.IntN(4))
			switch {
			case bi == 0 && k >= 8:
				issued, expires = "2021-07-01", "2026-06-30"
			case bi == 1 && k == 9:
				expires = realToday.AddDays(60).String()
			}
			h := 20 + rng.IntN(40)
			name := string(demoSurnames[rng.IntN(len(demoSurnames))]) + demoGiven[rng.IntN(len(demoGiven))]
			o, err := s.CreateOfficer(ctx, OfficerInput{UnitID: bodies[bi].b.UnitID, Name: name, Phone: fmt.Sprintf("139%08d", 10000000+n*7919),
				CertNo: fmt.Sprintf("QH%02d%04d", bi+1, n), CertKind: "admin", CertAuthority: "清河市人民政府", CertIssuedOn: issued,
				CertExpiresOn: expires, TrainingHours: &h})
			if err != nil {
				return fmt.Errorf("demo officer %d: %w", n, err)
			}
			bodies[bi].officers = append(bodies[bi].officers, o)
		}
	}

	// 2,000 cases, each recorded on the day of its last step.
	type planned struct {
		day string
		in  CaseInput
		src string
	}
	var plan []planned
	cal, ev := s.cal, &evaluator{cal: s.cal, rules: s.rules, opt: s.opt}
	start := calendar.MustDate("2026-01-05")
	span := realToday.DaysSince(start) - 5
	for i := range 2000 {
		br := bodies[i%len(bodies)]
		filed := cal.NextWorkingDay(start.AddDays(rng.IntN(max(span, 1))))
		kind := []string{"penalty", "penalty", "penalty", "inspection", "inspection", "licence", "compulsory"}[rng.IntN(7)]
		in := CaseInput{BodyID: br.b.ID, Kind: kind, Title: br.titles[rng.IntN(len(br.titles))], Procedure: "general",
			LegalBasis: br.b.LegalBasis, DiscretionBand: []string{"从轻", "一般", "从重"}[rng.IntN(3)], FiledOn: filed.String()}
		if rng.IntN(3) == 0 {
			in.PartyType, in.PartyName = "person", string(demoSurnames[rng.IntN(len(demoSurnames))])+demoGiven[rng.IntN(len(demoGiven))]
			in.PartyIDNo = fmt.Sprintf("3301%02d19%02d%02d%02d%03d%d", 2+rng.IntN(8), 60+rng.IntN(40), 1+rng.IntN(12), 1+rng.IntN(28), rng.IntN(1000), rng.IntN(10))
			in.PartyPhone = fmt.Sprintf("13%d%08d", 5+rng.IntN(5), rng.IntN(100000000))
			in.PartyAddress = fmt.Sprintf("清河区幸福路 %d 号", 1+rng.IntN(300))
		} else {
			in.PartyType, in.PartyName = "organisation", fmt.Sprintf("清河%s有限公司", []string{"商贸", "餐饮", "物流", "建材", "科技", "医药"}[rng.IntN(6)])
			in.PartyIDNo = fmt.Sprintf("91330100MA2%06dX", rng.IntN(1000000))
			in.PartyPhone = fmt.Sprintf("0571%08d", rng.IntN(100000000))
		}
		// Two valid officers of the body (valid on the filing day).
		var valid []*Officer
		for _, o := range br.officers {
			if certValidOn(o.CertIssuedOn, o.CertExpiresOn, filed) && certValidOn(o.CertIssuedOn, o.CertExpiresOn, realToday) {
				valid = append(valid, o)
			}
		}
		rng.Shuffle(len(valid), func(a, b int) { valid[a], valid[b] = valid[b], valid[a] })
		in.OfficerIDs = []int64{valid[0].ID, valid[1].ID}
		add := func(d calendar.Date, n int) calendar.Date { return d.AddDays(n) }
		var decided calendar.Date
		switch kind {
		case "penalty":
			if rng.IntN(5) == 0 {
				in.Procedure, decided = "on_the_spot", filed
				limit := int64(onTheSpotPerson)
				if in.PartyType == "organisation" {
					limit = onTheSpotOrg
				}
				in.AmountFen = (1 + rng.Int64N(limit/100)) * 100
			} else {
				prior := add(filed, 10+rng.IntN(15))
				in.PriorNoticeOn = prior.String()
				decided = add(prior, 7+rng.IntN(40))
				in.AmountFen = int64(1+rng.IntN(200)) * 100_00
				if rng.IntN(12) == 0 {
					in.AmountFen = int64(10+rng.IntN(20)) * 10_000_00 // 10–30 万元: hearing notice
				}
				if in.AmountFen >= s.opt.HearingPersonFen && (in.PartyType == "person" || in.AmountFen >= s.opt.HearingOrgFen) {
					in.HearingNoticeOn = in.PriorNoticeOn
				}
				in.Major = rng.IntN(200) == 0
			}
		case "inspection", "licence":
			decided = add(filed, 1+rng.IntN(15))
		case "compulsory":
			decided = add(filed, rng.IntN(3))
		}
		last := filed
		if decided.After(realToday.AddDays(-1)) || (kind == "penalty" && rng.IntN(40) == 0 && in.Procedure == "general") {
			// Still pending (a few penalties left undecided for months):
			// only the steps already taken are recorded.
			in.HearingNoticeOn, in.Major = "", false
			if in.PriorNoticeOn != "" && date(in.PriorNoticeOn).After(realToday.AddDays(-1)) {
				in.PriorNoticeOn = ""
			}
			if in.PriorNoticeOn != "" {
				last = date(in.PriorNoticeOn)
			}
		} else {
			in.DecidedOn = decided.String()
			due, err := ev.due(discloseRule(kind), decided)
			if err != nil {
				return err
			}
			disclosed := add(decided, 1+rng.IntN(3))
			if rng.IntN(60) == 0 {
				disclosed = add(due, 1+rng.IntN(10)) // late
			}
			yesterday := realToday.AddDays(-1)
			last = decided
			if served := add(decided, rng.IntN(3)); !served.After(yesterday) {
				in.ServedOn = served.String()
				last = served
				if c := add(served, 10+rng.IntN(30)); !c.After(yesterday) {
					in.ClosedOn = c.String()
					last = c
				}
			}
			if !disclosed.After(yesterday) {
				in.DisclosedOn = disclosed.String()
				last = maxDate(last, disclosed)
			}
		}
		src := "form"
		switch r := rng.IntN(100); {
		case r < 30:
			src = "platform"
			in.PlatformNo = fmt.Sprintf("ZJ-ZF-2026-%06d", i+1)
		case r == 30 && kind == "penalty" && in.Procedure == "on_the_spot":
			in.AmountFen *= 20 // above the on-the-spot limit
		case r == 31:
			in.OfficerIDs = in.OfficerIDs[:1] // one officer
		case r == 32 && in.HearingNoticeOn != "":
			in.HearingNoticeOn = "" // no hearing notice
		}
		if src == "platform" && rng.IntN(25) == 0 && bodies[0].b.ID == in.BodyID && filed.After(calendar.MustDate("2026-06-30")) {
			in.OfficerIDs[1] = br.officers[len(br.officers)-1].ID // lapsed 2026-06-30, pushed by the platform
		}
		plan = append(plan, planned{day: last.String(), in: in, src: src})
	}
	slices.SortStableFunc(plan, func(a, b planned) int {
		if a.day < b.day {
			return -1
		}
		if a.day > b.day {
			return 1
		}
		return 0
	})
	// Bulk path (2,000 cases through one transaction each took a minute on
	// a loaded machine): every case is checked by the service's own checks
	// and assignment gate on its day, then the register is written with
	// CopyIn, its counters rebuilt, and the rules run in memory as the
	// nightly run of DemoToday would, raising their hits in the ledger.
	lk := newLookups()
	var first int64
	if err := s.db.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM enforcement_cases").Scan(&first); err != nil {
		return err
	}
	var firstReport int64
	if err := s.db.QueryRow(ctx, "SELECT COALESCE(MAX(id), 0) + 1 FROM enforcement_penalty_reports").Scan(&firstReport); err != nil {
		return err
	}
	var cases []*Case
	var caseRows, officerRows, reportRows [][]any
	type reportEvent struct {
		id             int64
		k              *Case
		submit, review string
	}
	var reportEvents []reportEvent
	for i, p := range plan {
		at(p.day)
		c, v, err := s.checkCase(ctx, s.db, p.in, lk)
		if err != nil {
			return err
		}
		if p.src == "form" {
			gateOfficers(&v, c.officers, nil, s.today(ctx))
		}
		if err := v.Err(); err != nil {
			return fmt.Errorf("demo case %q filed %s: %w", p.in.Title, p.in.FiledOn, err)
		}
		id := first + int64(i)
		k := c.asCase(id, fmt.Sprintf("ZF%s-%06d", p.in.FiledOn[:4], id), p.src)
		due := ""
		if k.DecidedOn != "" {
			d, err := ev.due(discloseRule(k.Kind), date(k.DecidedOn))
			if err != nil {
				return err
			}
			due = d.String()
		}
		stamp := s.clock(ctx).UTC()
		// 涉企处罚报备: a form case needing it was reported and acknowledged
		// before its decision (the gate); one still undecided after its prior
		// notice waits for the 司法局; four in five platform cases were
		// reported through this system too.
		var rep reportFacts
		if s.reportRequired(k.Kind, k.PartyType, k.AmountFen) && (k.DecidedOn != "" || k.PriorNoticeOn != "") && (p.src == "form" || rng.IntN(5) > 0) {
			submit := maxDate(date(k.FiledOn), date(k.PriorNoticeOn)).String()
			status, review := "submitted", ""
			if k.DecidedOn != "" {
				status, review = "acknowledged", min(date(submit).AddDays(2).String(), k.DecidedOn)
				rep.before = true
			}
			rid := firstReport + int64(len(reportRows))
			reportRows = append(reportRows, []any{rid, id, k.UnitID, k.AmountFen, fmt.Sprintf("拟对%s%s罚款 %s 元", k.PartyName, k.Title, yuan(k.AmountFen)),
				status, 0, submit, 0, review, "", stamp, stamp})
			reportEvents = append(reportEvents, reportEvent{id: rid, k: k, submit: submit, review: review})
		}
		rep.required = k.DecidedOn != "" && s.reportRequired(k.Kind, k.PartyType, k.AmountFen)
		rep.before = rep.before && rep.required
		caseRows = append(caseRows, append(append([]any{id, k.Code}, caseValues(c)...), p.src, 0, stamp, stamp, due, 0, b2i(rep.required), b2i(rep.before)))
		for _, o := range c.officers {
			officerRows = append(officerRows, []any{id, o.ID})
		}
		cases = append(cases, k)
	}
	cols := append(append([]string{"id", "code"}, splitCols(caseWriteCols)...), "source", "created_by", "created_at", "updated_at", "disclose_due", "review_passed",
		"report_required", "reported_before")
	if _, err := s.db.CopyIn(ctx, "enforcement_cases", cols, slices.Values(caseRows)); err != nil {
		return err
	}
	if _, err := s.db.CopyIn(ctx, "enforcement_case_officers", []string{"case_id", "officer_id"}, slices.Values(officerRows)); err != nil {
		return err
	}
	if _, err := s.db.CopyIn(ctx, "enforcement_penalty_reports", []string{"id", "case_id", "unit_id", "amount_fen", "summary", "status", "submitted_by",
		"submitted_on", "reviewed_by", "reviewed_on", "review_note", "created_at", "updated_at"}, slices.Values(reportRows)); err != nil {
		return err
	}
	if err := CaseTally.Rebuild(ctx, s.db); err != nil {
		return err
	}
	// The audit events the bulk path did not write one by one: each case's
	// registration on its day, each report's submission and confirmation.
	err := s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, r := range reportEvents {
			sim.At(date(r.submit), 10)
			if err := audit.Record(ctx, tx, audit.Event{Action: "enforcement.report.submit", ObjectType: "enforcement_penalty_report", ObjectID: itoa(r.id),
				UnitID: r.k.UnitID, Summary: fmt.Sprintf("案件 %s 向司法局报备涉企处罚（罚款 %s 元）", r.k.Code, yuan(r.k.AmountFen))}); err != nil {
				return err
			}
			if r.review == "" {
				continue
			}
			sim.At(date(r.review), 15)
			if err := audit.Record(ctx, tx, audit.Event{Action: "enforcement.report.acknowledge", ObjectType: "enforcement_penalty_report", ObjectID: itoa(r.id),
				UnitID: r.k.UnitID, Summary: fmt.Sprintf("司法局确认案件 %s 的涉企处罚报备", r.k.Code)}); err != nil {
				return err
			}
		}
		for i, k := range cases {
			at(plan[i].day)
			if err := audit.Record(ctx, tx, audit.Event{Action: "enforcement.case.create", ObjectType: "enforcement_case", ObjectID: itoa(k.ID), UnitID: k.UnitID,
				Summary: fmt.Sprintf("登记行政执法案件 %s「%s」（%s）", k.Code, k.Title, option.Label(CaseSources, k.Source)), After: k}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	sim.At(DemoToday, 2)
	today := s.today(ctx)
	err = s.db.WithTx(ctx, func(tx *db.Tx) error {
		for _, k := range cases {
			results, err := ev.run(&facts{c: k, today: today})
			if err != nil {
				return err
			}
			if len(results) == 0 {
				continue
			}
			if err := s.evaluateCase(ctx, tx, k, true); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	refs := make([]demoBody, len(bodies))
	for i, b := range bodies {
		refs[i] = demoBody{b: b.b, officers: b.officers}
	}
	if err := s.seedLeniency(ctx, sim, refs, cases); err != nil {
		return err
	}
	return s.seedInspections(ctx, sim, refs, rng)
}

// DemoToday is the day the demo register is "as of" (the findings ledger's
// demo day): nothing in it happens later, and the rules' nightly run of
// that day raised its hits.
var DemoToday = calendar.NewDate(2026, 11, 20)

func splitCols(list string) []string {
	var out []string
	for _, c := range strings.Split(strings.ReplaceAll(list, "\n", " "), ",") {
		out = append(out, strings.TrimSpace(c))
	}
	return out
}

func maxDate(a, b calendar.Date) calendar.Date {
	if a.After(b) {
		return a
	}
	return b
}
