package mediation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
	xl "fazhi/internal/platform/xlsx"
)

// DemoPeople is what the demo needs from the org module: actors by
// username and units by code.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	UnitID(ctx context.Context, code string) (int64, error)
}

// DemoToday is the day the demo register is "as of": nothing in it is
// dated later.
var DemoToday = calendar.NewDate(2026, 12, 4)

// demoTowns are the demo district's towns and subdistricts: their unit code
// number and how many villages/communities each has (org.DemoTowns).
var demoTowns = []int{4, 4, 3, 4, 3, 3, 5, 4, 4, 5, 4, 4}

var demoSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
var demoGiven = []string{"建华", "秀兰", "国强", "玉珍", "志明", "桂芳", "德福", "春梅", "永康", "凤英", "长青", "金花"}

func demoPerson(i int) string {
	return string(demoSurnames[(i*7)%len(demoSurnames)]) + demoGiven[(i*5)%len(demoGiven)]
}

type demoCommittee struct {
	c     *Committee
	clerk string
	meds  []*Mediator
}

// SeedDemo loads the demo register through the service under a simulated
// clock: a committee in every town and village plus two industry
// committees, two or three mediators each, about 1,000 cases over the year
// with a success rate near 99% — two dozen taken step by step on their own
// days (open cases, written agreements whose confirmation window is still
// open, confirmations granted and refused, failures guided to litigation),
// the rest imported month by month from the committees' ledgers, as clerks
// do, each import on the first day of the next month.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople) error {
	ctx, sim := clock.Simulate(ctx)
	as := func(username string) (context.Context, error) {
		a, err := people.Actor(ctx, username)
		if err != nil {
			return nil, err
		}
		return auth.With(ctx, a), nil
	}
	sim.At(calendar.NewDate(2026, 1, 4), 9)
	var cs []*demoCommittee
	person := 0
	add := func(username, code, kind, name string) error {
		actx, err := as(username)
		if err != nil {
			return err
		}
		unit, err := people.UnitID(ctx, code)
		if err != nil {
			return err
		}
		if name == "" {
			uname, _, err := s.st.unit(ctx, s.db, unit)
			if err != nil {
				return err
			}
			name = uname + "人民调解委员会"
		}
		c, err := s.CreateCommittee(actx, CommitteeInput{UnitID: unit, Name: name, Kind: kind, EstablishedOn: "2011-06-01"})
		if err != nil {
			return err
		}
		dc := &demoCommittee{c: c, clerk: username}
		for k, duty := range []string{"主任", "委员", "专职调解员"}[:2+len(cs)%2] {
			person++
			m, err := s.AddMediator(actx, c.ID, MediatorInput{Name: demoPerson(person), Duty: duty, FullTime: k == 2,
				Phone: fmt.Sprintf("139%08d", 20000000+person*7919%70000000)})
			if err != nil {
				return err
			}
			dc.meds = append(dc.meds, m)
		}
		cs = append(cs, dc)
		return nil
	}
	for i, villages := range demoTowns {
		clerk := fmt.Sprintf("clerk_town%02d", i+1)
		if err := add(clerk, fmt.Sprintf("QH2%02d000", i+1), "town", ""); err != nil {
			return err
		}
		for n := 1; n <= villages; n++ {
			if err := add(clerk, fmt.Sprintf("QH2%02d%03d", i+1, n), "village", ""); err != nil {
				return err
			}
		}
	}
	if err := add("sifaju", "QH114000", "industry", "区医疗纠纷人民调解委员会"); err != nil {
		return err
	}
	if err := add("sifaju", "QH104000", "industry", "区道路交通事故纠纷人民调解委员会"); err != nil {
		return err
	}
	if err := s.seedSteps(ctx, sim, as, cs); err != nil {
		return err
	}
	return s.seedImports(ctx, sim, as, cs)
}

// demoStory is one case taken step by step; days are offsets from the
// day it was received, -1 for a step not taken.
type demoStory struct {
	received                  calendar.Date
	typ, source, ref, summary string
	sessions                  []int
	agree                     int
	form, terms               string
	fail                      int
	reason                    string
	apply, result             int
	ruling                    string
	followup                  int
	fulfil                    string
	litigate                  int
}

