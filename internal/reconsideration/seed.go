package reconsideration

import (
	"context"
	"fmt"
	"strings"

	"fazhi/internal/platform/auth"
	"fazhi/internal/platform/calendar"
	"fazhi/internal/platform/clock"
)

// DemoPeople is what the demo needs from the org module.
type DemoPeople interface {
	Actor(ctx context.Context, username string) (*auth.Actor, error)
	UnitID(ctx context.Context, code string) (int64, error)
}

// DemoToday is the day the demo register is "as of" (the findings demo's
// day): every step is dated on or before it, or before the load day if
// that is earlier.
var DemoToday = calendar.NewDate(2026, 11, 20)

// demoHandler is the 区司法局 account handling the demo cases.
const demoHandler = "sifaju"

// demoRespondents are the units most often named as respondents, with the
// kind of act they are challenged for.
var demoRespondents = []struct{ code, act, ref, category string }{
	{"QH116000", "罚款的行政处罚决定", "清市监罚", "penalty"},
	{"QH117000", "责令限期拆除违法建设的决定", "清城管罚", "penalty"},
	{"QH104000", "警告的行政处罚决定", "清公（治）行罚决字", "warning"},
	{"QH107000", "不动产登记行为", "清自然资登", "confirmation"},
	{"QH106000", "工伤认定决定", "清人社工认", "work_injury"},
	{"QH109000", "政府信息公开申请答复", "清住建依申请公开", "disclosure"},
	{"QH108000", "查封设备的行政强制措施", "清环查封", "coercion"},
	{"QH110000", "道路运输经营许可不予许可决定", "清交许", "license"},
	{"QH111000", "未履行查处违法占地法定职责", "", "inaction"},
	{"QH114000", "罚款的行政处罚决定", "清卫医罚", "penalty"},
}

var demoSurnames = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗")
var demoGiven = []string{"建国", "秀英", "志强", "丽华", "海燕", "文博", "春梅", "国庆", "晓东", "玉兰", "德明", "红霞"}
var demoCompanies = []string{"清河区鑫源商贸有限公司", "清河华宇建材有限公司", "清河区惠民超市", "清河顺通物流有限公司", "清河区绿野农业专业合作社"}

// demoOutcomes is the decision mix of a year (most acts upheld, about one
// in five corrected, some mediated or settled).
var demoOutcomes = []string{"uphold", "uphold", "dismiss", "uphold", "revoke", "uphold", "mediation", "confirm_illegal", "uphold",
	"settlement", "uphold", "change", "dismiss", "uphold", "order_perform", "withdrawn", "uphold", "mediation", "confirm_void", "uphold"}

// SeedDemo registers about sixty applications over the demo year and takes
// each through the service, step by step on its own day under the shared
// simulated clock: acceptance (a few after a correction, a few deemed, two
// refused), the copy and the reply, hearings, suspensions and extensions,
// and a decision, termination or settlement; the decisions are published
// and some draw an opinion letter. Cases received in the last weeks are
// still open at their current step.
func (s *Service) SeedDemo(ctx context.Context, people DemoPeople) error {
	ctx, sim := clock.Simulate(ctx)
	actor, err := people.Actor(ctx, demoHandler)
	if err != nil {
		return err
	}
	ctx = auth.With(ctx, actor)
	loadDay := calendar.Today(sim.Now())
	today := loadDay
	if DemoToday.Before(today) {
		today = DemoToday
	}
	wd := func(d calendar.Date, n int) calendar.Date { return s.cal.AddWorkingDays(d, n) }
	day := calendar.NewDate(today.Year, 1, 5)
	for i := 0; i < 60; i++ {
		day = wd(day, 3+i%3) // about one application every four working days
		if day.After(today) {
			break
		}
		r := demoRespondents[(i*7)%len(demoRespondents)]
		unit, err := people.UnitID(ctx, r.code)
		if err != nil {
			return err
		}
		in := ApplicationInput{UnitID: unit, Act: r.act, Category: r.category, Channel: Channels[i%len(Channels)].Value,
			ReceivedOn: day.String(), Request: "请求撤销（或确认违法）被申请人作出的" + r.act}
		if r.category == "inaction" {
			in.Request = "请求责令被申请人依法履行" + strings.TrimPrefix(r.act, "未履行")
		}
		if r.ref != "" {
			in.ActRef = fmt.Sprintf("%s〔%d〕%d号", r.ref, today.Year, 10+i)
		}
		if i%6 == 5 {
			in.ApplicantName, in.ApplicantType = demoCompanies[i%len(demoCompanies)], "org"
			in.ApplicantIDNumber = fmt.Sprintf("91330100MA2%07dX", 1000000+i*7919)
		} else {
			in.ApplicantName = string(demoSurnames[i%len(demoSurnames)]) + demoGiven[i%len(demoGiven)]
			in.ApplicantIDNumber = fmt.Sprintf("3301021%03d0%d1%02d%04d", 960+i%40, 1+i%9, 10+i%18, 1000+i*37)
			in.ApplicantPhone = fmt.Sprintf("139%08d", 57000000+i*104729%1000000)
			in.ApplicantAddress = fmt.Sprintf("清河区%s路%d号", []string{"解放", "人民", "建设", "胜利", "和平"}[i%5], 10+i)
		}
		switch r.category {
		case "penalty":
			in.AmountFen = int64([]int{2000, 50000, 1500, 200000, 8000}[i%5]) * 100
		case "warning":
			in.OnTheSpot = true
		}
		if err := s.seedCase(ctx, sim, in, i, today); err != nil {
			return fmt.Errorf("reconsideration demo case %d: %w", i+1, err)
		}
	}
	// The nightly run on the load day: an application whose acceptance
	// review ran out after the demo's day is deemed accepted, as the job
	// would do on a real installation.
	sim.At(loadDay, 0)
	_, err = s.DeemOverdue(auth.With(ctx, auth.SystemActor("行政复议受理审查期满检查")))
	return err
}

