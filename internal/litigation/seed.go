package litigation

import (
	"context"
	"fmt"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// DemoAct is an act of the demo registers a lawsuit may be about.
type DemoAct struct {
	ReconCaseID       int64
	EnforcementCaseID int64
	UnitID            int64
	Act, ActRef       string
	Plaintiff         string
	PlaintiffType     string
	Date              string // decided (reconsideration: concluded)
	Corrected         bool
}

// DemoSource is what the demo needs from the org module and the linked
// registers (adapted at wiring).
type DemoSource interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	UnitID(ctx context.Context, code string) (int64, error)
	ReconActs(ctx context.Context) ([]DemoAct, error)
	EnforcementActs(ctx context.Context) ([]DemoAct, error)
}

// DemoToday is the day the demo register is "as of" (the other demos'
// day): every step is dated on or before it.
var DemoToday = calendar.NewDate(2026, 11, 20)

// demoHandler is the 区司法局 account registering the demo lawsuits (the
// 复议机构 also handles the government's 行政应诉, 行政复议法 art. 4).
const demoHandler = "sifaju"

// demoDefendants are units often sued, with an act of theirs.
var demoDefendants = []struct{ code, act, cause string }{
	{"QH116000", "罚款的行政处罚决定", "行政处罚"},
	{"QH117000", "限期拆除违法建设决定", "城乡建设行政管理"},
	{"QH107000", "不动产登记行为", "行政登记"},
	{"QH106000", "工伤认定决定", "劳动和社会保障行政管理"},
	{"QH109000", "政府信息公开答复", "政府信息公开"},
	{"QH104000", "行政拘留决定", "治安管理"},
	{"QH111000", "未履行查处违法占地法定职责", "不履行法定职责"},
	{"QH108000", "责令停产整治决定", "环境保护行政管理"},
}

var demoSurnames = []rune("赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许")
var demoGiven = []string{"志刚", "美玲", "国强", "秀兰", "建华", "晓燕", "永福", "桂英", "立新", "雪梅"}

// demoAppearances is the appearance mix of a year's hearings: mostly the
// head or the deputy in charge, some staff or a lawyer alone.
var demoAppearances = []string{"deputy", "head", "deputy", "staff", "deputy", "head", "lawyer", "deputy", "deputy", "head", "staff", "deputy"}

var demoAttendee = map[string]string{"head": "（局长）", "deputy": "（分管副局长）", "staff": "（法规科科长）", "lawyer": "（委托律师）"}

// SeedDemo registers about sixty lawsuits over the demo year — some after a
// demo reconsideration decision, some about demo enforcement cases — and
// takes each through the service under the simulated clock: defence and
// evidence (a few late), hearings with who appeared, the outcome (a few
// lost, with the finding and the review of the act), judicial suggestions
// and their replies. Recent lawsuits are still open at their step.
func (s *Service) SeedDemo(ctx context.Context, src DemoSource) error {
	ctx, sim := clock.Simulate(ctx)
	actor, err := src.Actor(ctx, demoHandler)
	if err != nil {
		return err
	}
	ctx = auth.With(ctx, actor)
	today := calendar.Today(sim.Now())
	if DemoToday.Before(today) {
		today = DemoToday
	}
	sim.At(today, 8)
	recon, err := src.ReconActs(ctx)
	if err != nil {
		return err
	}
	enf, err := src.EnforcementActs(ctx)
	if err != nil {
		return err
	}
	var plans []CaseInput
	// After reconsideration: the applicant sues within 15 days of the
	// decision (《行政诉讼法》第四十五条); every third decided case.
	for i, a := range recon {
		if i%3 != 0 || len(plans) >= 10 {
			continue
		}
		recv := calendar.MustDate(a.Date).AddDays(12 + i%5)
		plans = append(plans, CaseInput{PlaintiffName: a.Plaintiff, PlaintiffType: a.PlaintiffType, UnitID: a.UnitID, Act: a.Act, ActRef: a.ActRef,
			ReconCaseID: a.ReconCaseID, ReceivedOn: recv.String(), Cause: "经复议后起诉"})
	}
	for i, a := range enf {
		if len(plans) >= 18 {
			break
		}
		recv := calendar.MustDate(a.Date).AddDays(25 + (i*7)%30)
		plans = append(plans, CaseInput{PlaintiffName: a.Plaintiff, PlaintiffType: a.PlaintiffType, UnitID: a.UnitID, Act: a.Act,
			EnforcementCaseID: a.EnforcementCaseID, ReceivedOn: recv.String(), Cause: "行政处罚"})
	}
	day := calendar.NewDate(today.Year, 1, 6)
	for i := 0; len(plans) < 60; i++ {
		day = day.AddDays(4 + i%4)
		if day.After(today) {
			break
		}
		d := demoDefendants[(i*5)%len(demoDefendants)]
		unit, err := src.UnitID(ctx, d.code)
		if err != nil {
			return err
		}
		in := CaseInput{PlaintiffName: name(i), UnitID: unit, Act: d.act, Cause: d.cause, ReceivedOn: day.String(),
			PlaintiffIDNumber: fmt.Sprintf("3301021%03d0%d1%02d%04d", 960+i%40, 1+i%9, 10+i%18, 2000+i*37),
			PlaintiffPhone:    fmt.Sprintf("137%08d", 41000000+i*7919%1000000)}
		if i%7 == 3 {
			in.PlaintiffName, in.PlaintiffType, in.PlaintiffIDNumber, in.PlaintiffPhone = fmt.Sprintf("清河%s有限公司", []string{"恒泰置业", "金穗粮油", "远航运输", "新禾环保"}[i%4]), "org", "", ""
		}
		plans = append(plans, in)
	}
	for i, in := range plans {
		if calendar.MustDate(in.ReceivedOn).After(today) {
			continue
		}
		in.Court = []string{"清河区人民法院", "清河区人民法院", "江州市中级人民法院", "临川区人民法院"}[i%4]
		in.Instance = "first"
		if i%10 == 9 {
			in.Instance = "second"
		}
		year := calendar.MustDate(in.ReceivedOn).Year
		in.CaseNo = fmt.Sprintf("（%d）浙0102行初%d号", year, 100+i*3)
		if in.Instance == "second" {
			in.CaseNo = fmt.Sprintf("（%d）浙01行终%d号", year, 40+i)
		}
		if err := s.seedCase(ctx, sim, in, i, today); err != nil {
			return fmt.Errorf("litigation demo lawsuit %d: %w", i+1, err)
		}
	}
	return nil
}