var demoStories = []demoStory{
	// Open: received lately, some with a first session.
	{received: calendar.NewDate(2026, 11, 30), typ: "neighbour", source: "application", summary: "相邻房屋滴水引发争执", agree: -1, fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	{received: calendar.NewDate(2026, 12, 1), typ: "family", source: "hotline", ref: "12345-2026-118823", summary: "赡养费分担争议", sessions: []int{1}, agree: -1, fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	{received: calendar.NewDate(2026, 11, 26), typ: "property", source: "petition", ref: "清信转〔2026〕211号", summary: "物业费与停车位管理争议", sessions: []int{2, 6}, agree: -1, fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	{received: calendar.NewDate(2026, 12, 2), typ: "labour", source: "department", summary: "务工人员工资结算争议", agree: -1, fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	{received: calendar.NewDate(2026, 11, 27), typ: "traffic", source: "police", ref: "清公交调〔2026〕96号", summary: "电动车与行人碰撞赔偿", sessions: []int{3}, agree: -1, fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	// Written agreements with the confirmation window still open.
	{received: calendar.NewDate(2026, 11, 10), typ: "contract", source: "application", summary: "装修工程款结算纠纷", sessions: []int{2, 5}, agree: 7, form: FormWritten, terms: "甲方于 12 月 31 日前支付尾款 3.2 万元", fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	{received: calendar.NewDate(2026, 11, 16), typ: "damage", source: "police", ref: "清公调〔2026〕301号", summary: "饲养犬只咬伤邻居赔偿", sessions: []int{1}, agree: 3, form: FormWritten, terms: "赔偿医药费、误工费共计 4,600 元", fail: -1, apply: -1, result: -1, followup: 10, fulfil: FulfilDone, litigate: -1},
	{received: calendar.NewDate(2026, 11, 18), typ: "housing", source: "application", summary: "宅基地界址争议", sessions: []int{2, 4}, agree: 6, form: FormWritten, terms: "以原界桩为准，东侧围墙后退 0.3 米", fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	{received: calendar.NewDate(2026, 11, 20), typ: "medical", source: "application", summary: "术后感染赔偿争议", sessions: []int{3, 7}, agree: 9, form: FormWritten, terms: "医院一次性补偿 2.8 万元", fail: -1, apply: -1, result: -1, followup: -1, litigate: -1},
	// Confirmed by the court.
	{received: calendar.NewDate(2026, 3, 9), typ: "contract", source: "court", ref: "（2026）清0102民诉前调321号", summary: "买卖合同货款纠纷（诉前委派）", sessions: []int{4, 9}, agree: 12, form: FormWritten, terms: "分三期支付货款 12 万元", fail: -1, apply: 20, result: 27, ruling: ConfirmValid, followup: 90, fulfil: FulfilDone, litigate: -1},
	{received: calendar.NewDate(2026, 5, 11), typ: "land", source: "application", summary: "承包地流转费用争议", sessions: []int{2}, agree: 6, form: FormWritten, terms: "流转费按每亩 650 元结算", fail: -1, apply: 14, result: 21, ruling: ConfirmValid, followup: 40, fulfil: FulfilDone, litigate: -1},
	{received: calendar.NewDate(2026, 7, 6), typ: "traffic", source: "police", ref: "清公交调〔2026〕51号", summary: "车辆追尾损失赔偿", sessions: []int{2, 5}, agree: 8, form: FormWritten, terms: "保险公司赔付 1.9 万元，差额由乙方承担", fail: -1, apply: 25, result: 33, ruling: ConfirmValid, followup: 60, fulfil: FulfilDone, litigate: -1},
	{received: calendar.NewDate(2026, 9, 14), typ: "labour", source: "department", ref: "清人社转〔2026〕17号", summary: "工伤待遇争议", sessions: []int{3}, agree: 7, form: FormWritten, terms: "一次性支付工伤待遇 6.5 万元", fail: -1, apply: 10, result: 18, ruling: ConfirmValid, followup: 30, fulfil: FulfilPartial, litigate: -1},
	// Refused by the court, then guided to litigation.
	{received: calendar.NewDate(2026, 6, 2), typ: "demolition", source: "petition", ref: "清信转〔2026〕88号", summary: "房屋征收补偿分配争议", sessions: []int{3, 8}, agree: 10, form: FormWritten, terms: "补偿款按继承份额分配", fail: -1, apply: 22, result: 35, ruling: ConfirmRejected, followup: -1, litigate: 38},
	// Failed, guided to litigation.
	{received: calendar.NewDate(2026, 4, 13), typ: "business", source: "application", summary: "合伙经营利润分配纠纷", sessions: []int{2, 9, 16}, agree: -1, fail: 20, reason: "双方对账目分歧较大，均不同意调解方案", apply: -1, result: -1, followup: -1, litigate: 22},
	{received: calendar.NewDate(2026, 8, 17), typ: "family", source: "court", ref: "（2026）清0102民诉前调876号", summary: "离婚后财产分割纠纷（诉前委派）", sessions: []int{5, 12}, agree: -1, fail: 15, reason: "一方坚持诉讼解决", apply: -1, result: -1, followup: -1, litigate: 16},
	// Oral agreements with follow-up.
	{received: calendar.NewDate(2026, 2, 24), typ: "neighbour", source: "initiative", summary: "楼道堆放杂物引发争执", sessions: []int{0}, agree: 0, form: FormOral, terms: "双方当日清理楼道杂物", fail: -1, apply: -1, result: -1, followup: 7, fulfil: FulfilDone, litigate: -1},
	{received: calendar.NewDate(2026, 10, 12), typ: "property", source: "hotline", ref: "12345-2026-097215", summary: "小区噪声扰民投诉", sessions: []int{1}, agree: 1, form: FormOral, terms: "商户晚十点后停止营业噪声", fail: -1, apply: -1, result: -1, followup: 14, fulfil: FulfilNone, litigate: 20},
}

// seedSteps takes the story cases through every step on its own day.
func (s *Service) seedSteps(ctx context.Context, sim *clock.Sim, as func(string) (context.Context, error), cs []*demoCommittee) error {
	for i, st := range demoStories {
		dc := cs[(i*7)%len(cs)]
		if st.typ == "medical" {
			dc = cs[len(cs)-2]
		} else if st.typ == "traffic" {
			dc = cs[len(cs)-1]
		}
		actx, err := as(dc.clerk)
		if err != nil {
			return err
		}
		at := func(off int) string {
			d := st.received.AddDays(off)
			sim.At(d, 10+i%6)
			return d.String()
		}
		day := at(0)
		d, err := s.Create(actx, CaseInput{CommitteeID: dc.c.ID, MediatorID: dc.meds[i%len(dc.meds)].ID, CaseNo: fmt.Sprintf("（2026）调字第%d号", 900+i),
			DisputeType: st.typ, Source: st.source, SourceRef: st.ref, ReceivedOn: day, Parties: demoPerson(100+i) + "、" + demoPerson(200+i),
			PartyPhone: fmt.Sprintf("137%08d", 10000000+i*104729), PartyAddress: "清河区" + dc.c.UnitName + fmt.Sprintf("%d号", 10+i), Summary: st.summary})
		if err != nil {
			return fmt.Errorf("demo case %d: %w", i, err)
		}
		for k, off := range st.sessions {
			if d, err = s.Session(actx, d.ID, SessionInput{Version: d.Version, Day: at(off), Note: fmt.Sprintf("第 %d 次调解：听取双方陈述，释法说理", k+1)}); err != nil {
				return fmt.Errorf("demo case %d session: %w", i, err)
			}
		}
		steps := []struct {
			off int
			run func(day string) (*Detail, error)
		}{
			{st.agree, func(day string) (*Detail, error) {
				return s.Agree(actx, d.ID, AgreementInput{Version: d.Version, Day: day, Form: st.form, Terms: st.terms})
			}},
			{st.fail, func(day string) (*Detail, error) {
				return s.Fail(actx, d.ID, FailInput{Version: d.Version, Day: day, Reason: st.reason})
			}},
			{st.apply, func(day string) (*Detail, error) {
				return s.ApplyConfirm(actx, d.ID, ConfirmApplyInput{Version: d.Version, Day: day, Court: "清河区人民法院"})
			}},
			{st.result, func(day string) (*Detail, error) {
				return s.ConfirmResult(actx, d.ID, ConfirmResultInput{Version: d.Version, Day: day, Result: st.ruling})
			}},
			{st.followup, func(day string) (*Detail, error) {
				return s.Followup(actx, d.ID, FollowupInput{Version: d.Version, Day: day, Note: "电话回访当事人", Fulfilment: st.fulfil})
			}},
			{st.litigate, func(day string) (*Detail, error) {
				return s.Litigation(actx, d.ID, LitigationInput{Version: d.Version, Day: day, Note: "告知当事人可向清河区人民法院起诉"})
			}},
		}
		for _, step := range steps {
			if step.off < 0 {
				continue
			}
			if d, err = step.run(at(step.off)); err != nil {
				return fmt.Errorf("demo case %d: %w", i, err)
			}
		}
	}
	return nil
}

// seedImports imports each month's concluded cases on the first day of the
// next month (December's first days are still open: the step cases cover
// them), as the district's clerks keep their ledgers — through Import, so
// every row passes the same checks.
func (s *Service) seedImports(ctx context.Context, sim *clock.Sim, as func(string) (context.Context, error), cs []*demoCommittee) error {
	actx, err := as("sifaju")
	if err != nil {
		return err
	}
	cols := make([]xl.Column, len(importHeaders))
	for i, h := range importHeaders {
		cols[i] = xl.Column{Title: h}
	}
	n := 0
	for month := 1; month <= 11; month++ {
		first := calendar.NewDate(2026, time.Month(month), 1)
		next := calendar.NewDate(2026, time.Month(month+1), 1)
		var rows [][]any
		for d := first; d.Before(next); d = d.AddDays(1) {
			// About three cases a day: a district's thousand a year.
			for range 3 {
				n++
				closed := d.AddDays(1 + n%4)
				if !closed.Before(next) {
					closed = next.AddDays(-1)
				}
				rows = append(rows, demoRow(n, cs[(n*13)%len(cs)], d, closed, next.AddDays(-1)))
			}
		}
		sim.At(next, 9)
		data, err := xl.StreamBytes(xl.Sheet{Name: SheetName, Columns: cols}, xl.Slice(rows))
		if err != nil {
			return err
		}
		rep, err := s.Import(actx, data)
		if err != nil {
			return err
		}
		if len(rep.Problems) > 0 {
			return fmt.Errorf("demo import %d: %v", month, rep.Problems[0])
		}
	}
	return nil
}

// demoRow is one imported case: about 1 in 100 fails; a third of the
// agreements are written, one in six of those confirmed by the court; most
// agreements are fulfilled within the month.
func demoRow(n int, dc *demoCommittee, received, closed, monthEnd calendar.Date) []any {
	r := make([]any, len(importHeaders))
	set := func(h string, v any) {
		for j, x := range importHeaders {
			if x == h {
				r[j] = v
			}
		}
	}
	typ := DisputeTypes[(n*5)%len(DisputeTypes)]
	src := Sources[(n*3)%len(Sources)]
	switch {
	case strings.Contains(dc.c.Name, "医疗"):
		typ = DisputeTypes[9]
	case strings.Contains(dc.c.Name, "交通"):
		typ = DisputeTypes[10]
	}
	set(hCommittee, dc.c.Name)
	set(hCaseNo, fmt.Sprintf("（2026）调字第%d号", n))
	set(hType, typ.Label)
	set(hSource, src.Label)
	switch src.Value {
	case "court":
		set(hSourceRef, fmt.Sprintf("（2026）清0102民诉前调%d号", n))
	case "police":
		set(hSourceRef, fmt.Sprintf("清公调〔2026〕%d号", n))
	}
	set(hReceived, received.String())
	set(hParties, demoPerson(n)+"、"+demoPerson(n+3))
	set(hPhone, fmt.Sprintf("135%08d", (n*7919)%100000000))
	set(hSummary, typ.Label+"，经"+src.Label+"进入调解")
	set(hMediator, dc.meds[n%len(dc.meds)].Name)
	set(hClosed, closed.String())
	if n%100 == 42 {
		set(hResult, "调解不成")
		set(hFailed, "双方分歧较大，告知通过诉讼途径解决")
		set(hLitigationOn, closed.String())
		return r
	}
	set(hResult, "调解成功")
	set(hTerms, "双方自愿达成调解协议，按约定履行")
	if n%3 == 0 {
		set(hForm, "书面协议")
		if n%18 == 0 && closed.AddDays(3).Before(monthEnd) {
			set(hApplied, closed.AddDays(1).String())
			set(hCourt, "清河区人民法院")
			set(hConfirm, "确认有效")
			set(hConfirmOn, closed.AddDays(3).String())
		}
	} else {
		set(hForm, "口头协议")
	}
	if n%10 != 7 {
		f := closed.AddDays(2)
		if monthEnd.Before(f) {
			f = monthEnd
		}
		set(hFulfilment, "已履行")
		set(hFulfilledOn, f.String())
	}
	return r
}