// seedCase plays one case's script up to today.
func (s *Service) seedCase(ctx context.Context, sim *clock.Sim, in ApplicationInput, i int, today calendar.Date) error {
	recv := calendar.MustDate(in.ReceivedOn)
	sim.At(recv, 9)
	c, err := s.Create(ctx, in)
	if err != nil {
		return err
	}
	wd := func(d calendar.Date, n int) calendar.Date { return s.cal.AddWorkingDays(d, n) }
	step := func(action string, d calendar.Date, si StepInput) (bool, error) {
		if d.After(today) {
			return false, nil
		}
		sim.At(d, 10+len(c.Events)%6)
		si.Version, si.Date = c.Version, d.String()
		c, err = s.Step(ctx, c.ID, action, si)
		return err == nil, err
	}
	at := recv
	switch {
	case i%17 == 3: // refused: out of time
		_, err := step(ActNotAccept, wd(at, 3), StepInput{Reason: "申请人提出行政复议申请超过法定申请期限，且无正当理由"})
		return err
	case i%11 == 4: // a correction, then the corrected application
		at = wd(at, 2)
		if ok, err := step(ActRequestCorrection, at, StepInput{Items: "请补充提交被申请复议的行政行为文书复印件及申请人身份证明"}); !ok || err != nil {
			return err
		}
		at = wd(at, 6)
		if ok, err := step(ActCorrected, at, StepInput{}); !ok || err != nil {
			return err
		}
	}
	simple := len(SimpleGrounds(&c.Case)) > 0 && i%3 != 0
	if i%13 == 6 { // nobody decided in time: deemed accepted
		if ok, err := step(ActDeem, wd(at, 7), StepInput{}); !ok || err != nil {
			return err
		}
		at = calendar.MustDate(c.AcceptedOn)
		at = wd(at, 2)
	} else {
		at = wd(at, 1+i%3)
		if ok, err := step(ActAccept, at, StepInput{Simple: simple}); !ok || err != nil {
			return err
		}
		at = wd(at, 1)
	}
	if ok, err := step(ActSendCopy, at, StepInput{}); !ok || err != nil {
		return err
	}
	replyIn := 7
	if c.Simple {
		replyIn = 4
	}
	at = wd(at, replyIn)
	if i%19 == 7 { // the respondent let the period pass
		at = wd(calendar.MustDate(c.ReplyDue), 1)
		if ok, err := step(ActNoReply, at, StepInput{}); !ok || err != nil {
			return err
		}
	} else if ok, err := step(ActReply, at, StepInput{}); !ok || err != nil {
		return err
	}
	if !c.Simple && i%5 == 2 { // a hearing, noticed a week ahead
		notice := wd(at, 2)
		at = wd(notice, 6)
		if ok, err := step(ActHearing, at, StepInput{NoticeOn: notice.String(), Text: "申请人及被申请人负责人到场，围绕事实认定和法律适用进行质证、辩论"}); !ok || err != nil {
			return err
		}
	}
	if i%9 == 1 { // suspended while a question is referred, then resumed
		at = wd(at, 2)
		if ok, err := step(ActSuspend, at, StepInput{Reason: "案件涉及法律适用问题，需要有权机关作出解释或者确认"}); !ok || err != nil {
			return err
		}
		at = wd(at, 8)
		if ok, err := step(ActResume, at, StepInput{}); !ok || err != nil {
			return err
		}
	}
	if !c.Simple && i%8 == 3 { // complex: extended once, with notice
		due := calendar.MustDate(c.DecideDue)
		if ext := wd(due, -3); ext.After(at) {
			at = ext
		}
		if ok, err := step(ActExtend, at, StepInput{Days: 30, ApprovedBy: "区司法局局长 周正", Reason: "案情重大、复杂，需进一步调查取证",
			NoticeOn: at.String()}); !ok || err != nil {
			return err
		}
	}
	outcome := demoOutcome(i, in.Category)
	due := calendar.MustDate(c.DecideDue)
	end := wd(at, 10+i%12)
	if i%23 == 11 {
		end = wd(due, 2) // one decision made after its deadline
	} else if end.After(due) {
		end = wd(due, -1)
	}
	if end.Before(at) {
		end = at
	}
	switch outcome {
	case "settlement", "withdrawn":
		reason := "申请人与被申请人达成和解，申请人撤回行政复议申请"
		if outcome == "withdrawn" {
			reason = "申请人主动撤回行政复议申请，经审查撤回申请系其真实意思表示"
		}
		_, err := step(ActTerminate, end, StepInput{Termination: outcome, Reason: reason})
		return err
	}
	no := fmt.Sprintf("清府复决〔%d〕%d号", end.Year, i+1)
	if outcome == "mediation" {
		no = fmt.Sprintf("清府复调〔%d〕%d号", end.Year, i+1)
	}
	if ok, err := step(ActDecide, end, StepInput{Outcome: outcome, DecisionNo: no, Reason: demoReason(outcome, in.Act)}); !ok || err != nil {
		return err
	}
	if ok, err := step(ActPublish, wd(end, 3), StepInput{}); !ok || err != nil {
		return err
	}
	if IsCorrection(outcome) && i%2 == 0 {
		at = wd(end, 4)
		if ok, err := step(ActOpinion, at, StepInput{Kind: "opinion", Text: "请对照本决定书指出的问题，规范" + in.Act + "的调查取证、告知和审核程序，并组织执法人员专题学习。"}); !ok || err != nil {
			return err
		}
		if ok, err := step(ActFollowup, wd(at, 25), StepInput{Text: "已重新审查同类案件，修订执法程序规定并完成专题培训。"}); !ok || err != nil {
			return err
		}
	}
	if (outcome == "uphold" || outcome == "dismiss") && i%10 == 0 {
		_, err := step(ActSued, wd(end, 10), StepInput{Reason: "申请人不服复议决定，向区人民法院提起行政诉讼"})
		return err
	}
	return nil
}