// seedCase plays one lawsuit's script up to today.
func (s *Service) seedCase(ctx context.Context, sim *clock.Sim, in CaseInput, i int, today calendar.Date) error {
	recv := calendar.MustDate(in.ReceivedOn)
	sim.At(recv, 9)
	c, err := s.Create(ctx, in)
	if err != nil {
		return err
	}
	step := func(action string, d calendar.Date, si StepInput) (bool, error) {
		if d.After(today) {
			return false, nil
		}
		sim.At(d, 10+len(c.Events)%6)
		si.Version, si.Date = c.Version, d.String()
		c, err = s.Step(ctx, c.ID, action, si)
		return err == nil, err
	}
	hearing := func(d calendar.Date, appearance string) (bool, error) {
		if d.After(today) { // scheduled, recorded later
			sim.At(today, 9)
			c, err = s.AddHearing(ctx, c.ID, HearingInput{Version: c.Version, HeldOn: d.String()})
			return false, err
		}
		sim.At(d, 15)
		attendee := name(i+3) + demoAttendee[appearance]
		c, err = s.AddHearing(ctx, c.ID, HearingInput{Version: c.Version, HeldOn: d.String(), Appearance: appearance, Attendee: attendee,
			Note: "原、被告围绕被诉行政行为的事实认定、程序和法律适用进行举证、质证和辩论"})
		return err == nil, err
	}
	// Defence: usually within a week or so; a few late.
	defIn, eviIn := 5+i%8, 5+i%8
	switch {
	case i%9 == 4:
		defIn, eviIn = 18, 18
	case i%15 == 7:
		eviIn = 20
	}
	if ok, err := step(ActDefence, recv.AddDays(defIn), StepInput{}); !ok || err != nil {
		return err
	}
	if ok, err := step(ActEvidence, recv.AddDays(eviIn), StepInput{}); !ok || err != nil {
		return err
	}
	if i%14 == 6 { // the plaintiff withdrew before any hearing
		_, err := step(ActOutcome, recv.AddDays(30), StepInput{Outcome: "withdrawn", Text: "原告申请撤回起诉，法院裁定准许"})
		return err
	}
	at := recv.AddDays(40 + i%20)
	if ok, err := hearing(at, demoAppearances[i%len(demoAppearances)]); !ok || err != nil {
		return err
	}
	if i%5 == 0 { // a second hearing
		at = at.AddDays(21)
		if ok, err := hearing(at, demoAppearances[(i+5)%len(demoAppearances)]); !ok || err != nil {
			return err
		}
	}
	outcome, note := "won", "被诉行政行为证据确凿，适用法律、法规正确，符合法定程序，判决驳回原告诉讼请求"
	switch {
	case i%13 == 4:
		outcome, note = "lost", "被诉行政行为主要证据不足，判决撤销"
	case i%17 == 8:
		outcome, note = "partly_lost", "被诉行政行为部分事实认定不清，判决部分撤销"
	case i%11 == 5:
		outcome, note = "settled", "经法院主持调解，双方自愿达成和解，原告撤回起诉"
	case i%9 == 2:
		outcome, note = "withdrawn", "庭审后原告申请撤诉，法院裁定准许"
	}
	at = at.AddDays(25 + i%15)
	if ok, err := step(ActOutcome, at, StepInput{Outcome: outcome, JudgementNo: c.CaseNo, Text: note}); !ok || err != nil {
		return err
	}
	if IsLoss(outcome) && i%2 == 0 {
		if ok, err := step(ActReview, at.AddDays(20), StepInput{By: "区司法局行政应诉科", Text: "经复查，被诉行为调查取证不充分，已责成承办单位重新调查处理并完善执法程序"}); !ok || err != nil {
			return err
		}
	}
	if i%8 == 3 || IsLoss(outcome) {
		sug := at.AddDays(12)
		if ok, err := step(ActSuggestion, sug, StepInput{Text: "建议进一步规范行政执法程序，加强执法人员法律培训，严格落实负责人出庭应诉制度"}); !ok || err != nil {
			return err
		}
		if i%3 != 0 {
			if _, err := step(ActSuggestionReply, sug.AddDays(25+i%20), StepInput{Text: "已组织专项整改，修订执法程序规定，开展全员培训，并建立负责人出庭应诉台账"}); err != nil {
				return err
			}
		}
	}
	return nil
}

func name(i int) string {
	return string(demoSurnames[i%len(demoSurnames)]) + demoGiven[(i*3)%len(demoGiven)]
}