// demoOutcome is case i's outcome from the year's mix, fitted to the act:
// a failure to perform a duty that is found wrong is ordered to be
// performed (《行政复议法》第六十六条), never revoked — there is no act to
// revoke — and only such a case ends in 责令履行.
func demoOutcome(i int, category string) string {
	o := demoOutcomes[i%len(demoOutcomes)]
	switch {
	case category == "inaction" && IsCorrection(o):
		return "order_perform"
	case category != "inaction" && o == "order_perform":
		return "revoke"
	}
	return o
}

func demoReason(outcome, act string) string {
	switch outcome {
	case "uphold":
		return "被申请人作出的" + act + "认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当。"
	case "dismiss":
		return "申请人的复议请求缺乏事实和法律依据，被申请人不存在申请人所称的违法情形。"
	case "mediation":
		return "经本机关主持调解，双方当事人在自愿、合法的基础上达成调解协议。"
	case "change":
		return "被申请人作出的" + act + "事实清楚、程序合法，但处罚幅度明显不当，依法予以变更。"
	case "revoke":
		return "被申请人作出" + act + "时未依法告知申请人陈述、申辩的权利，违反法定程序。"
	case "confirm_illegal":
		return "被申请人的" + act + "程序违法，但撤销会给公共利益造成重大损害，依法确认违法。"
	case "order_perform":
		return "被申请人对申请人的举报未在法定期限内依法处理，属于不履行法定职责。"
	case "confirm_void":
		return "被申请人作出" + act + "的实施主体不具有行政主体资格，属于重大且明显违法。"
	}
	return "经审查，依法作出本决定。"
}
